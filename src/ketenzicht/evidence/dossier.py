"""The dossier: a ZIP of items with a signed manifest of their SHA-256, and its PDF.

The manifest is signed with the exporting organisation's Ed25519 key (``signing.py``
keeps the private key outside the database). Its public key is in the manifest, on the
public key page and in ``ketenzicht evidence verify --public-key``, so a court or the
defence can check a dossier without the server, its database or its secret. Where a
timestamp authority is configured the signature also carries an RFC 3161 token.

Dossiers made before (format 1) carry an HMAC-SHA256 from the server's secret; they
stay verifiable by the installation that holds that secret, for as long as they exist.

The verifier refuses an archive whose layout could show one thing to us and another to
``unzip``: duplicate or case-colliding names, absolute paths, ``..``, backslashes,
symlinks, directories, or any name the manifest does not list.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ketenzicht.config import Settings
from ketenzicht.evidence import signing, timestamp

FORMAT = "ketenzicht-evidence-dossier/2"
LEGACY_FORMAT = "ketenzicht-evidence-dossier/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
TIMESTAMP = "manifest.sig.tsr"
PDF_NAME = "dossier.pdf"
ED25519 = "Ed25519"
HMAC_SHA256 = "HMAC-SHA256"
_FIXED = frozenset({MANIFEST, SIGNATURE, TIMESTAMP})
_KEY_LABEL = b"ketenzicht/evidence/dossier-signing/v1"
#: A dossier larger than this is not read back (a zip bomb would otherwise fill memory).
MAX_VERIFY_BYTES = 4 * 1024**3


def signing_key(settings: Settings) -> bytes:
    """The HMAC key of format-1 dossiers: derived from the secret, never the secret itself."""
    return hmac.new(settings.secret_key.get_secret_value().encode(), _KEY_LABEL,
                    hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    """A short public name of an HMAC key (format 1), so a verifier can tell keys apart."""
    return hashlib.sha256(key).hexdigest()[:16]


def sign(key: bytes, manifest: bytes) -> str:
    """The HMAC-SHA256 of the manifest bytes, hex (format 1)."""
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class DossierFile:
    """One file to put in the dossier with what the manifest says about it."""

    path: str
    data: bytes
    meta: dict[str, Any] = field(default_factory=dict)


def build_zip(key: Ed25519PrivateKey, *, header: dict[str, Any], files: Sequence[DossierFile],
              stamp: Callable[[bytes], bytes] | None = None) -> bytes:
    """The ZIP: the files, ``manifest.json`` with each file's SHA-256, and its signature.

    ``stamp`` (when a TSA is configured) turns the raw signature into an RFC 3161 token.
    """
    for f in files:
        if name_problem(f.path) or f.path in _FIXED:
            raise ValueError(f"not a dossier member name: {f.path!r}")
    public = key.public_key()
    entries = [{"path": f.path, "sha256": hashlib.sha256(f.data).hexdigest(),
                "size": len(f.data), **f.meta} for f in files]
    manifest = json.dumps({"format": FORMAT, **header, "key_id": signing.key_id(public),
                           "public_key": signing.public_pem(public),
                           "signature_alg": ED25519, "files": entries},
                          sort_keys=True, ensure_ascii=False, indent=1).encode()
    signature = key.sign(manifest)
    token = stamp(signature) if stamp else None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.writestr(f.path, f.data)
        zf.writestr(MANIFEST, manifest)
        zf.writestr(SIGNATURE, base64.b64encode(signature).decode() + "\n")
        if token is not None:
            zf.writestr(TIMESTAMP, token)
    return buf.getvalue()


@dataclass(frozen=True)
class Verification:
    """What verifying a dossier found; ``ok`` only when nothing at all is wrong."""

    signature_valid: bool
    altered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    problem: str | None = None
    algorithm: str = ""
    key_id: str = ""
    signed_by: str = ""
    #: The RFC 3161 time of the signature (ISO 8601), when the dossier carries a token.
    timestamp: str | None = None

    @property
    def ok(self) -> bool:
        """True when the signature holds and every file matches the manifest."""
        return (self.signature_valid and not self.altered and not self.missing
                and not self.unexpected and self.problem is None)


def name_problem(name: str) -> str | None:
    """Why a member name is not allowed in a dossier, or None when it is."""
    if not name or name.endswith("/"):
        return "empty name or directory"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if "\\" in name or "\x00" in name:
        return "backslash or NUL in name"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "'..' or empty path segment"
    return None


def layout_problem(infos: Sequence[zipfile.ZipInfo]) -> str | None:
    """Why the archive's layout is refused before anything in it is read, or None."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if (why := name_problem(name)) is not None:
            return f"refused member {name!r}: {why}"
        if stat.S_ISLNK(info.external_attr >> 16):
            return f"refused member {name!r}: symbolic link"
        # Case-folded, so that an extractor on a case-insensitive disk cannot be fooled
        # either: the later of two colliding names would overwrite the earlier one.
        if name.casefold() in seen:
            return f"refused member {name!r}: duplicate name"
        seen.add(name.casefold())
    return None


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


