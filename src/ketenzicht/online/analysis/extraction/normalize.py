"""Fold ad text into one matching alphabet while keeping a map back to the original.

Every extractor matches on the *folded* text: lower case, accents stripped, fullwidth and
mathematical digits turned into ASCII, zero-width characters and keycap marks removed and
Cyrillic/Greek look-alikes replaced by the Latin letter they imitate.  Evidence, however, must
quote what the ad really said, so :class:`Folded` maps every folded offset back to the
original text.

Folding is character by character (each character becomes one character or nothing), which is
what keeps the offset map a plain list and lets ``str.translate`` do the work in C.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

# Kinds of non-ASCII characters; the phone extractor turns these into obfuscation styles.
ZERO_WIDTH: Final = "zero_width"
KEYCAP: Final = "keycap"
IGNORABLE: Final = "ignorable"  # variation selectors and combining marks: removed, no style
UNICODE_DIGIT: Final = "unicode_digit"
HOMOGLYPH: Final = "homoglyph"  # a letter of another script that imitates a Latin one
STYLED: Final = "styled"  # fullwidth or mathematical copies of Latin letters
ACCENT: Final = "accent"
OTHER: Final = "other"

_ZERO_WIDTH_CPS: Final = frozenset(
    {0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C, 0x200D,
     0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063,
     0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x3164, 0xFEFF, 0xFFA0}
)
_KEYCAP_CP: Final = 0x20E3

# Letters from other scripts that pass for Latin ones.  Only the visual twins are listed:
# mapping every Cyrillic letter would garble genuine Bulgarian text for no gain.
_HOMOGLYPHS: Final[dict[str, str]] = {
    # Cyrillic, keyed by lower case so that "О" and "о" fold alike
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ӏ": "l", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ү": "y",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "μ": "m", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x",
    # Latin and symbols that imitate l, I, | and 0
    "ǀ": "|", "ı": "i", "ℓ": "l", "ⅰ": "i", "ⅼ": "l", "∣": "|", "│": "|", "ⵏ": "l", "ø": "o",
    "○": "o", "◯": "o", "⭕": "o",
}
# Letters without a Unicode decomposition that still have an obvious ASCII base.
_EXTRA_FOLDS: Final[dict[str, str]] = {
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "s", "æ": "a", "Æ": "a", "œ": "o", "Œ": "o",
    "þ": "t", "ð": "d", "’": "'", "‘": "'", "´": "'", "＇": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-", "＋": "+", "\u00a0": " ",
}


def _classify(ch: str) -> tuple[str | None, str]:
    """Return ``(folded, kind)`` for one non-ASCII character; ``None`` deletes it."""
    cp = ord(ch)
    if cp in _ZERO_WIDTH_CPS:
        return None, ZERO_WIDTH
    if cp == _KEYCAP_CP:
        return None, KEYCAP
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or unicodedata.combining(ch):
        return None, IGNORABLE
    digit = unicodedata.digit(ch, None)
    if digit is not None:
        return str(digit), UNICODE_DIGIT
    lower = ch.lower()
    if lower in _HOMOGLYPHS:
        return _HOMOGLYPHS[lower], HOMOGLYPH
    if ch in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[ch], ACCENT
    decomposition = unicodedata.decomposition(ch)
    if decomposition:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii():
            # "<font>", "<wide>" and friends are styled copies of ASCII: a disguise, not a
            # spelling; canonical decompositions (é = e + ´) are ordinary accents.
            styled = decomposition.startswith("<")
            kind = (STYLED if base.isalpha() else OTHER) if styled else ACCENT
            return base.lower(), kind
    return (lower if len(lower) == 1 else ch), OTHER


class _FoldTable(dict[int, str | None]):
    """A ``str.translate`` table that classifies each new code point on first sight."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds: dict[int, str] = {}
        self.deleted: set[int] = set()

    def __missing__(self, cp: int) -> str | None:
        if cp < 128:
            value: str | None = chr(cp)
            kind = OTHER
        else:
            value, kind = _classify(chr(cp))
        self[cp] = value
        self.kinds[cp] = kind
        if value is None:
            self.deleted.add(cp)
        return value


_TABLE: Final = _FoldTable()


def char_kind(ch: str) -> str:
    """Return the kind (``ZERO_WIDTH``, ``HOMOGLYPH``, ...) of a character seen by the folder."""
    cp = ord(ch)
    if cp < 128:
        return OTHER
    if cp not in _TABLE.kinds:
        _TABLE.__missing__(cp)
    return _TABLE.kinds[cp]


@dataclass(frozen=True, slots=True)
class Folded:
    """Original text, its folded form and the map from folded to original offsets."""

    original: str
    text: str
    index: list[int] | None  # None: offsets are the same in both

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded ``[start, end)`` span to the original text."""
        if self.index is None:
            return start, end
        if start >= end:
            pos = self.index[start] if start < len(self.index) else len(self.original)
            return pos, pos
        # Characters deleted right after the span (keycap marks, zero-width joiners) belong to
        # it: a keycap digit is three code points and the evidence must show all three.
        stop = self.index[end] if end < len(self.index) else len(self.original)
        return self.index[start], stop

    def quote(self, start: int, end: int) -> str:
        """The original characters behind a folded span."""
        a, b = self.span(start, end)
        return self.original[a:b]


_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


def _fold_char(m: re.Match[str]) -> str:
    value = _TABLE[ord(m.group())]
    return "" if value is None else value


def _kept_positions(text: str) -> list[int]:
    """Original offsets of the characters that folding keeps (deleted ones are rare)."""
    table = _TABLE
    index: list[int] = []
    previous = 0
    for m in _NON_ASCII.finditer(text):
        if table[ord(m.group())] is None:
            pos = m.start()
            index.extend(range(previous, pos))
            previous = pos + 1
    index.extend(range(previous, len(text)))
    return index


def fold(text: str) -> Folded:
    """Fold ``text`` for matching.

    Only non-ASCII characters need the table, and ads carry few of them (an accent, an emoji,
    a disguised digit), so a regex finds them and everything else stays a C-level copy.
    """
    if text.isascii():
        return Folded(text, text.lower(), None)
    translated = _NON_ASCII.sub(_fold_char, text)
    index: list[int] | None = None
    if len(translated) != len(text):
        index = _kept_positions(text)
    lowered = translated.lower()
    if len(lowered) != len(translated):  # a character whose lower case is longer: keep 1:1
        lowered = "".join(c.lower()[0] for c in translated)
    return Folded(text, lowered, index)


def fold_word(word: str) -> str:
    """Fold a lexicon entry exactly as ad text is folded, so both meet in the same alphabet."""
    return fold(word).text


def fold_pattern(pattern: str) -> str:
    """Fold the literal non-ASCII characters of a regex, leaving its ASCII syntax alone.

    Patterns written with "лв" or "één" must meet ad text in the folded alphabet, but
    lower-casing the whole pattern would turn ``\\S`` into ``\\s``.
    """
    if pattern.isascii():
        return pattern
    return "".join(ch if ord(ch) < 128 else fold(ch).text for ch in pattern)
