"""The Dutch statutory minimum wage (WML) as dated data, and the one wage check.

Domain-free arithmetic in ``Decimal``: no translations, no database. The public
selfcheck uses it, and so must any other wage check in Ketenzicht (the evidence
domain's), so that there is one implementation of the rules, not two. Other domains
reach it through ``ketenzicht.selfcheck.service``.
"""

from ketenzicht.selfcheck.wml.check import (
    MAX_HOURS,
    DeductionFinding,
    PayKind,
    Period,
    WageInput,
    WageResult,
    WageVerdict,
    check_wage,
)
from ketenzicht.selfcheck.wml.rates import (
    MinimumRate,
    WmlData,
    housing_cap_percent,
    load,
    minimum_hourly,
)

__all__ = [
    "MAX_HOURS", "DeductionFinding", "MinimumRate", "PayKind", "Period", "WageInput", "WageResult",
    "WageVerdict", "WmlData", "check_wage", "housing_cap_percent", "load", "minimum_hourly",
]
