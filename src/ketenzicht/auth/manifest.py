"""The manifest of ``auth``, read by ``ketenzicht.domains``.

Accounts, organisations, sessions and API tokens; the platform's core grants. Every field is
a dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="auth",
    containers=("ketenzicht.auth",),
    pages=("ketenzicht.auth.views:router",),
    api=("ketenzicht.auth.api:router",),
    cli=(
        CliCommand("org", "ketenzicht.auth.cli:org_app",
                   "Organisations."),
        CliCommand("user", "ketenzicht.auth.cli:user_app",
                   "Accounts."),
    ),
    models=("ketenzicht.auth.models",),
    grants="ketenzicht.auth.permissions",
)
