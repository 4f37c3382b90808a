"""Steps of the chain's funnel and the strata of the dark-number estimate."""

from __future__ import annotations

from enum import StrEnum


class FunnelStage(StrEnum):
    """A step of the chain, from the first signal to a conviction."""

    SIGNALS = "signals"
    CASES = "cases"
    INVESTIGATIONS = "investigations"
    PROSECUTIONS = "prosecutions"
    CONVICTIONS = "convictions"


FUNNEL_ORDER: tuple[FunnelStage, ...] = tuple(FunnelStage)
# Forms of exploitation are those of the signals domain; "all" is the total over forms.
ALL_FORMS = "all"
# Counts below this are shown as "<5": the people behind them are few and vulnerable.
SUPPRESS_BELOW = 5
# A count withheld because, with the totals shown, it would give a suppressed small count away
# by subtraction (complementary suppression); never a real count.
WITHHELD = -1
