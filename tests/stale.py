"""The one answer to a stale write, as the tests of every domain expect it (issue 19).

Written out here rather than imported from ``core.errors``, so that a domain that goes
back to a wording of its own fails its test.
"""

from __future__ import annotations

import re

ONE_MESSAGE = ("Someone else changed this first (version {current}, you had {given}). "
               "Reload and try again.")


def stale(current: int, given: int) -> str:
    """A ``pytest.raises(match=...)`` pattern for the stale-version refusal."""
    return "^" + re.escape(ONE_MESSAGE.format(current=current, given=given)) + "$"
