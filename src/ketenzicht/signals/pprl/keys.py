"""The linkage secret: generated as XOR shares, combined by the organisations, never on the server.

n-of-n XOR sharing is used rather than Shamir's k-of-n: it needs no library (the maintained
Python Shamir packages are small one-person projects) and every participating organisation
must take part in combining, which is what the chain's agreement asks. The server learns only
the key *version* (a year, e.g. ``2026``), which travels with every encoding.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SECRET_BYTES = 32
_SHARE = re.compile(r"^kz-share-(\d{4})-(\d+)of(\d+)-([0-9a-f]{64})$")


class ShareError(ValueError):
    """Shares that do not combine into a key (wrong format, version or count)."""


@dataclass(frozen=True)
class LinkageKey:
    """A combined linkage secret and its version; held by the organisations only."""

    version: str
    secret: bytes

    def field_key(self, schema_version: str, field: str) -> bytes:
        """A key per field, so that one field's encodings say nothing about another's."""
        label = f"ketenzicht/pprl/{schema_version}/{self.version}/{field}".encode()
        return hmac.new(self.secret, label, hashlib.sha256).digest()

    def fingerprint(self) -> str:
        """A short public check value: parties compare it to know they combined the same key."""
        return hmac.new(self.secret, b"fingerprint", hashlib.sha256).hexdigest()[:16]


def keygen(version: str, parties: int) -> list[str]:
    """``parties`` shares of a fresh secret; each organisation receives one."""
    if not re.fullmatch(r"\d{4}", version):
        raise ShareError("the key version is a year, e.g. 2026")
    if parties < 2:
        raise ShareError("at least two organisations must hold a share")
    shares = [secrets.token_bytes(SECRET_BYTES) for _ in range(parties - 1)]
    secret = secrets.token_bytes(SECRET_BYTES)
    last = secret
    for share in shares:
        last = bytes(a ^ b for a, b in zip(last, share, strict=True))
    shares.append(last)
    return [f"kz-share-{version}-{i}of{parties}-{s.hex()}" for i, s in enumerate(shares, 1)]


def combine(shares: list[str]) -> LinkageKey:
    """The key from all of its shares; an error says which share is missing or foreign."""
    parsed = []
    for text in shares:
        found = _SHARE.match(text.strip())
        if found is None:
            raise ShareError(f"not a linkage share: {text.strip()[:20]}…")
        parsed.append((found.group(1), int(found.group(2)), int(found.group(3)),
                       bytes.fromhex(found.group(4))))
    versions = {p[0] for p in parsed}
    counts = {p[2] for p in parsed}
    if len(versions) != 1 or len(counts) != 1:
        raise ShareError("the shares belong to different keys (version or number differs)")
    total = counts.pop()
    seen = {p[1] for p in parsed}
    missing = sorted(set(range(1, total + 1)) - seen)
    if missing or len(parsed) != total:
        raise ShareError(f"all {total} shares are needed; missing: {missing or 'duplicates'}")
    secret = bytes(SECRET_BYTES)
    for _, _, _, share in parsed:
        secret = bytes(a ^ b for a, b in zip(secret, share, strict=True))
    return LinkageKey(version=versions.pop(), secret=secret)
