"""The manifest of ``evidence``, read by ``ketenzicht.domains``.

Evidence: items, the legal frameworks and signed dossiers. Every field is a dotted path,
imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="evidence",
    containers=("ketenzicht.evidence",),
    pages=("ketenzicht.evidence.views:router",),
    api=("ketenzicht.evidence.api:router",),
    cli=(
        CliCommand("evidence", "ketenzicht.evidence.cli:app",
                   "Evidence: dossier verification and the legal frameworks."),
    ),
    models=("ketenzicht.evidence.models",),
    seeder="ketenzicht.evidence.seed:seed",
    grants="ketenzicht.evidence.permissions",
)
