"""Selfcheck: no records, no factories; its pages are public by design (issue 10).

``POST /signal`` is public too: it is guarded by a signed, short-lived, single-use form
token and a site-wide rate limit instead of a login (see ``selfcheck/guard.py``).

``ACCESS_PUBLIC`` tells tests/web/test_access.py that these routes need no login.
``answers()`` builds form data for the check.
"""

from __future__ import annotations

_PATHS = [("GET", ""), ("GET", "/questions"), ("POST", "/questions"), ("GET", "/result"),
          ("POST", "/result"), ("GET", "/help"), ("GET", "/rights"), ("GET", "/lang/{code}"),
          ("POST", "/signal"), ("GET", "/signal")]

# A dict, as test_access.py merges these with dict.update: (method, path) -> why public.
ACCESS_PUBLIC = {(method, prefix + path): "the public, anonymous selfcheck (issue 10)"
                 for prefix in ("/selfcheck", "/zelftest") for method, path in _PATHS}


def answers(**overrides: str) -> dict[str, str]:
    """A complete, unremarkable set of answers: a 30-year-old paid well above the minimum."""
    base = {"age": "30", "period": "week", "hours": "38", "pay": "800", "pay_kind": "gross",
            "payslip": "yes", "paid_how": "bank", "authorised": "yes", "passport": "me",
            "debt": "no", "fee": "no", "leave": "yes", "outside": "yes", "threats": "no",
            "housing": "self", "housing_lose": "no", "travel": "self", "promise": "yes"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v != ""}
