"""Reading an official-figures CSV: ``year,stage,form,count``, one published count a row.

Every problem names its row (the header is row 1), so a file can be fixed in one pass.
"""

from __future__ import annotations

import csv
import io

from pydantic import ValidationError

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.monitor.enums import ALL_FORMS
from ketenzicht.monitor.schemas import FigureIn
from ketenzicht.signals.enums import ExploitationForm

COLUMNS = ("year", "stage", "form", "count")
FORMS = frozenset({ALL_FORMS, *(f.value for f in ExploitationForm)})
MAX_ROWS = 10_000


class FigureFileInvalid(ValidationFailed):
    """A figures file with one or more bad rows; ``problems`` holds one error per row."""

    def __init__(self, problems: list[ValidationFailed]) -> None:
        self.problems = problems
        super().__init__(N_("The file was not imported: %(count)s problems."),
                         count=len(problems))

    def localized(self) -> str:
        """Every problem, in the request's language."""
        head = gettext(self.template) % self.params
        return " ".join([head, *(p.localized() for p in self.problems)])


def _problem(template: str, **params: object) -> ValidationFailed:
    return ValidationFailed(template, **params)


def parse_figures(text: str) -> list[FigureIn]:
    """The rows of a figures CSV, or :class:`FigureFileInvalid` naming every bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FigureFileInvalid([_problem(
            N_("Row 1: the header lacks the columns %(columns)s (expected year,stage,form,count)."),
            columns=", ".join(missing))])
    rows: list[FigureIn] = []
    problems: list[ValidationFailed] = []
    seen: dict[tuple[int, str, str], int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            problems.append(_problem(N_("Row %(row)s: more than %(max)s rows."), row=number,
                                     max=MAX_ROWS))
            break
        values = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        values["form"] = values.get("form") or ALL_FORMS
        try:
            row = FigureIn.model_validate({c: values.get(c) for c in COLUMNS})
        except ValidationError as exc:
            field = str(exc.errors()[0]["loc"][0])
            problems.append(_problem(N_("Row %(row)s: %(column)s %(value)r is not valid."),
                                     row=number, column=field, value=values.get(field, "")))
            continue
        if row.form not in FORMS:
            problems.append(_problem(
                N_("Row %(row)s: unknown form of exploitation %(value)r."),
                row=number, value=row.form))
            continue
        key = (row.year, row.stage.value, row.form)
        if key in seen:
            problems.append(_problem(
                N_("Row %(row)s: the same year, stage and form as row %(other)s."),
                row=number, other=seen[key]))
            continue
        seen[key] = number
        rows.append(row)
    if problems:
        raise FigureFileInvalid(problems)
    if not rows:
        raise FigureFileInvalid([_problem(N_("Row 2: the file has no figures."))])
    return rows
