"""Normalising and encoding the identifying values of signals, for linkage (``matching``).

Values are normalised first (accents and Cyrillic folded, name order ignored, phone numbers
to E.164 with Google's ``phonenumbers``, legal forms dropped from company names). Each is then
encoded as a Bloom filter (cryptographic long-term keys after Schnell, Bachteler and Reiher
2009: keyed hashes of character bigrams set bits in a 1024-bit filter); two encodings are
compared with the Dice coefficient. The server encodes only identities that are *shared*
(stored raw anyway); an organisation that withholds them encodes at the source with its own
key (``signals.pprl``, the same normalisation here), and the server never sees those values.

The encoding is written here rather than taken from clkhash: clkhash (and anonlink) had
their last release in 2023 and pin ``cryptography<41``, which would downgrade the platform's
cryptography library; the scheme itself is a few lines (keyed double hashing, k=20).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

from ketenzicht.config import get_settings
from ketenzicht.signals.enums import LinkKind

BLOOM_BITS = 1024
BLOOM_HASHES = 20
FUZZY_KINDS = frozenset({LinkKind.PERSON, LinkKind.EMPLOYER, LinkKind.ADDRESS})

_CYRILLIC = dict(zip(
    "абвгдезийклмнопрстуфхцчшщъыьэюяєіїґ",
    ["a", "b", "v", "g", "d", "e", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "h", "ts", "ch", "sh", "sht", "a", "y", "", "e", "yu", "ya", "ye", "i", "yi",
     "g"], strict=True))
_CYRILLIC["ж"] = "zh"
_CYRILLIC["ё"] = "yo"
_LEGAL_FORMS = re.compile(
    r"\b(b ?v|n ?v|v ?o ?f|c ?v|holding|bv|nv|vof|gmbh|ltd|s ?r ?l|sp z o ?o)\b")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_POSTCODE = re.compile(r"\b(\d{4}) ?([a-z]{2})\b")
_STREET_SUFFIX = re.compile(r"(straat|str)\b")


def fold(value: str) -> str:
    """Lower case, Cyrillic transliterated, accents removed, punctuation to spaces."""
    lowered = value.lower()
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", latin)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ß", "ss").replace("ł", "l").replace("ø", "o")
    return " ".join(_NON_ALNUM.sub(" ", plain).split())


def normalise(kind: LinkKind, value: str) -> str | None:
    """The comparable form of ``value``, or None when nothing comparable is left."""
    if kind is LinkKind.PHONE:
        try:
            number = phonenumbers.parse(value, "NL")
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_possible_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind is LinkKind.VEHICLE:
        plate = re.sub(r"[^A-Z0-9]", "", value.upper())
        return plate or None
    folded = fold(value)
    if kind is LinkKind.EMPLOYER:
        folded = " ".join(_LEGAL_FORMS.sub(" ", folded).split())
    if kind is LinkKind.ADDRESS:
        folded = _POSTCODE.sub(r"\1\2", folded)
        folded = _STREET_SUFFIX.sub("str", folded)
    if kind in (LinkKind.PERSON, LinkKind.EMPLOYER):
        # Name order differs between registrations ("Popescu Ana" / "Ana Popescu").
        folded = " ".join(sorted(folded.split()))
    return folded or None


def _bigrams(text: str) -> set[str]:
    padded = f"_{text}_"
    return {padded[i:i + 2] for i in range(len(padded) - 1)}


def bloom(kind: LinkKind, normalised: str, key: bytes) -> int:
    """The keyed Bloom-filter encoding of a normalised value (double hashing, k=20)."""
    grams = _bigrams(normalised) if kind in FUZZY_KINDS else {normalised}
    bits = 0
    tag = kind.value.encode()
    for gram in grams:
        data = tag + b"\x00" + gram.encode("utf-8")
        h1 = int.from_bytes(hmac.new(key, b"1" + data, hashlib.sha256).digest()[:8], "big")
        h2 = int.from_bytes(hmac.new(key, b"2" + data, hashlib.sha256).digest()[:8], "big")
        for i in range(BLOOM_HASHES):
            bits |= 1 << ((h1 + i * h2) % BLOOM_BITS)
    return bits


def dice(a: int, b: int) -> float:
    """Dice coefficient of two Bloom filters: 2|A∩B| / (|A|+|B|)."""
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def to_hex(bits: int) -> str:
    """A filter as fixed-width hex, for storage."""
    return f"{bits:0{BLOOM_BITS // 4}x}"


def from_hex(text: str) -> int:
    """A stored filter back as an integer."""
    return int(text, 16)


@dataclass(frozen=True)
class Key:
    """One identifying value of a signal: normalised (if shared) and its Bloom encoding."""

    kind: LinkKind
    norm: str | None
    bloom: int


def make_key(kind: LinkKind, raw: str, *, key: bytes, share: bool) -> Key | None:
    """Normalise and encode ``raw``; the normalised text is kept only when shared."""
    norm = normalise(kind, raw)
    if norm is None:
        return None
    return Key(kind, norm if share else None, bloom(kind, norm, key))


def link_key() -> bytes:
    """The key of the server's Bloom encodings of shared identities (and of the registration
    export's pseudonyms), derived from the platform secret; never used for withheld ones."""
    secret = get_settings().secret_key.get_secret_value().encode()
    return hashlib.sha256(b"ketenzicht/signals/linkage\x00" + secret).digest()
