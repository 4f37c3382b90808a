"""Stated ages: "23 jaar", "age: 19", "I'm 21", "drieëntwintig jaar", "douăzeci și doi de ani".

Ages below 18 matter most (any sexual service by a minor is trafficking under Dutch law), so
the range kept is 12-69 rather than 18 and up: a stated 16 must reach the indicators.
"""

from __future__ import annotations

import re
from typing import Final

from text_to_num import text2num

from ketenzicht.online.analysis.extraction.normalize import fold_pattern, fold_word
from ketenzicht.online.analysis.extraction.numwords import lexicon, trie_pattern
from ketenzicht.online.analysis.extraction.types import Context, Found

MIN_AGE: Final = 12
MAX_AGE: Final = 69
# Each pattern starts with a literal or a digit so that ``re`` can skip ahead quickly; the
# checks that need the character before a match are done in Python on the few matches.
_NOT_MORE: Final = r"(?![0-9]|[.,/:][0-9]|\s?(?:cm|kg|euro?|eur|€|\$|min|uur|u\b|h\b|%|x))"
_UNIT: Final = (
    r"[\s-]?(?:jaar|jarige?|jr|j\.|years?|yrs?|yo|y/o|y\.o\.?|anos|años|ani|de ani|lat|lata"
    r"|години|год|jahre|ans|anni)\b"
)
_NUMBER_UNIT: Final = re.compile(fold_pattern(rf"([1-6][0-9]){_UNIT}"))
_LABELS: Final = ("age", "leeftijd", "edad", "varsta", "wiek", "възраст", "alter", "eta", "im",
                   "i'm", "i am", "ik ben", "soy", "tengo", "sunt", "jestem", "аз съм", "ich bin")
_LABEL_NUMBER: Final = re.compile(
    rf"(?:{trie_pattern(sorted(fold_word(w) for w in _LABELS))})"
    rf"\s*[:=\-]?\s*([1-6][0-9]){fold_pattern(_NOT_MORE)}"
)
_WORD_UNIT: Final = re.compile(fold_pattern(
    r"(?:jaar|years?(?:\s+old)?|anos|ani|de ani|lat|години|jahre)(?![^\W_])"
))
_WORDS_BEFORE: Final = re.compile(r"((?:[^\W\d_]+[\s-]){0,2}[^\W\d_]+)\s+$")
_UNIT_LANG: Final = {"jaar": "nl", "year": "en", "years": "en", "anos": "es", "jahre": "de"}
_WORD_CHAR: Final = re.compile(r"[\w.,]")


def _words_to_age(words: str, unit: str) -> int | None:
    lang = _UNIT_LANG.get(unit.split()[0]) if unit.strip() else None
    tokens = words.lower().replace("-", " ").split()
    for size in (3, 2, 1):  # longest tail first: "twenty three" before "three"
        if len(tokens) < size:
            continue
        phrase = " ".join(tokens[-size:])
        value = _text2num(phrase, lang) if lang else _lexicon_number(tokens[-size:])
        if value is not None:
            return value
    return None


def _text2num(phrase: str, lang: str) -> int | None:
    try:
        return int(text2num(phrase, lang))
    except ValueError:
        return None


def _lexicon_number(tokens: list[str]) -> int | None:
    """Compose "douăzeci și doi" or "двадесет и две" from the folded number-word table."""
    lex = lexicon()
    total = 0
    seen_tens = False
    for token in tokens:
        word = lex.get(fold_word(token))
        if word is None:
            return None
        if word.kind == "connector":
            continue
        if word.kind in ("tens", "teen") and not seen_tens and total == 0:
            total, seen_tens = word.value, word.kind == "tens"
        elif word.kind == "digit" and (total == 0 or seen_tens) and total % 10 == 0:
            total += word.value
        else:
            return None
    return total or None


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.ages`` with every distinct plausible stated age."""
    text = ctx.folded.text
    found: dict[int, Found] = {}

    def add(value: int, start: int, end: int, **extra: object) -> None:
        if MIN_AGE <= value <= MAX_AGE and value not in found:
            found[value] = Found(str(value), ctx.evidence(start, end), dict(extra))

    for m in _NUMBER_UNIT.finditer(text):
        if m.start() == 0 or not _WORD_CHAR.match(text, m.start() - 1):
            add(int(m.group(1)), m.start(), m.end())
    for m in _LABEL_NUMBER.finditer(text):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            add(int(m.group(1)), m.start(), m.end())
    for m in _WORD_UNIT.finditer(text):
        if m.start() and text[m.start() - 1].isalnum():
            continue
        before = _WORDS_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before is None:
            continue
        original = ctx.folded.quote(before.start(1), before.end(1))
        value = _words_to_age(original, m.group())
        if value is not None:
            add(value, before.start(1), m.end(), spelled=True)
    ctx.result.ages = list(found.values())
    ctx.inc("ages/found", len(found))
