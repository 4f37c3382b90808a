"""Validation errors as sentences a person can act on, in their language.

Pydantic and Starlette describe bad input for programmers ("nationality: String should
match pattern '^[A-Z]{2}$'", "Field exceeded maximum size of 1024KB"). Pages show
:func:`messages` instead: the field by its name on the form, and what to do, from the
error's type and its limits. The API keeps pydantic's own errors (machines read those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_, gettext

# Form fields by their names in the schemas; a field not named here is called "this field".
labels.register("field", {
    "nationality": N_("Nationality"), "title": N_("Title"), "source": N_("Source"),
    "obtained_on": N_("Date"), "age": N_("Age"), "pseudonym": N_("Pseudonym"),
    "role": N_("Role"), "form": N_("Form of exploitation"), "text": N_("Text"),
    "description": N_("Description"), "reason": N_("Reason"), "note": N_("Note"),
    "municipality": N_("Place"), "place": N_("Place"), "kind": N_("Kind"),
    "hours": N_("Hours"), "pay": N_("Pay"), "period": N_("Period"), "name": N_("Name"),
    "email": N_("E-mail address"), "username": N_("Username"), "password": N_("Password"),
    "capacity": N_("Capacity"), "available": N_("Free places now"), "file": N_("File"),
    "purpose": N_("Purpose"), "phase": N_("Phase"), "deadline": N_("Deadline"),
})

_BY_TYPE: Mapping[str, str] = {
    "missing": N_("%(field)s: fill this in."),
    "string_too_short": N_("%(field)s: at least %(min_length)s characters."),
    "string_too_long": N_("%(field)s: at most %(max_length)s characters."),
    "too_short": N_("%(field)s: choose at least %(min_length)s."),
    "too_long": N_("%(field)s: at most %(max_length)s."),
    "string_pattern_mismatch": N_("%(field)s: this is not in the expected form."),
    "int_parsing": N_("%(field)s: enter a whole number."),
    "int_from_float": N_("%(field)s: enter a whole number."),
    "float_parsing": N_("%(field)s: enter a number."),
    "decimal_parsing": N_("%(field)s: enter a number."),
    "greater_than_equal": N_("%(field)s: at least %(ge)s."),
    "greater_than": N_("%(field)s: more than %(gt)s."),
    "less_than_equal": N_("%(field)s: at most %(le)s."),
    "less_than": N_("%(field)s: less than %(lt)s."),
    "enum": N_("%(field)s: choose one of the options."),
    "literal_error": N_("%(field)s: choose one of the options."),
    "date_parsing": N_("%(field)s: enter a date."),
    "date_from_datetime_parsing": N_("%(field)s: enter a date."),
    "datetime_parsing": N_("%(field)s: enter a date and time."),
    "bool_parsing": N_("%(field)s: choose yes or no."),
}
# A pattern whose meaning can be said more plainly than "the expected form".
_PATTERNS: Mapping[str, str] = {
    "^[A-Z]{2}$": N_("%(field)s: two capital letters, the country code (NL, PL, RO)."),
}
_INVALID = N_("%(field)s: this value is not valid.")
_PART_TOO_LARGE = re.compile(r"Field exceeded maximum size of (\d+)KB")


def field_name(loc: Iterable[Any]) -> str:
    """The form's word for the field an error is about."""
    names = [str(p) for p in loc if isinstance(p, str) and p not in ("body", "query", "path")]
    if not names:
        return gettext(N_("this field"))
    name = names[-1]
    text = labels.label("field", name)
    return text if text != name else gettext(N_("this field"))


def message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence."""
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    params = {k: v for k, v in ctx.items() if isinstance(v, int | float | str)}
    params["field"] = field_name(error.get("loc", ()))
    template = _PATTERNS.get(str(ctx.get("pattern", ""))) if kind == "string_pattern_mismatch" \
        else None
    template = template or _BY_TYPE.get(kind)
    if template is None and kind == "value_error":
        # Our own validators raise ValueError with an English msgid: translate that.
        reason = str(error.get("msg", "")).removeprefix("Value error, ")
        return f"{params['field']}: {gettext(reason)}"
    try:
        return gettext(template or _INVALID) % params
    except (KeyError, TypeError, ValueError):
        return gettext(_INVALID) % params


def messages(errors: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every error as a sentence, each once."""
    out: list[str] = []
    for error in errors:
        text = message(error)
        if text not in out:
            out.append(text)
    return out


def request_problem(detail: str) -> str:
    """Starlette's refusal of a form part, in words ("Field exceeded maximum size of 1024KB")."""
    match = _PART_TOO_LARGE.search(detail)
    if match:
        return gettext(N_("A field of the form is longer than %(size)s KB. Shorten it and send "
                          "again.")) % {"size": match.group(1)}
    return detail
