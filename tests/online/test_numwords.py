"""The number-word table, checked against text2num where text2num knows the language."""

from __future__ import annotations

import re

import pytest
from text_to_num import text2num  # type: ignore[import-untyped]

from ketenzicht.online.analysis.extraction.numwords import lexicon, load_table, trie_pattern


@pytest.mark.parametrize("lang", ["nl", "en", "es"])
def test_table_agrees_with_text2num(lang: str) -> None:
    # text2num (alpha2digit) supports en, fr, es, de, nl, pt and it; Romanian, Polish and
    # Bulgarian are not supported, which is why the table exists.
    table = load_table()[lang]
    for section in ("digits", "teens", "tens"):
        for word, value in table[section].items():  # type: ignore[union-attr]
            assert text2num(word, lang) == value, (lang, word)


@pytest.mark.parametrize("lang", ["ro", "pl", "bg"])
def test_text2num_lacks_these_languages(lang: str) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        text2num("zero", lang)


def test_every_language_has_all_ten_digits() -> None:
    for lang, table in load_table().items():
        assert sorted(set(table["digits"].values())) == list(range(10)), lang  # type: ignore[union-attr]


def test_homophones_are_weak_and_connectors_join() -> None:
    lex = lexicon()
    assert lex.get("for") is not None and lex.get("for").kind == "weak"  # type: ignore[union-attr]
    assert lex.get("een") is not None and lex.get("een").value == 1  # type: ignore[union-attr]
    assert lex.get("en") is not None and lex.get("en").kind == "connector"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        (["seven", "seventeen", "seventy"], "seventeen", "seventeen"),
        (["one", "on"], "one", "one"),
        (["to", "too", "two"], "too", "too"),
    ],
)
def test_trie_pattern_prefers_the_longest_word(words: list[str], text: str, expected: str) -> None:
    assert re.match(trie_pattern(words), text).group() == expected  # type: ignore[union-attr]
