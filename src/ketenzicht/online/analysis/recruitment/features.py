"""Lexicon features of a post: which signs it shows, how often, and whether in quotation.

A warning or a news item often quotes a whole recruitment post; what tells them apart is
that the hooks stand inside quotation marks and that warning or news words stand outside.
So each post gets, next to the per-sign counts, the share of its sign hits that are quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ketenzicht.online.analysis.extraction.normalize import Folded, fold
from ketenzicht.online.analysis.recruitment.lexicon import Hit, Lexicon

# Quotation: “…”, „…”, «…», "…", and '…' when it spans at least three words.
_QUOTES: Final = re.compile(r"“[^”]{3,}”|„[^”“]{3,}[”“]|«[^»]{3,}»|\"[^\"]{3,}\""
                            r"|(?<!\w)'[^']*\s[^']*\s[^']*'(?!\w)")
_CONTACT: Final = re.compile(r"@[a-z0-9_.]{3,}|t\.me/|tikkie\.me|bunq\.me|paypal\.me"
                             r"|\b06[\s-]?\d{8}\b|\+31\s?6")
_AGE_NUMBER: Final = re.compile(r"(?<!\d)(1[0-9]|2[0-5])(?!\d)")
EXTRA: Final = ("n_signs", "quoted_share", "counter_x_signs", "contact", "length")


@dataclass(frozen=True, slots=True)
class PostFeatures:
    """A post's lexicon hits and its dense feature row."""

    folded: Folded
    hits: list[Hit]
    quoted: list[bool]
    row: npt.NDArray[np.float64]
    min_age: int | None


def names(lexicon: Lexicon) -> list[str]:
    """Column names of :func:`extract`'s row, for the explanation."""
    out = []
    for code in lexicon.codes:
        out += [f"{code}", f"{code}#count"]
    return out + list(EXTRA)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted passages in ``text``."""
    return [m.span() for m in _QUOTES.finditer(text)]


def min_age(hits: list[Hit]) -> int | None:
    """The lowest age an age-target hit names ("vanaf 15", "16+"), or None."""
    ages = [int(m.group(1)) for h in hits if h.code == "age_target"
            for m in _AGE_NUMBER.finditer(h.text)]
    return min(ages) if ages else None


def extract(lexicon: Lexicon, text: str) -> PostFeatures:
    """Hits and the dense feature row of one post."""
    folded = fold(text)
    hits = lexicon.find(folded)
    spans = quote_spans(text)
    quoted = [any(a <= h.start and h.end <= b for a, b in spans) for h in hits]
    codes = lexicon.codes
    kinds = {s.code: s.kind for s in lexicon.signs}
    counts = dict.fromkeys(codes, 0)
    for h in hits:
        counts[h.code] += 1
    row = np.zeros(2 * len(codes) + len(EXTRA))
    for i, code in enumerate(codes):
        row[2 * i] = 1.0 if counts[code] else 0.0
        row[2 * i + 1] = min(counts[code], 3) / 3
    positive = [h for h, q in zip(hits, quoted, strict=True) if kinds[h.code] == "sign"]
    n_signs = len({h.code for h in positive})
    n_counter = len({h.code for h in hits if kinds[h.code] == "counter"})
    in_quotes = sum(1 for h, q in zip(hits, quoted, strict=True)
                    if q and kinds[h.code] == "sign")
    base = 2 * len(codes)
    row[base] = n_signs / 6
    row[base + 1] = in_quotes / len(positive) if positive else 0.0
    row[base + 2] = min(n_counter, 3) * n_signs / 18
    row[base + 3] = 1.0 if _CONTACT.search(folded.text) else 0.0
    row[base + 4] = min(len(text), 1000) / 1000
    return PostFeatures(folded, hits, quoted, row, min_age(hits))
