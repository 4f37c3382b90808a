"""Number words of the six ad languages, folded, with a trie-shaped regex to find them fast."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from ketenzicht.online.analysis.extraction.data import read_yaml
from ketenzicht.online.analysis.extraction.normalize import fold_word

WordKind = Literal["digit", "teen", "tens", "prefix", "weak", "connector"]

_SECTIONS: Final[dict[str, WordKind]] = {
    "digits": "digit", "teens": "teen", "tens": "tens", "prefixes": "prefix", "weak": "weak",
}


@dataclass(frozen=True, slots=True)
class Word:
    """One folded number word: its value, its role and the language it comes from."""

    value: int
    kind: WordKind
    lang: str
    unit_first: bool = False  # Dutch "vierendertig": the unit comes before "en" + tens


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All number words, keyed by their folded spelling."""

    words: dict[str, Word]
    pattern: str  # regex alternation, trie-shaped, longest spelling first

    def get(self, folded: str) -> Word | None:
        """Look a folded word up."""
        return self.words.get(folded)


def trie_pattern(words: Iterable[str]) -> str:
    """Build a regex alternation shaped like a trie.

    A flat ``a|b|c`` over hundreds of words makes ``re`` try every branch at every position;
    sharing prefixes lets it reject a position after one or two characters.  A word that is a
    prefix of another becomes an optional tail, tried greedily, so the longest word wins.
    """
    root: dict[str, dict[str, object]] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[""] = {}
    return _node_pattern(root)


def _node_pattern(node: dict[str, dict[str, object]]) -> str:
    terminal = "" in node
    branches = [
        re.escape(ch) + _node_pattern(child)  # type: ignore[arg-type]
        for ch, child in sorted(node.items())
        if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if terminal:
        return (body if len(branches) == 1 and len(body) == 1 else f"(?:{body})") + "?"
    return body


def load_table() -> dict[str, dict[str, object]]:
    """The raw YAML table (one mapping per language)."""
    return read_yaml("numwords.yaml")


@cache
def lexicon() -> Lexicon:
    """Load and fold the number-word table once per process."""
    words: dict[str, Word] = {}
    for lang, table in load_table().items():
        unit_first = bool(table.get("unit_first", False))
        entries: list[tuple[str, int, WordKind]] = []
        for section, kind in _SECTIONS.items():
            mapping = table.get(section) or {}
            if not isinstance(mapping, dict):
                raise ValueError(f"numwords.yaml: {lang}.{section} must be a mapping")
            entries.extend((str(w), int(v), kind) for w, v in mapping.items())
        connectors = table.get("connectors") or []
        if not isinstance(connectors, list):
            raise ValueError(f"numwords.yaml: {lang}.connectors must be a list")
        entries.extend((str(w), 0, "connector") for w in connectors)
        for spelling, value, kind in entries:
            folded = fold_word(spelling)
            new = Word(value, kind, lang, unit_first and kind in ("tens", "connector"))
            old = words.get(folded)
            # A word that means two things keeps its strongest reading: a real number beats
            # a connector or a homophone.
            if (old is not None and (old.value, old.kind) != (value, kind)
                    and _rank(old.kind) >= _rank(kind)):
                continue
            words[folded] = new
    return Lexicon(words, trie_pattern(sorted(words)))


def _rank(kind: WordKind) -> int:
    return {"connector": 0, "weak": 1, "prefix": 2}.get(kind, 3)
