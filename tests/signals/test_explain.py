"""The screening in words a professional can check: no codes, caveats where data is unsure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ketenzicht.core.i18n import set_locale
from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.explain import UNVERIFIED, explanation
from ketenzicht.signals.screening import ScreeningInput, screen


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_locale("en")
    yield
    set_locale("nl")


def _lines(form: str, *, minor: bool | None = False, indicators: tuple[str, ...] = (),
           items: tuple[str, ...] = ()) -> list[str]:
    result = screen(ScreeningInput(form=ExploitationForm(form), minor=minor, nationality="RO",
                                   acute_danger=False, indicators=indicators, items=items,
                                   control_methods=()), catalogue())
    return explanation(result.to_dict(), catalogue())


def test_unscored_checklist_items_are_named_in_words_not_codes() -> None:
    lines = _lines("labour", items=("YS_RUNAWAY",))
    (line,) = [x for x in lines if x.startswith("Recorded but not scored")]
    assert "YS_RUNAWAY" not in line
    assert catalogue().items["YS_RUNAWAY"].label.en in line


def test_an_unchecked_list_is_flagged_where_it_was_applied() -> None:
    unchecked = [p for p, pl in catalogue().profiles.items()
                 if pl.verification.startswith(UNVERIFIED)]
    sexual = _lines("sexual", indicators=("CD_VIOLENCE",))
    labour = _lines("labour", indicators=("CD_VIOLENCE",))
    caveat = "have not yet been checked line by line"
    assert any(caveat in line for line in sexual) is bool(unchecked)
    assert not any(caveat in line for line in labour)


def test_unknown_age_is_stated_as_a_range() -> None:
    lines = _lines("labour", minor=None, indicators=("EX_LOW_SALARY",))
    assert "The age is unknown, so both the adult and the child lists were applied." in lines
    assert any("of 2 possible indicator lists" in line for line in lines)
