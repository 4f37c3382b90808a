"""The manifest of ``signals``, read by ``ketenzicht.domains``.

Signals: intake, routing to the handling organisations, linkage. Every field is a dotted
path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="signals",
    containers=("ketenzicht.signals",),
    pages=("ketenzicht.signals.views:router",),
    api=("ketenzicht.signals.api:router",),
    cli=(
        CliCommand("signals", "ketenzicht.signals.cli:app",
                   "Signals: escalation, registration export, indicator catalogue."),
        CliCommand("linkage", "ketenzicht.signals.pprl.cli:app",
                   "Linkage at the source: key shares, encoding exports."),
    ),
    models=("ketenzicht.signals.models",),
    seeder="ketenzicht.signals.seed:seed",
    jobs=("ketenzicht.signals.jobs:escalate",),
    grants="ketenzicht.signals.permissions",
    subscriptions="ketenzicht.signals.subscriptions:SUBSCRIPTIONS",
)
