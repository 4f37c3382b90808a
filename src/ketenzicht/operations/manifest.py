"""The manifest of ``operations``, read by ``ketenzicht.domains``.

Online undercover operations and decoy profiles (lokprofielen) under a prosecutor's written
order. Every field is a dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="operations",
    containers=("ketenzicht.operations",),
    pages=("ketenzicht.operations.views:router",),
    api=("ketenzicht.operations.api:router",),
    cli=(
        CliCommand("operations", "ketenzicht.operations.cli:app",
                   "Undercover operations: expiry warnings, chain checks, legal frame."),
    ),
    models=("ketenzicht.operations.models",),
    seeder="ketenzicht.operations.seed:seed",
    jobs=("ketenzicht.operations.jobs:warn",),
    grants="ketenzicht.operations.permissions",
)
