"""The manifest of ``cases``, read by ``ketenzicht.domains``.

Cases: the chain's shared casework, tasks, referrals and conferences. Every field is a
dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="cases",
    containers=("ketenzicht.cases",),
    pages=("ketenzicht.cases.views:router", "ketenzicht.cases.procedures.views:router"),
    api=("ketenzicht.cases.api:router", "ketenzicht.cases.procedures.api:router"),
    cli=(
        CliCommand("cases", "ketenzicht.cases.cli:app",
                   "Cases: reminders and escalations, process templates."),
    ),
    models=("ketenzicht.cases.models", "ketenzicht.cases.procedures.models"),
    seeder="ketenzicht.cases.seed:seed",
    jobs=("ketenzicht.cases.jobs:escalate",),
    grants="ketenzicht.cases.permissions",
)
