"""Bad input is described in words a person can act on (web/validation.py, issue 23)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel, Field, ValidationError

from ketenzicht.core import i18n
from ketenzicht.web.validation import messages, request_problem


class _Form(BaseModel):
    nationality: str = Field(pattern=r"^[A-Z]{2}$")
    title: str = Field(max_length=5)
    age: int = Field(ge=0, le=120)
    pseudonym: str


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.set_locale("nl")
    yield
    i18n.set_locale(i18n.DEFAULT_LOCALE)


def _errors(**data: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(data)
    return messages(caught.value.errors())


def test_pydantic_errors_become_dutch_sentences(dutch: None) -> None:
    found = _errors(nationality="nl", title="Te lange titel", age="oud")
    assert found == [
        "Nationaliteit: twee hoofdletters, de landcode (NL, PL, RO).",
        "Titel: hoogstens 5 tekens.",
        "Leeftijd: vul een heel getal in.",
        "Pseudoniem: vul dit in.",
    ]
    assert not any("should" in f or "^[A-Z]" in f for f in found)
    assert _errors(nationality="NL", title="a", age=300, pseudonym="x") == [
        "Leeftijd: hoogstens 120."]


def test_starlettes_oversized_form_part_is_said_in_words(dutch: None) -> None:
    said = request_problem("Field exceeded maximum size of 1024KB.")
    assert "1024 KB" in said and "exceeded" not in said
