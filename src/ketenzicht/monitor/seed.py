"""Demo data of the monitor: synthetic official figures and the stored estimates.

The figures are invented (their source says so) in the proportions the issue describes:
roughly 1,000-1,400 registrations a year, three to four investigations for every case
that reaches court, about 180-200 prosecutions. Nothing here describes a real person.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy.orm import Session

from ketenzicht.core import clock
from ketenzicht.monitor import service
from ketenzicht.monitor.enums import ALL_FORMS, FunnelStage
from ketenzicht.monitor.schemas import FigureIn

DEMO_SOURCE = "Demo: synthetische jaarcijfers (geen echte cijfers)"
YEARS = 5  # the last five years, this one included, so they meet the platform's own
# Share of each form in every step; forced begging is tiny so suppression shows.
SHARES = {"sexual": 0.45, "labour": 0.35, "criminal": 0.17, "forced_begging": 0.03}
# Registrations, then the share that reaches each next step.
STEP_RATES = {FunnelStage.SIGNALS: 1.0, FunnelStage.CASES: 0.6,
              FunnelStage.INVESTIGATIONS: 0.9, FunnelStage.PROSECUTIONS: 0.3,
              FunnelStage.CONVICTIONS: 0.6}


def demo_figures(seed: int = 1) -> list[FigureIn]:
    """Synthetic annual figures for every step, form and year."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    rows = []
    this_year = clock.now().year
    for year in range(this_year - YEARS + 1, this_year + 1):
        level = rng.randint(1000, 1400)
        for stage, rate in STEP_RATES.items():
            level = round(level * rate) if stage is not FunnelStage.SIGNALS else level
            for form, share in SHARES.items():
                rows.append(FigureIn(year=year, stage=stage, form=form,
                                     count=max(1, round(level * share * rng.uniform(0.8, 1.2)))))
            rows.append(FigureIn(year=year, stage=stage, form=ALL_FORMS, count=level))
    return rows


def seed(session: Session, ctx: Any) -> None:
    """The demo seeder (declared in the manifest): figures, then the estimates of the signals."""
    service.import_figures(session, actor=None, rows=demo_figures(), source=DEMO_SOURCE)
    service.refresh_estimates(session, actor=None)
