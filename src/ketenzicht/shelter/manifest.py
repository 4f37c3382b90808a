"""The manifest of ``shelter``, read by ``ketenzicht.domains``.

Shelter places: registry, requests, offers, holds and figures. Every field is a dotted path,
imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="shelter",
    containers=("ketenzicht.shelter",),
    pages=("ketenzicht.shelter.views:router",),
    api=("ketenzicht.shelter.api:router",),
    cli=(
        CliCommand("shelter", "ketenzicht.shelter.cli:app",
                   "Shelter places: holds and availability figures."),
    ),
    models=("ketenzicht.shelter.models",),
    seeder="ketenzicht.shelter.seed:seed_shelter",
    grants="ketenzicht.shelter.permissions",
)
