"""Spans that are never phone numbers: dates, times, prices, measures, postcodes, links.

The phone stage blanks these out around each candidate digit run before it reads the run,
so that a date and a time ("01-02-2025 12:00", whose digits would make a valid Rotterdam
number) or an account number cannot become a phone.  Blanking keeps offsets: each masked
character becomes ``MASK``, which no run can cross.  Each pattern is anchored so that it
cannot bite into a longer digit group: "06-12-34-56-78" must not lose "06-12-34" to the date
pattern.
"""

from __future__ import annotations

import re
from typing import Final

from ketenzicht.online.analysis.extraction.normalize import fold_pattern

MASK: Final = "\x00"

# The patterns below are "digit-led": each starts by consuming one digit, so that ``re`` can
# skip to the next digit with a fast scan instead of trying a dozen alternatives at every
# position.  The checks on what stands before the number are lookbehinds placed after that
# first digit (hence their extra "[0-9]").
#
# A number that starts a measurement must not itself continue a digit group ("06 1234 5678 u"
# ends in "5678 u", which is not "5678 uur"), nor be glued to letters that may stand for
# digits ("06361l3835 xx").
_OWN_GROUP: Final = r"(?<![\w|][0-9])(?<![0-9oil|][\s\-./][0-9])"
_PRICE_AFTER: Final = (r"[0-9]{0,3}(?:[.,][0-9]{1,3})?\s?(?:€|,-|euro?s?\b|eur\b|dollars?\b"
                       r"|pounds?\b|lei\b|ron\b|pln\b|zl\b|лв)")
_MEASURE: Final = (r"[0-9]{0,3}(?:[.,][0-9]{1,2})?\s?(?:cm|kg|mm|m|jaar|jr|jarige?|yrs?|years?|yo"
                   r"|y\.o|anos|ani|lat|lata|min|mins|minuten|minutes|uur|u|hr|hrs|h|hours?|ora"
                   r"|ore|godz|lbs|cup)\b")
# "1012 AB"; two-letter words that follow numbers in ads ("xx", "en", "of") are not letters
# of a postcode
_POSTCODE: Final = (r"[0-9]{3}\s?(?!(?:xx|en|of|or|op|in|ca|uu|is|at|to|me|je|ok|om|hi|ik|nu"
                    r"|la|an|as|be|by|do|go|he|if|it|my|no|on|so|up|us|we)\b)[a-z]{2}\b")
# 31-12-2025, 12/31/2025, 31.12.2025 followed by nothing digit-like; 2025-12-31
_DATE: Final = (r"(?<![0-9\-./][0-9])[0-9]?[-./][0-9]{1,2}[-./](?:19|20)[0-9]{2}(?![0-9])"
                r"|(?<![0-9][0-9])(?<=[12])[0-9]{3}-[01][0-9]-[0-3][0-9](?![0-9])")
_TIME: Final = r"(?<![0-9:][0-9])[0-9]?:[0-5][0-9](?![0-9:])"
_FEET: Final = r"(?<![0-9'\w][0-9])(?<=[4-7])'\s?[0-9]{1,2}(?![0-9])\"?"
_IBAN: Final = r"(?<=[a-z][a-z][0-9])[0-9]\s?[a-z]{4}(?:\s?[0-9]{2,4}){3,4}(?![0-9])"

_DIGIT_LED: Final = (
    rf"[0-9](?:{_OWN_GROUP}(?:{_PRICE_AFTER}|{_MEASURE}|{_POSTCODE})|{_DATE}|{_TIME}|{_FEET}"
    rf"|{_IBAN})"
)
_SYMBOL_PRICE: Final = r"[€$£](?<![\w][€$£])\s?[0-9]{1,4}(?:[.,][0-9]{1,3})?(?![0-9])"
_REGISTRY: Final = (r"(?:kvk|btw|bsn|iban)\s?(?:nr|nummer|no)?[.:#\s-]*[0-9]{5,}"
                    r"|(?:id|ref|order)\s?[#:]\s?[0-9]{5,}")

# Links and addresses are masked across the whole text, but only when a cheap test says the
# ad has any: their patterns would otherwise be tried at every position of every ad.
_URL: Final = re.compile(r"(?:https?://|www\.)[^\s<>\"]+")
_TLD: Final = re.compile(r"\.(?:com|nl|net|org|info|eu|be|de|ro|pl|bg|ru|es|co\.uk|io)(?![a-z0-9])")
# a host needs a letter: "bel 0612345678.De ..." ends a sentence, it is not a domain
_HOST_TAIL: Final = re.compile(r"[a-z0-9][a-z0-9.-]*$")
_HAS_LETTER: Final = re.compile(r"[a-z]")
_PATH: Final = re.compile(r"/[^\s<>\"]*")
_EMAIL: Final = re.compile(r"(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")

NEVER_A_PHONE: Final = re.compile(fold_pattern(f"{_DIGIT_LED}|{_SYMBOL_PRICE}|{_REGISTRY}"))
WINDOW_PAD: Final = 16  # context a never-a-phone pattern needs around a digit run


def link_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, bare domains and e-mail addresses in folded ``text``."""
    spans: list[tuple[int, int]] = []
    if "http" in text or "www." in text:
        spans.extend(m.span() for m in _URL.finditer(text))
    for m in _TLD.finditer(text):
        head = _HOST_TAIL.search(text, max(0, m.start() - 64), m.start())
        if head is None or not _HAS_LETTER.search(head.group()):
            continue
        path = _PATH.match(text, m.end())
        spans.append((head.start(), path.end() if path else m.end()))
    if "@" in text:
        spans.extend(m.span() for m in _EMAIL.finditer(text))
    return spans


def never_spans(text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Never-a-phone spans: links anywhere, the rest only inside the given windows."""
    spans = link_spans(text)
    n = len(text)
    for start, end in windows:
        a, b = max(0, start - WINDOW_PAD), min(n, end + WINDOW_PAD)
        spans.extend(m.span() for m in NEVER_A_PHONE.finditer(text, a, b))
    return spans


def apply(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank the given spans out of ``text``, keeping its length."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def mask(text: str) -> str:
    """Blank out every never-a-phone span of folded ``text`` (the whole text is one window)."""
    return apply(text, never_spans(text, [(0, len(text))]))


def explain(text: str) -> list[str]:
    """The never-a-phone spans of ``text`` as strings (for tests and debugging)."""
    return [text[a:b] for a, b in sorted(never_spans(text, [(0, len(text))]))]
