"""Encoding at the source: one record's identifying values to CLK-style encodings.

Bloom fields (names, employers, addresses) set ``hashes`` bits per q-gram with keyed double
hashing (as in clkhash), then harden the filter:
- *salt*: the q-grams are hashed together with a stable field of the record (the birth year
  for a person), so that the same frequent name gives different filters in different salt
  groups and a frequency attack loses its ranks (Niedermeyer et al. 2014, Christen 2018);
- *xor-fold*: the filter is folded in half by XOR (Schnell, Borgs and Encheva 2016), so that a
  set bit no longer points at one q-gram and pattern mining on bit positions fails.
Exact-value kinds (phone, licence plate) are a keyed HMAC-SHA256, never a plain hash: without
the key a dictionary of all Dutch numbers does not open them.

clkhash itself is not imported: it pins ``cryptography<41`` (see ``signals/linkage.py``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.linkage import normalise
from ketenzicht.signals.pprl.keys import LinkageKey
from ketenzicht.signals.pprl.schema import FieldSpec, Schema


@dataclass(frozen=True)
class Encoded:
    """One record's encodings: what may leave the organisation (no raw value)."""

    schema_version: str
    key_version: str
    fields: dict[str, str]

    def to_json(self) -> dict[str, object]:
        """The form written by ``ketenzicht linkage encode`` and sent by the intake page."""
        return {"schema": self.schema_version, "key_version": self.key_version,
                "fields": dict(self.fields)}


def qgrams(text: str, q: int) -> set[str]:
    """The padded q-grams of ``text`` (clkhash's tokeniser pads with one space-like mark)."""
    padded = "_" * (q - 1) + text + "_" * (q - 1)
    return {padded[i:i + q] for i in range(len(padded) - q + 1)}


def bloom_field(spec: FieldSpec, norm: str, salt: str, fkey: bytes, schema: Schema) -> int:
    """The hardened Bloom filter of one normalised value."""
    bits = 0
    for gram in qgrams(norm, spec.q):
        data = (salt + "\x00" + gram).encode("utf-8")
        h1 = int.from_bytes(hmac.new(fkey, b"1" + data, hashlib.sha256).digest()[:8], "big")
        h2 = int.from_bytes(hmac.new(fkey, b"2" + data, hashlib.sha256).digest()[:8], "big")
        for i in range(spec.hashes):
            bits |= 1 << ((h1 + i * h2) % schema.filter_bits)
    if "xor-fold" in schema.hardening:
        half = schema.filter_bits // 2
        bits = (bits >> half) ^ (bits & ((1 << half) - 1))
    return bits


def encode_field(spec: FieldSpec, raw: str, record: dict[str, str], key: LinkageKey,
                 schema: Schema) -> str | None:
    """The hex encoding of one raw value, or None when nothing comparable is left."""
    norm = normalise(LinkKind(spec.kind), raw)
    if norm is None:
        return None
    fkey = key.field_key(schema.version, spec.name)
    if spec.encoding == "hmac":
        return hmac.new(fkey, norm.encode("utf-8"), hashlib.sha256).hexdigest()
    salt = ""
    if "salt" in schema.hardening and spec.salt_field:
        salt = record.get(spec.salt_field, "").strip()
    width = schema.folded_bits if "xor-fold" in schema.hardening else schema.filter_bits
    return f"{bloom_field(spec, norm, salt, fkey, schema):0{width // 4}x}"


def encode_record(record: dict[str, str], key: LinkageKey, schema: Schema) -> Encoded:
    """Every schema field present in ``record``, encoded; other columns are dropped."""
    out: dict[str, str] = {}
    for spec in schema.fields:
        raw = record.get(spec.name)
        if raw:
            value = encode_field(spec, raw, record, key, schema)
            if value is not None:
                out[spec.name] = value
    return Encoded(schema.version, key.version, out)
