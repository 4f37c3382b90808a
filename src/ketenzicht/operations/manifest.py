"""The manifest of ``operations``, read by ``ketenzicht.domains``.

Online undercover operations and decoy profiles (lokprofielen) under a prosecutor's written
order. Every field is a dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="operations",
    containers=("ketenzicht.operations",),
    pages=("ketenzicht.operations.views:router", "ketenzicht.operations.campaign_pages:router"),
    api=("ketenzicht.operations.api:router",),
    cli=(
        CliCommand("operations", "ketenzicht.operations.cli:app",
                   "Undercover operations: expiry warnings, chain checks, legal frame."),
    ),
    models=("ketenzicht.operations.models",),
    seeder="ketenzicht.operations.seed:seed",
    jobs=("ketenzicht.operations.jobs:warn",),
    grants="ketenzicht.operations.permissions",
    # Nobody imports operations: the network page and the monitor ask these ports instead.
    ports=(
        ("operations.counterparts_in_network",
         "ketenzicht.operations.links:counterparts_in_network"),
        ("operations.campaign_figures", "ketenzicht.operations.campaigns:figures_for_monitor"),
    ),
)
