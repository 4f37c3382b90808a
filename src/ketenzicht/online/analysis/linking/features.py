"""What the linker keeps of one ad: identifiers, persona, place, day, price, flags, text sketch.

The extraction pipeline does the reading; this module reduces its result to the compact
:class:`AdFeatures` that linking, movement and scoring need, so that a million ads fit in
memory. The text used for near-duplicate detection has the identifiers, the persona's name,
the places, every digit and the site's boilerplate removed: what is left is how the ad is
*written*, which is what a shared template gives away.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, Final, NamedTuple

import numpy as np
import phonenumbers as pn
from datasketch import MinHash
from datasketch.minhash import _fmix  # private; test_minhashes_equal_datasketch guards it

from ketenzicht.online.analysis.extraction.places import gazetteer
from ketenzicht.online.analysis.extraction.types import Ad, Extraction

NUM_PERM: Final = 64
SHINGLE: Final = 3  # word 3-grams: short enough to survive small edits, long enough to be rare
MIN_SHINGLES: Final = 8  # shorter texts are too generic to link on
_SENTENCE: Final = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD: Final = re.compile(r"[^\W\d_]{2,}")
# "ik ben Anna", "I'm Mia", "my name is Ioana", "me llamo Sofia", "jestem Kasia"
_NAME_CUE: Final = re.compile(
    r"\b(?:ik ben|ik heet|mijn naam is|i am|i'm|im|my name is|call me|me llamo|soy|sunt|"
    r"jestem|je suis|ich bin)\s+([A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ]{2,14})\b")
_NOT_NAMES: Final = frozenset({
    "Een", "Nieuw", "New", "Escort", "Privé", "Prive", "Sexy", "Hot", "Lieve", "Jonge", "Young",
    "Club", "Hoi", "Hallo", "Hello", "Hi", "Vandaag", "Today", "Massage", "Top", "Real", "Echt",
    "Nederlandse", "Dutch", "The", "De", "Het", "Super", "Mooie", "Beautiful", "Sweet", "Lady",
    "Girl", "Meisje", "Dame", "Vrouw", "Bij", "In", "Te", "Here", "Hier", "Ready", "Klaar",
})
_TITLE_NAME: Final = re.compile(r"^\W*([A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ]{2,14})\b")


@dataclass(slots=True)
class AdFeatures:
    """The linker's view of one ad."""

    key: str  # the input id, as a string
    lineno: int
    site: str | None
    url: str | None
    title: str
    text: str  # title and text with boilerplate removed and identifiers masked (templates)
    city: str | None  # municipality name from the gazetteer
    day: int | None  # proleptic ordinal of the posting date
    posted_at: str | None
    persona: str | None
    ages: tuple[int, ...]
    phones: tuple[str, ...]
    foreign_phones: tuple[str, ...]  # mobiles of another country than the ad's region
    emails: tuple[str, ...]
    handles: tuple[str, ...]
    images: tuple[str, ...]
    price: float | None  # lowest stated euros per hour
    flags: tuple[tuple[str, float, str], ...]  # (indicator code, weight, evidence span)
    styles: tuple[str, ...]  # how phones were obscured
    tokens: str  # the cleaned words, space separated (rapidfuzz verification)
    digest: int  # hash of ``tokens``: exact duplicates link without MinHash
    signature: Any  # np.ndarray[uint32] MinHash signature, or None when too short
    # The crawler's row ids when the line came from ``online export`` ("ad_id", "capture"):
    # a stored network joins its ads and captures by these ids, never by URL.
    ad_id: int | None = None
    capture_id: int | None = None


class Source(NamedTuple):
    """What a line says besides the ad's text: its image hashes and the crawler's ids."""

    images: tuple[str, ...] = ()
    ad_id: int | None = None
    capture_id: int | None = None


@cache
def _permutations() -> tuple[Any, str]:
    template = MinHash(num_perm=NUM_PERM, seed=1)
    return template.permutations, str(template.scheme)


def minhash(shingles: list[bytes]) -> Any:
    """datasketch MinHash signature (uint32 array) of a list of shingles."""
    permutations, scheme = _permutations()
    # CRC-32 as the base hash: a C builtin, three times faster here than datasketch's SHA-1
    # wrapper, and the MinHash permutations on top of it make the signature (not CRC) count.
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, permutations=permutations,
                scheme=scheme)
    m.update_batch(shingles)
    return np.asarray(m.hashvalues, dtype=np.uint32)


