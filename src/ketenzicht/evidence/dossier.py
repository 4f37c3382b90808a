"""The dossier: a ZIP of items with a signed manifest of their SHA-256, and its PDF.

Signing uses HMAC-SHA256 with a key derived from the server's secret (``KZ_SECRET_KEY``).
Why not Ed25519: a dossier is verified by the same installation (``ketenzicht evidence
verify``) that made it, so a shared-secret MAC proves the same thing without a key pair
to generate, store, rotate and back up, and without a new dependency. A court-facing
copy that outsiders must verify would need a public key; see docs/architecture.md.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ketenzicht.config import Settings

FORMAT = "ketenzicht-evidence-dossier/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PDF_NAME = "dossier.pdf"
_KEY_LABEL = b"ketenzicht/evidence/dossier-signing/v1"
#: A dossier larger than this is not read back (a zip bomb would otherwise fill memory).
MAX_VERIFY_BYTES = 4 * 1024**3


def signing_key(settings: Settings) -> bytes:
    """The dossier key: derived from the secret, so it is never the secret itself."""
    return hmac.new(settings.secret_key.get_secret_value().encode(), _KEY_LABEL,
                    hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    """A short public name of the key, so a verifier can tell keys apart."""
    return hashlib.sha256(key).hexdigest()[:16]


def sign(key: bytes, manifest: bytes) -> str:
    """The HMAC-SHA256 of the manifest bytes, hex."""
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class DossierFile:
    """One file to put in the dossier with what the manifest says about it."""

    path: str
    data: bytes
    meta: dict[str, Any] = field(default_factory=dict)


def build_zip(key: bytes, *, header: dict[str, Any], files: Sequence[DossierFile]) -> bytes:
    """The ZIP: the files, ``manifest.json`` with each file's SHA-256, and its signature."""
    entries = [{"path": f.path, "sha256": hashlib.sha256(f.data).hexdigest(),
                "size": len(f.data), **f.meta} for f in files]
    manifest = json.dumps({"format": FORMAT, **header, "key_id": key_id(key),
                           "signature_alg": "HMAC-SHA256", "files": entries},
                          sort_keys=True, ensure_ascii=False, indent=1).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.writestr(f.path, f.data)
        zf.writestr(MANIFEST, manifest)
        zf.writestr(SIGNATURE, sign(key, manifest) + "\n")
    return buf.getvalue()


@dataclass(frozen=True)
class Verification:
    """What verifying a dossier found; ``ok`` only when nothing at all is wrong."""

    signature_valid: bool
    altered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when the signature holds and every file matches the manifest."""
        return (self.signature_valid and not self.altered and not self.missing
                and not self.unexpected and self.problem is None)


def _label(entry: dict[str, Any]) -> str:
    if "item_id" in entry:
        return f"item {entry['item_id']} ({entry.get('title', '')}) — {entry['path']}"
    return str(entry["path"])


def _digest(zf: zipfile.ZipFile, path: str) -> str | None:
    """SHA-256 of one member, read in chunks; None when its bytes no longer unpack.

    A member edited inside the ZIP fails zipfile's own CRC check before our hash is
    reached: that is tampering to report, not an error to raise.
    """
    digest = hashlib.sha256()
    try:
        with zf.open(path) as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None
    return digest.hexdigest()


def verify_zip(key: bytes, data: bytes) -> Verification:
    """Check the signature of the manifest and the SHA-256 of every file against it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return Verification(False, problem="not a ZIP file")
    with zf:
        names = set(zf.namelist())
        if MANIFEST not in names or SIGNATURE not in names:
            return Verification(False, problem="manifest or signature missing")
        if sum(i.file_size for i in zf.infolist()) > MAX_VERIFY_BYTES:
            return Verification(False, problem="dossier too large to verify")
        manifest = zf.read(MANIFEST)
        given = zf.read(SIGNATURE).decode("ascii", "replace").strip()
        valid = hmac.compare_digest(sign(key, manifest), given)
        try:
            body = json.loads(manifest)
            entries: list[dict[str, Any]] = list(body["files"])
        except (ValueError, KeyError, TypeError):
            return Verification(valid, problem="manifest unreadable")
        altered, missing = [], []
        for entry in entries:
            if entry["path"] not in names:
                missing.append(_label(entry))
            elif _digest(zf, entry["path"]) != entry["sha256"]:
                altered.append(_label(entry))
        listed = {e["path"] for e in entries} | {MANIFEST, SIGNATURE}
        unexpected = sorted(names - listed)
    return Verification(valid, tuple(altered), tuple(missing), tuple(unexpected))
