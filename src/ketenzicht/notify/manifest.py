"""The manifest of ``notify``, read by ``ketenzicht.domains``.

Notifications: the in-app inbox and the e-mail outbox. Every field is a dotted path,
imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="notify",
    containers=("ketenzicht.notify",),
    pages=("ketenzicht.notify.views:router",),
    api=("ketenzicht.notify.api:router",),
    cli=(
        CliCommand("notify", "ketenzicht.notify.cli:app",
                   "Notifications: deliver queued e-mail."),
    ),
    models=("ketenzicht.notify.models",),
    jobs=("ketenzicht.notify.jobs:deliver",),
    grants="ketenzicht.notify.permissions",
    subscriptions="ketenzicht.notify.subscriptions:SUBSCRIPTIONS",
)
