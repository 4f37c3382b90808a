"""Digit runs: stretches of digits, number words and look-alike letters that may be a phone.

A run is found by one compiled regex over the masked, folded text; only runs long enough to
hold a phone number are taken apart in Python.  Taking apart means: split the run into pieces
(digits, number words, look-alike letters), drop pieces that are ordinary words after all,
compose "thirty four" into "34", and cut the run into segments wherever something that is not
part of a number stands between two pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from ketenzicht.online.analysis.extraction.numwords import Word, lexicon

LETTER: Final = r"[^\W\d_]"
# Characters that may stand between the parts of one number.  Conventional ones (space, dash,
# dot, brackets) and the ones evasive ads use ("587*800*2406", "773$2four0$13seventeen").
SEP_CLASS: Final = r"[\s\-./*_;'\"~$()\[\]]"
MIN_RUN_CHARS: Final = 7  # the shortest valid numbers anywhere have seven digits
LOOKALIKES: Final[dict[str, str]] = {"o": "0", "i": "1", "l": "1", "|": "1"}
STRONG_KINDS: Final = frozenset({"digit", "teen", "tens", "prefix"})


@dataclass(slots=True)
class Piece:
    """One digit group, number word or look-alike letter inside a run (folded offsets)."""

    kind: str  # "d" digits, "w" number word, "l" look-alike letter
    text: str
    start: int
    end: int
    sep: str  # separator characters right before this piece; "" when glued to the previous
    word: Word | None = None

    @property
    def strong(self) -> bool:
        """Digits and real number words; homophones and look-alikes alone prove nothing."""
        return self.kind == "d" or (self.word is not None and self.word.kind in STRONG_KINDS)


@dataclass(slots=True)
class Unit:
    """Digits contributed by one or more pieces, with what they were made of."""

    digits: str
    start: int
    end: int
    sep: str
    words: bool = False
    lookalike: bool = False
    pipe: bool = False  # "|" read as 1; if that yields nothing it is retried as a separator
    spaced_single: bool = False  # one bare digit standing between separators


@dataclass(slots=True)
class Run:
    """The segments of one run, each a list of units, and whether it opened with "+"."""

    plus: bool
    plus_start: int
    segments: list[list[Unit]] = field(default_factory=list)


@cache
def run_regex() -> re.Pattern[str]:
    """The regex that finds candidate runs; compiled once, it embeds the number-word trie."""
    words = lexicon().pattern
    piece = rf"(?:[0-9]|{words}|[oil|])"
    # A chunk may start right after a letter only with a digit ("bel0612..."), and may end
    # right before a letter only with a digit ("7864865044tengo"): a number word glued to an
    # ordinary word ("someone", "often") is part of that word.
    chunk = (rf"(?:[0-9|]|(?<!{LETTER})(?:{words}|[oil]))(?:{piece})*"
             rf"(?:(?<=[0-9|])|(?!{LETTER}))")
    # "+" is its own branch rather than an optional prefix: a pattern that may start with
    # anything cannot be skipped ahead by ``re``, and this regex scans every ad.
    return re.compile(rf"(?:\+\s?{chunk}|{chunk})(?:{SEP_CLASS}{{1,5}}{chunk})*")


@cache
def _token_regex() -> re.Pattern[str]:
    words = lexicon().pattern
    return re.compile(
        rf"(?P<d>[0-9]+)|(?P<w>{words})|(?P<l>[oil|])|(?P<p>\+)"
        rf"|(?P<s>{SEP_CLASS}+)"
    )


def parse_run(text: str, start: int, end: int) -> Run:
    """Split the run ``text[start:end]`` into pieces and compose them into segments."""
    lex = lexicon()
    pieces: list[Piece] = []
    plus = False
    plus_start = start
    sep = ""
    for m in _token_regex().finditer(text, start, end):
        kind = m.lastgroup
        if kind == "s":
            sep += m.group()
        elif kind == "p":
            plus = not pieces
            plus_start = m.start()
        elif kind is not None:
            token = m.group()
            word = lex.get(token) if kind == "w" else None
            pieces.append(Piece(kind, token, m.start(), m.end(), sep, word))
            sep = ""
    run = Run(plus, plus_start)
    run.segments = _compose(_keep(pieces))
    return run


def _chunks(pieces: list[Piece]) -> list[list[Piece]]:
    """Group pieces that are glued together (no separator between them)."""
    chunks: list[list[Piece]] = []
    for piece in pieces:
        if piece.sep or not chunks:
            chunks.append([piece])
        else:
            chunks[-1].append(piece)
    return chunks


def _keep(pieces: list[Piece]) -> list[Piece | None]:
    """Replace chunks that are not number material by ``None`` (a segment break).

    A chunk with no digit and no real number word ("to", "for", "y", a lone "i" or "o") is
    a filler.  Fillers count only next to numbers: between two ("six oh two", "0 6 1 2 o 4"),
    or at most two of them at either end of a run ("o 2 O 5 8 ...", "... 3 . | . l"), which
    window search drops again if they make the number invalid.
    """
    chunks = _chunks(pieces)
    strong = [any(p.strong for p in chunk) for chunk in chunks]
    filler = [
        not strong[i] and all(
            p.kind == "l" or (p.word is not None and p.word.kind in ("weak", "connector"))
            for p in chunk)
        for i, chunk in enumerate(chunks)
    ]
    keep = list(strong)
    i, n = 0, len(chunks)
    while i < n:
        if not filler[i]:
            i += 1
            continue
        j = i
        while j < n and filler[j]:
            j += 1
        before = i > 0 and strong[i - 1]
        after = j < n and strong[j]
        edge = (i == 0 and after) or (j == n and before)
        lookalikes_only = all(p.kind == "l" for chunk in chunks[i:j] for p in chunk)
        if (before and after) or (edge and j - i <= 2 and lookalikes_only):
            keep[i:j] = [True] * (j - i)
        i = j
    kept: list[Piece | None] = []
    for chunk, ok in zip(chunks, keep, strict=True):
        if ok:
            kept.extend(chunk)
        else:
            kept.append(None)
    return kept


def _compose(pieces: list[Piece | None]) -> list[list[Unit]]:
    """Turn pieces into digit units, composing tens + unit, and split at breaks."""
    segments: list[list[Unit]] = [[]]
    i = 0
    n = len(pieces)
    while i < n:
        piece = pieces[i]
        if piece is None:
            segments.append([])
            i += 1
            continue
        unit, i = _unit_at(pieces, i)
        if unit is None:  # a connector that joins nothing: "and" between two numbers
            segments.append([])
            continue
        segments[-1].append(unit)
    return [seg for seg in segments if seg]


def _unit_at(pieces: list[Piece | None], i: int) -> tuple[Unit | None, int]:
    piece = pieces[i]
    assert piece is not None
    word = piece.word
    if piece.kind == "d":
        single = len(piece.text) == 1 and bool(piece.sep) and _next_sep(pieces, i)
        return Unit(piece.text, piece.start, piece.end, piece.sep, spaced_single=single), i + 1
    if piece.kind == "l":
        return Unit(LOOKALIKES[piece.text], piece.start, piece.end, piece.sep, lookalike=True,
                    pipe=piece.text == "|"), i + 1
    assert word is not None
    if word.kind == "connector":
        return None, i + 1
    if word.kind in ("tens", "prefix"):
        j = i + 1
        nxt = _word_at(pieces, j)
        if nxt is not None and nxt.kind == "connector" and not nxt.unit_first:
            j += 1
            nxt = _word_at(pieces, j)
        if nxt is not None and nxt.kind == "digit" and 1 <= nxt.value <= 9:
            end = pieces[j].end  # type: ignore[union-attr]
            return Unit(str(word.value + nxt.value), piece.start, end, piece.sep, words=True), j + 1
        return Unit(str(word.value), piece.start, piece.end, piece.sep, words=True), i + 1
    if word.kind == "digit" and 1 <= word.value <= 9:
        conn = _word_at(pieces, i + 1)
        tens = _word_at(pieces, i + 2)
        if conn is not None and conn.unit_first and tens is not None and tens.kind == "tens":
            end = pieces[i + 2].end  # type: ignore[union-attr]
            value = str(tens.value + word.value)
            return Unit(value, piece.start, end, piece.sep, words=True), i + 3
    return Unit(str(word.value), piece.start, piece.end, piece.sep, words=True), i + 1


def _word_at(pieces: list[Piece | None], i: int) -> Word | None:
    if i < len(pieces):
        piece = pieces[i]
        if piece is not None:
            return piece.word
    return None


def _next_sep(pieces: list[Piece | None], i: int) -> bool:
    if i + 1 >= len(pieces):
        return True
    nxt = pieces[i + 1]
    return nxt is None or bool(nxt.sep)