def minhashes(shingle_lists: Sequence[list[bytes]]) -> list[Any]:
    """:func:`minhash` of many shingle lists at once (each must be non-empty).

    The same arithmetic as datasketch's ``update_batch`` for its ``affine32`` scheme (mix,
    then ``a * h + b`` modulo 2**32, then the minimum per permutation), done over a whole
    batch in one NumPy pass: one MinHash object per ad cost about 70 microseconds, a tenth
    of the linker's per-ad budget. A test holds the result equal to datasketch's.
    """
    permutations, scheme = _permutations()
    if scheme != "affine32":  # pragma: no cover - only if datasketch changes its default
        return [minhash(s) for s in shingle_lists]
    a, b = (np.asarray(x, dtype=np.uint32) for x in permutations)
    counts = np.fromiter((len(s) for s in shingle_lists), dtype=np.int64,
                         count=len(shingle_lists))
    if not len(counts):
        return []
    hv = np.fromiter((zlib.crc32(x) for s in shingle_lists for x in s), dtype=np.uint32,
                     count=int(counts.sum()))
    hv = _fmix(hv, 32)
    with np.errstate(over="ignore"):  # permutation-major: reduceat then runs on contiguous rows
        phv = a[:, None] * hv[None, :] + b[:, None]
    offsets = np.r_[0, np.cumsum(counts)[:-1]]
    return list(np.ascontiguousarray(np.minimum.reduceat(phv, offsets, axis=1).T))


