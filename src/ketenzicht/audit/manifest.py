"""The manifest of ``audit``, read by ``ketenzicht.domains``.

The hash-chained audit log. Every field is a dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="audit",
    containers=("ketenzicht.audit",),
    pages=("ketenzicht.audit.views:router",),
    api=("ketenzicht.audit.api:router",),
    cli=(
        CliCommand("audit", "ketenzicht.audit.cli:app",
                   "The audit log."),
    ),
    models=("ketenzicht.audit.models",),
    subscriptions="ketenzicht.audit.subscriptions:SUBSCRIPTIONS",
)
