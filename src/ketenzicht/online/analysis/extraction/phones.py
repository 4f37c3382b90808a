"""Phone numbers: de-obfuscate digit runs, validate them with ``phonenumbers``, name the disguise.

How a number was obscured is recorded per number (``styles``) because an obscured number is
itself a predictor of trafficking (JRSA/NIJ 2022, 1,263 ads with known outcomes).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import phonenumbers as pn

from ketenzicht.online.analysis.extraction import masks
from ketenzicht.online.analysis.extraction.normalize import (
    HOMOGLYPH,
    KEYCAP,
    STYLED,
    UNICODE_DIGIT,
    ZERO_WIDTH,
    Folded,
    char_kind,
)
from ketenzicht.online.analysis.extraction.runs import MIN_RUN_CHARS, Unit, parse_run, run_regex
from ketenzicht.online.analysis.extraction.types import Context, PhoneHit

SPELLED: Final = "spelled_words"
LOOKALIKE: Final = "lookalike_letters"
SEPARATORS: Final = "separators"
UNICODE_DIGITS: Final = "unicode_digits"
KEYCAP_EMOJI: Final = "keycap_emoji"
ZERO_WIDTH_STYLE: Final = "zero_width"
HOMOGLYPH_STYLE: Final = "homoglyph"
STYLES: Final = (SPELLED, LOOKALIKE, SEPARATORS, UNICODE_DIGITS, KEYCAP_EMOJI, ZERO_WIDTH_STYLE,
                 HOMOGLYPH_STYLE)

MIN_DIGITS: Final = 7
MAX_DIGITS: Final = 16  # "0031 6 1234 5678" is 13; E.164 allows 15 after the "+"
MAX_WINDOWS: Final = 80  # parse attempts per run segment; keeps a pathological ad cheap
_CONVENTIONAL_SEPS: Final = frozenset(" -.()\n\t\r")
_MESSENGER_LINK: Final = re.compile(r"(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?([0-9]{8,15})")
_WORD: Final = re.compile(r"[^\W_]+")
_ACCEPTED_TYPES: Final = frozenset({pn.PhoneNumberType.MOBILE,
                                    pn.PhoneNumberType.FIXED_LINE_OR_MOBILE})


@lru_cache(maxsize=4096)
def _national_prefix(region: str) -> str:
    meta = pn.PhoneMetadata.metadata_for_region(region)
    return (meta.national_prefix or "") if meta is not None else ""


@lru_cache(maxsize=4096)
def _bare_rule(region: str) -> tuple[str, str, frozenset[int]] | None:
    """For regions with a trunk prefix: (prefix, country code, lengths of bare mobiles)."""
    meta = pn.PhoneMetadata.metadata_for_region(region)
    prefix = _national_prefix(region)
    if meta is None or not prefix or prefix == "1":
        return None
    mobile = meta.mobile.possible_length if meta.mobile is not None else ()
    return prefix, str(meta.country_code), frozenset(mobile)


def _worth_parsing(digits: str, plus: bool, region: str) -> bool:
    """Cheap test that skips most windows that cannot pass :func:`validate` anyway."""
    if plus or digits.startswith("00"):
        return True
    rule = _bare_rule(region)
    if rule is None:
        return True
    prefix, country, mobile_lengths = rule
    return (digits.startswith(prefix) or digits.startswith(country)
            or len(digits) in mobile_lengths)


@lru_cache(maxsize=1 << 16)
def validate(digits: str, plus: bool, region: str, strict: bool = False) -> str | None:
    """Return the E.164 form of ``digits`` if it is a valid number, else ``None``.

    A national number in a country with a trunk prefix ("0" in NL) must be written with it,
    unless it is a mobile number: "612345678" is how Indian ads write mobiles, but a bare
    "232323232" in a Dutch ad is far more often a repeated age than Haarlem's area code.
    ``strict`` refuses bare mobiles too.  Cached because the same numbers recur across
    thousands of ads.
    """
    if not _worth_parsing(digits, plus, region):
        return None
    raw = f"+{digits}" if plus else digits
    try:
        number = pn.parse(raw, region, keep_raw_input=True)
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(number):
        return None
    if number.country_code_source == pn.CountryCodeSource.FROM_DEFAULT_COUNTRY:
        prefix = _national_prefix(region)
        if (prefix and prefix != "1" and not digits.startswith(prefix)
                and (strict or pn.number_type(number) not in _ACCEPTED_TYPES)):
            return None
    return pn.format_number(number, pn.PhoneNumberFormat.E164)


def find_in_segment(units: list[Unit], plus: bool, region: str) -> list[tuple[int, int, str]]:
    """Find valid numbers in a segment: the whole of it, else the longest windows, left to right.

    Windows are needed because a run often holds more than one thing: two numbers in a row,
    a number followed by "23 23 23", a price that could not be masked.  Windows are first
    tried strictly (trunk prefix or international form) and only then allowing bare mobile
    numbers, so that "65. zero six two ..." finds "06 2..." and not a bare "650 62...".
    """
    digits = [u.digits for u in units]
    whole = "".join(digits)
    if MIN_DIGITS <= len(whole) <= MAX_DIGITS:
        e164 = validate(whole, plus, region)
        if e164 is not None:
            return [(0, len(units), e164)]
    return _windows(digits, plus, region, strict=True) or _windows(
        digits, plus, region, strict=False)


def _windows(digits: list[str], plus: bool, region: str, strict: bool
             ) -> list[tuple[int, int, str]]:
    prefix_len = [0]
    for d in digits:
        prefix_len.append(prefix_len[-1] + len(d))
    found: list[tuple[int, int, str]] = []
    attempts = 0
    i = 0
    n = len(digits)
    while i < n:
        hit: tuple[int, int, str] | None = None
        for j in range(n, i, -1):
            length = prefix_len[j] - prefix_len[i]
            if length < MIN_DIGITS or length > MAX_DIGITS or (i == 0 and j == n):
                continue
            attempts += 1
            if attempts > MAX_WINDOWS:
                return found
            e164 = validate("".join(digits[i:j]), plus and i == 0, region, strict)
            if e164 is not None:
                hit = (i, j, e164)
                break
        if hit is None:
            i += 1
        else:
            found.append(hit)
            i = hit[1]
    return found


def styles_of(units: list[Unit], folded: Folded, start: int, end: int) -> tuple[str, ...]:
    """Name every way the number at folded ``[start, end)`` was obscured."""
    found: set[str] = set()
    if any(u.words for u in units):
        found.add(SPELLED)
    if any(u.lookalike for u in units):
        found.add(LOOKALIKE)
    seps = "".join(u.sep for u in units[1:])
    if (
        any(ch not in _CONVENTIONAL_SEPS for ch in seps)
        or seps.count("/") >= 2
        or sum(u.spaced_single for u in units) >= 3
    ):
        found.add(SEPARATORS)
    if folded.index is not None or not folded.original.isascii():
        found.update(_unicode_styles(folded.quote(start, end)))
    return tuple(s for s in STYLES if s in found)


def _unicode_styles(original: str) -> set[str]:
    if original.isascii():
        return set()
    found: set[str] = set()
    for ch in original:
        kind = char_kind(ch)
        if kind == ZERO_WIDTH:
            found.add(ZERO_WIDTH_STYLE)
        elif kind == KEYCAP:
            found.add(KEYCAP_EMOJI)
        elif kind == UNICODE_DIGIT:
            found.add(UNICODE_DIGITS)
        elif kind == STYLED:
            found.add(HOMOGLYPH_STYLE)
    # A Cyrillic "о" inside "О6" or "zеro" is a disguise; inside the Bulgarian word "осем"
    # it is just Bulgarian.  So count homoglyphs only in words that mix in ASCII or are tiny.
    for word in _WORD.findall(original):
        if any(char_kind(c) == HOMOGLYPH for c in word) and (
            len(word) <= 2 or any(c.isascii() for c in word)
        ):
            found.add(HOMOGLYPH_STYLE)
            break
    return found


def extract(folded: Folded, region: str) -> list[tuple[str, tuple[str, ...], int, int]]:
    """All phone numbers in ``folded`` as ``(e164, styles, start, end)`` in folded offsets.

    Runs are found on the unmasked text first; never-a-phone patterns are then applied only
    around the runs long enough to matter, which keeps the cost per ad low.
    """
    text = folded.text
    out: list[tuple[str, tuple[str, ...], int, int]] = []
    if "wa.me" in text or "whatsapp.com" in text:
        for m in _MESSENGER_LINK.finditer(text):
            e164 = validate(m.group(1), True, region)
            if e164 is not None:
                out.append((e164, (), m.start(), m.end()))
    finder = run_regex()
    windows = [m.span() for m in finder.finditer(text) if m.end() - m.start() >= MIN_RUN_CHARS]
    if not windows:
        return out
    masked = masks.apply(text, masks.never_spans(text, windows))
    for w_start, w_end in windows:
        for m in finder.finditer(masked, w_start, w_end):
            if m.end() - m.start() >= MIN_RUN_CHARS:
                out.extend(_numbers_in_run(masked, m.start(), m.end(), folded, region))
    return out


def _numbers_in_run(
    text: str, start: int, end: int, folded: Folded, region: str
) -> list[tuple[str, tuple[str, ...], int, int]]:
    out: list[tuple[str, tuple[str, ...], int, int]] = []
    run = parse_run(text, start, end)
    for index, segment in enumerate(run.segments):
        plus = run.plus and index == 0
        hits = find_in_segment(segment, plus, region)
        if not hits and any(u.pipe for u in segment):
            # "06 | 12345678": the bar was a separator after all.
            segment = [u for u in segment if not u.pipe]
            hits = find_in_segment(segment, plus, region)
        for i, j, e164 in hits:
            window = segment[i:j]
            a = run.plus_start if plus and i == 0 else window[0].start
            b = window[-1].end
            out.append((e164, styles_of(window, folded, a, b), a, b))
    return out


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.phones``, one entry per distinct number.

    A number that occurs both plainly and obscured keeps the union of its styles and the
    evidence of its first obscured occurrence: that is the occurrence an analyst wants to see.
    """
    region = ctx.ad.region
    merged: dict[str, PhoneHit] = {}
    for e164, styles, start, end in extract(ctx.folded, region):
        old = merged.get(e164)
        evidence = ctx.evidence(start, end)
        if old is None:
            merged[e164] = PhoneHit(e164, styles, evidence, start)
            continue
        union = tuple(s for s in STYLES if s in old.styles or s in styles)
        if old.styles or not styles:
            merged[e164] = PhoneHit(e164, union, old.evidence, old.at)
        else:
            merged[e164] = PhoneHit(e164, union, evidence, start)
    ctx.result.phones = list(merged.values())
    ctx.inc("phones/found", len(merged))
    ctx.inc("phones/obscured", sum(1 for p in merged.values() if p.styles))