def stable_hash(text: str) -> int:
    """A 63-bit hash that is the same in every process (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1


_DIGIT_TO_HASH: Final = str.maketrans("0123456789", "##########")


@lru_cache(maxsize=1 << 16)  # boilerplate and template sentences recur in thousands of ads
def sentence_key(sentence: str) -> int:
    """Key of a sentence for boilerplate counting: case, digits and spacing ignored.

    CRC-32 because it runs in C and is the same in every process; a collision could at
    worst strip one sentence of one ad.
    """
    return zlib.crc32(" ".join(sentence.lower().translate(_DIGIT_TO_HASH).split())
                      .strip(" .!?").encode())


def mask_words(ad: Ad, found: Extraction, name: str | None) -> tuple[str, ...]:
    """The words that change between copies of stock wording: the persona's name(s) and the
    places. Masked before sentences are compared for boilerplate, so that a stock text copied
    by many advertisers is recognised as one sentence (digits - ages, prices, numbers - are
    masked by :func:`sentence_key` itself)."""
    words = [name or "", ad.city or "", *(c.evidence.text for c in found.cities)]
    extra = getattr(found, "personas", None)  # from extraction, when it names them
    if isinstance(extra, list | tuple):
        words += [str(x) for x in extra]
    business = getattr(found, "business", None)
    if isinstance(business, str):
        words.append(business)
    return tuple(sorted({w for w in words if w and len(w) > 1}, key=len, reverse=True))


def masked(sentence: str, words: tuple[str, ...]) -> str:
    """``sentence`` with each of ``words`` replaced by one placeholder (case-insensitive)."""
    if not words:
        return sentence
    return re.sub("|".join(re.escape(w) for w in words), "@", sentence, flags=re.IGNORECASE)


def sentences(body: str) -> list[str]:
    """The sentences (or lines) of an ad."""
    return [s for s in _SENTENCE.split(body) if s.strip()]


def persona(ad: Ad) -> str | None:
    """The name the ad advertises: "ik ben Anna" in the text, else a name opening the title."""
    m = _NAME_CUE.search(ad.text) or _NAME_CUE.search(ad.title)
    if m and m.group(1) not in _NOT_NAMES:
        return m.group(1)
    t = _TITLE_NAME.match(ad.title)
    if t and t.group(1) not in _NOT_NAMES and gazetteer().lookup(t.group(1)) is None:
        return t.group(1)
    return None


def _persona_age(name: str | None, body: str) -> tuple[int, ...]:
    """The age written right after the persona's name ("Anna (23)", "Anna, 23", "Anna 23 jr"):
    a fallback for when extraction found no age; the persona bridge needs one."""
    if not name:
        return ()
    m = re.search(rf"\b{re.escape(name)}\b\W{{0,3}}(1[89]|[2-6]\d)\b", body)
    return (int(m.group(1)),) if m else ()


def _day(posted_at: str | None) -> int | None:
    if not posted_at:
        return None
    try:
        return (datetime.fromisoformat(posted_at[:25]).date() if len(posted_at) > 10
                else date.fromisoformat(posted_at)).toordinal()
    except ValueError:
        return None


@lru_cache(maxsize=1 << 16)  # a network repeats its numbers; parsing one costs ~100 us
def _foreign_mobile(e164: str, region: str) -> bool:
    try:
        number = pn.parse(e164)
    except pn.NumberParseException:
        return False
    return (pn.region_code_for_number(number) != region
            and pn.number_type(number) == pn.PhoneNumberType.MOBILE)


def _foreign(phones: list[str], region: str) -> tuple[str, ...]:
    return tuple(e164 for e164 in phones if _foreign_mobile(e164, region))


def reduce_all(items: Iterable[tuple[int, Ad, Source, Extraction]],
               boilerplate: frozenset[int]) -> list[AdFeatures]:
    """Reduce each ``(lineno, ad, source, extraction)`` to :class:`AdFeatures`.

    Signatures are computed for the whole batch at once (:func:`minhashes`).
    """
    out: list[AdFeatures] = []
    signed: list[tuple[AdFeatures, list[bytes]]] = []
    for lineno, ad, source, found in items:
        features, shingles = _reduce(ad, found, lineno=lineno, source=source,
                                     boilerplate=boilerplate)
        out.append(features)
        if len(shingles) >= MIN_SHINGLES:
            signed.append((features, shingles))
    for (features, _), signature in zip(signed, minhashes([s for _, s in signed]),
                                        strict=True):
        features.signature = signature
    return out


def _reduce(ad: Ad, found: Extraction, *, lineno: int, source: Source,
            boilerplate: frozenset[int]) -> tuple[AdFeatures, list[bytes]]:
    # Extraction may name the persona(s) itself (third-person and roster ads); use it if so.
    names = getattr(found, "personas", None)
    name = (str(names[0]) if isinstance(names, list | tuple) and len(names) == 1
            else persona(ad))
    masks = mask_words(ad, found, name)
    kept = [s for s in sentences(ad.body) if sentence_key(masked(s, masks)) not in boilerplate]
    text = " ".join(kept)
    removals: list[tuple[str, str]] = [(p.evidence.text, "[telefoon]") for p in found.phones]
    removals += [(e.evidence.text, "[e-mail]") for e in found.emails]
    removals += [(h.evidence.text, "[account]") for h in found.handles]
    for span, mask in removals:
        if span:
            text = text.replace(span, mask)
    gaz = gazetteer()
    city = None
    if ad.city:
        hit = gaz.lookup(ad.city)
        city = hit[1].name if hit else None
    if city is None and found.cities:
        city = found.cities[0].get("municipality")
    if city is None and ad.city and ad.city.strip():
        city = ad.city.strip().title()  # a place abroad the Dutch gazetteer does not hold
    lowered = text.lower()
    for word in [name or "", *(c.evidence.text for c in found.cities), ad.city or ""]:
        if word:
            lowered = lowered.replace(word.lower(), " ")
    words = _WORD.findall(lowered.replace("[telefoon]", " ").replace("[e-mail]", " ")
                          .replace("[account]", " "))
    tokens = " ".join(words)
    shingles = [" ".join(words[i:i + SHINGLE]).encode()
                for i in range(len(words) - SHINGLE + 1)]
    phones = [p.e164 for p in found.phones]
    prices = [float(p.get("eur_per_hour")) for p in found.prices
              if p.get("eur_per_hour") is not None]
    features = AdFeatures(
        key=str(ad.id), lineno=lineno, site=ad.site, url=ad.url, title=ad.title, text=text,
        city=city, day=_day(ad.posted_at), posted_at=ad.posted_at, persona=name,
        ages=tuple(sorted({int(a.value) for a in found.ages})) or _persona_age(name, ad.body),
        phones=tuple(dict.fromkeys(phones)), foreign_phones=_foreign(phones, ad.region),
        emails=tuple(dict.fromkeys(e.value.lower() for e in found.emails)),
        handles=tuple(dict.fromkeys(f"{h.get('platform')}:{h.value}".lower()
                                    for h in found.handles)),
        images=source.images, price=min(prices) if prices else None,
        flags=tuple((f.code, f.weight, f.evidence.text) for f in found.indicators),
        styles=tuple(sorted({s for p in found.phones for s in p.styles})),
        tokens=tokens, digest=stable_hash(tokens), signature=None,
        ad_id=source.ad_id, capture_id=source.capture_id,
    )
    return features, shingles
