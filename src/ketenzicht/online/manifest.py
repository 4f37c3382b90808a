"""The manifest of ``online``, read by ``ketenzicht.domains``.

Online ads: collection (crawl, capture), analysis (extraction, linking) and the workspace.
Every field is a dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="online",
    containers=(
        "ketenzicht.online.collection",
        "ketenzicht.online.analysis",
        "ketenzicht.online.workspace",
    ),
    pages=(
        "ketenzicht.online.collection.views:router",
        "ketenzicht.online.workspace.views:router",
        "ketenzicht.online.workspace.recruitment.views:router",
    ),
    api=("ketenzicht.online.workspace.api:router",),
    cli=(
        CliCommand("online", "ketenzicht.online.cli:app",
                   "Online ads: extract phones, contacts, places, prices and trafficking "
                   "indicators."),
    ),
    models=(
        "ketenzicht.online.collection.models",
        "ketenzicht.online.workspace.models",
        "ketenzicht.online.workspace.networks.models",
        "ketenzicht.online.workspace.recruitment.models",
    ),
    seeder="ketenzicht.online.seed:seed",
    grants="ketenzicht.online.permissions",
    jobs=("ketenzicht.online.workspace.recruitment.jobs:purge",),
    subscriptions="ketenzicht.online.subscriptions:SUBSCRIPTIONS",
)
