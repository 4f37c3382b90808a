"""The manifest of ``monitor``, read by ``ketenzicht.domains``.

The monitor: official figures, dark-number estimates and the estimator. Every field is a
dotted path, imported on first use.
"""

from __future__ import annotations

from ketenzicht.core.manifest import CliCommand, DomainManifest

MANIFEST = DomainManifest(
    name="monitor",
    containers=("ketenzicht.monitor",),
    pages=("ketenzicht.monitor.views:router",),
    api=("ketenzicht.monitor.api:router",),
    cli=(
        CliCommand("estimate", "ketenzicht.monitor.estimate_cli:estimate_command",
                   "Estimate the population behind a capture-history table."),
        CliCommand("monitor", "ketenzicht.monitor.cli:figures_app",
                   "The monitor dashboard: official figures and stored estimates."),
    ),
    models=("ketenzicht.monitor.models",),
    seeder="ketenzicht.monitor.seed:seed",
    grants="ketenzicht.monitor.permissions",
)
