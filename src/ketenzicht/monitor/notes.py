"""The estimation library's notes, which it writes in English, in the reader's language.

``monitor.estimation`` is a plain library: it knows no Babel and its notes are stored with
each estimate as written ("too sparse: 3 people on more than one list, fewer than 5; ...").
The dashboard reads each stored note against the library's sentences below and shows the
translated sentence with the same numbers; a note that matches none is shown as stored,
and the untranslated-text test (tests/web/test_daily.py) names it.
"""

from __future__ import annotations

import re

from ketenzicht.core.i18n import N_, gettext

_N = r"(?P<{}>[<\d][\d.,]*)"

# (the library's sentence as a pattern, its msgid); placeholders share their group names.
SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile("^" + pattern.format(**{k: _N.format(k) for k in ("n", "m", "k")}) + "$"), msgid)
    for pattern, msgid in (
        (r"too sparse: {n} people observed, fewer than {m}",
         N_("too sparse: %(n)s people observed, fewer than %(m)s")),
        (r"too sparse: {n} people on more than one list, fewer than {m}; without overlap there "
         r"is nothing to estimate from",
         N_("too sparse: %(n)s people on more than one list, fewer than %(m)s; without "
            "overlap there is nothing to estimate from")),
        (r"sparse table: {n} of {m} possible capture histories have no case; the estimate "
         r"leans heavily on the model",
         N_("sparse table: %(n)s of %(m)s possible capture histories have no case; the "
            "estimate leans heavily on the model")),
        (r"only {n} people are on more than one list; overlap is what the estimate is built on",
         N_("only %(n)s people are on more than one list; overlap is what the estimate is "
            "built on")),
        (r"the dark number is more than ten times the observed count: the data carry little "
         r"information about the unseen",
         N_("the dark number is more than ten times the observed count: the data carry "
            "little information about the unseen")),
        (r"the profile likelihood stays within the interval up to a million times the "
         r"observed count: there is no upper limit",
         N_("the profile likelihood stays within the interval up to a million times the "
            "observed count: there is no upper limit")),
        (r"{n} of {m} bootstrap replicates allowed no estimate and were left out of the "
         r"interval",
         N_("%(n)s of %(m)s bootstrap replicates allowed no estimate and were left out of "
            "the interval")),
        (r"too few bootstrap replicates had an estimate for an interval",
         N_("too few bootstrap replicates had an estimate for an interval")),
        (r"the jackknife failed for BCa; the percentile interval is reported",
         N_("the jackknife failed for BCa; the percentile interval is reported")),
    ))


def translate(note: str) -> str:
    """One stored note in the current language (as stored when it is not a known sentence)."""
    for pattern, msgid in SENTENCES:
        match = pattern.match(note.strip())
        if match:
            return gettext(msgid) % match.groupdict()
    return note

