"""Stated nationality or ethnicity: "Roemeense dame", "new Latina girl", "soy colombiana"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from ketenzicht.online.analysis.extraction.data import read_yaml
from ketenzicht.online.analysis.extraction.normalize import fold_word
from ketenzicht.online.analysis.extraction.numwords import trie_pattern
from ketenzicht.online.analysis.extraction.types import Context, Found

_AFTER_CHARS: Final = 22
_BEFORE_CHARS: Final = 16


@dataclass(frozen=True, slots=True)
class OriginTable:
    """Folded origin words, which of them need context, and the matchers."""

    words: dict[str, tuple[str, str]]  # folded word -> (origin, "nationality" | "ethnicity")
    service_terms: frozenset[str]
    pattern: re.Pattern[str]
    person_after: re.Pattern[str]
    self_before: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return trie_pattern(sorted({fold_word(w) for w in words}))


@cache
def table() -> OriginTable:
    """Load origins.yaml once and compile its matchers."""
    data = read_yaml("origins.yaml")
    words: dict[str, tuple[str, str]] = {}
    for kind in ("nationality", "ethnicity"):
        for origin, spellings in data[kind].items():
            for spelling in spellings:
                words.setdefault(fold_word(str(spelling)), (str(origin), kind))
    boundary = r"(?<![^\W_])(?:{})(?![^\W_])"
    return OriginTable(
        words,
        frozenset(fold_word(str(w)) for w in data["service_terms"]),
        re.compile(boundary.format(_alternation(list(words)))),
        re.compile(r"^[\s,\-]*(?:[^\W\d_]+\s+)?" + boundary.format(
            _alternation([str(w) for w in data["person_nouns"]]))),
        re.compile(boundary.format(_alternation([str(w) for w in data["self_phrases"]]))
                   + r"\s+(?:[^\W\d_]+\s+)?$"),
    )


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.origins`` with distinct stated origins."""
    t = table()
    text = ctx.folded.text
    seen: dict[str, Found] = {}
    for m in t.pattern.finditer(text):
        word = m.group()
        origin, kind = t.words[word]
        if origin in seen:
            continue
        if word in t.service_terms and not (
            t.person_after.match(text[m.end():m.end() + _AFTER_CHARS])
            or t.self_before.search(text[max(0, m.start() - _BEFORE_CHARS):m.start()])
        ):
            ctx.inc("origins/service_term_skipped")
            continue
        seen[origin] = Found(origin, ctx.evidence(m.start(), m.end()), {"kind": kind})
    ctx.result.origins = list(seen.values())
    ctx.inc("origins/found", len(seen))