def _signature_valid(body: dict[str, Any], manifest: bytes, given: bytes, *,
                     public_keys: Sequence[Ed25519PublicKey], hmac_key: bytes | None
                     ) -> tuple[bool, bytes, str | None]:
    """Whether the signature holds; its raw bytes; a problem that stops the check."""
    alg = body.get("signature_alg")
    text = given.decode("ascii", "replace").strip()
    if alg == HMAC_SHA256:
        if hmac_key is None:
            return False, b"", ("a format-1 (HMAC) dossier can only be checked by the "
                                "server that made it, with its secret")
        return hmac.compare_digest(sign(hmac_key, manifest), text), text.encode(), None
    if alg != ED25519:
        return False, b"", f"unknown signature algorithm {alg!r}"
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False, b"", None
    # Only a key from outside the dossier counts: the one inside it says which key to
    # fetch, but a forger would simply put their own there.
    for key in public_keys:
        if signing.key_id(key) == body.get("key_id"):
            try:
                key.verify(raw, manifest)
            except InvalidSignature:
                return False, raw, None
            return True, raw, None
    if not public_keys:
        return False, raw, "no public key given to check the signature with"
    return False, raw, None


def verify_zip(data: bytes, *, public_keys: Sequence[Ed25519PublicKey] = (),
               hmac_key: bytes | None = None, tsa_cert: bytes | None = None) -> Verification:
    """Check the layout, the manifest's signature and the SHA-256 of every file against it.

    ``public_keys``: the published Ed25519 keys to trust; ``hmac_key``: the server's
    format-1 key, only for dossiers made before Ed25519; ``tsa_cert``: the TSA's
    certificate, to check a timestamp token's own signature as well.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return Verification(False, problem="not a ZIP file")
    with zf:
        infos = zf.infolist()
        if (refused := layout_problem(infos)) is not None:
            return Verification(False, problem=refused)
        names = {i.filename for i in infos}
        if MANIFEST not in names or SIGNATURE not in names:
            return Verification(False, problem="manifest or signature missing")
        if sum(i.file_size for i in infos) > MAX_VERIFY_BYTES:
            return Verification(False, problem="dossier too large to verify")
        manifest = zf.read(MANIFEST)
        try:
            body = json.loads(manifest)
            entries: list[dict[str, Any]] = list(body["files"])
            paths = [str(e["path"]) for e in entries]
            [str(e["sha256"]) for e in entries]
        except (ValueError, KeyError, TypeError):
            return Verification(False, problem="manifest unreadable")
        valid, raw, problem = _signature_valid(
            body, manifest, zf.read(SIGNATURE), public_keys=public_keys, hmac_key=hmac_key)
        about = {"algorithm": str(body.get("signature_alg", "")),
                 "key_id": str(body.get("key_id", "")),
                 "signed_by": str(body.get("organisation", ""))}
        if problem is None and len(set(paths)) != len(paths):
            problem = "manifest lists a file twice"
        if problem is None and (bad := [p for p in paths if name_problem(p) or p in _FIXED]):
            problem = f"manifest lists a name that is not allowed: {bad[0]!r}"
        when = None
        if problem is None and TIMESTAMP in names:
            try:
                stamped = timestamp.read(zf.read(TIMESTAMP), raw, tsa_cert=tsa_cert)
            except ValueError:
                problem = "timestamp token unreadable"
            else:
                when = stamped.gen_time.isoformat()
                if not stamped.covers_data:
                    problem = "timestamp token does not cover this signature"
                elif stamped.signer_valid is False:
                    problem = "timestamp token not signed by the given authority"
        altered, missing = [], []
        for entry in entries:
            if entry["path"] not in names:
                missing.append(_label(entry))
            elif _digest(zf, entry["path"]) != entry["sha256"]:
                altered.append(_label(entry))
        unexpected = sorted(names - set(paths) - _FIXED)
    return Verification(valid, tuple(altered), tuple(missing), tuple(unexpected),
                        problem, timestamp=when, **about)
