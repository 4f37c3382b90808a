"""The manifest of ``selfcheck``, read by ``ketenzicht.domains``.

The public, anonymous selfcheck for workers (its own pages and privacy layer). Every field
is a dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import DomainManifest

MANIFEST = DomainManifest(
    name="selfcheck",
    containers=("ketenzicht.selfcheck",),
    mount="ketenzicht.selfcheck.views:install",
)
