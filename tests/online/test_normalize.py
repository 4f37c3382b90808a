"""Folding: one alphabet for matching, with a faithful way back to the original text."""

from __future__ import annotations

import pytest

from ketenzicht.online.analysis.extraction.normalize import fold, fold_pattern, fold_word


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bel ME", "bel me"),
        ("０６１２３４５６７８", "0612345678"),  # fullwidth digits
        ("𝟎𝟔𝟏𝟐", "0612"),  # mathematical bold digits
        ("06\u200b12\u200c34\u200d56\u206078\ufeff", "0612345678"),  # zero-width characters
        ("0\ufe0f\u20e36\ufe0f\u20e3", "06"),  # keycap emoji
        ("Één drieëntwintig", "een drieentwintig"),  # accents
        ("zеrо", "zero"),  # Cyrillic е and о inside a Latin word
        ("О6", "o6"),  # Cyrillic capital O standing for a zero
        ("Ｚｅｒｏ", "zero"),  # fullwidth letters
        ("łódź", "lodz"),
    ],
)
def test_fold_maps_disguises_to_plain_ascii(text: str, folded: str) -> None:
    assert fold(text).text == folded


def test_fold_keeps_offsets_back_to_the_original() -> None:
    text = "bel 0\ufe0f\u20e36\ufe0f\u20e3 nu"
    folded = fold(text)
    start = folded.text.index("06")
    assert folded.quote(start, start + 2) == "0\ufe0f\u20e36\ufe0f\u20e3"
    assert folded.quote(0, 3) == "bel"
    assert folded.quote(folded.text.index("nu"), len(folded.text)) == "nu"


def test_ascii_text_takes_the_fast_path_without_an_index() -> None:
    assert fold("Plain ASCII 123").index is None


def test_upper_and_lower_case_fold_alike_in_any_script() -> None:
    assert fold_word("НУЛА") == fold_word("нула")
    assert fold_word("ŞASE") == fold_word("șase") == "sase"


def test_fold_pattern_leaves_regex_syntax_alone() -> None:
    assert fold_pattern(r"\S+\W") == r"\S+\W"
    assert fold_pattern(r"\bлв\S") == r"\bл" + fold_word("в") + r"\S"
