"""Each organisation's Ed25519 dossier-signing key: private on disk, public published.

The private key is a PKCS#8 PEM file (mode 0600) under ``KZ_EVIDENCE_KEY_DIR`` (else
``var/keys``), made on first use. It is kept out of the database on purpose: whoever can
read or rewrite the database (a backup, a DBA) must not be able to sign a dossier. Only
the public key is stored, so that it stays published after the key file is replaced.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ketenzicht.config import Settings


class KeyFileError(RuntimeError):
    """A key file exists but is not an Ed25519 private key (refuse, never overwrite)."""


def key_dir(settings: Settings) -> Path:
    """Where the private keys live (``KZ_EVIDENCE_KEY_DIR``, else ``var/keys``)."""
    return settings.evidence_key_dir or settings.var_dir / "keys"


def key_path(settings: Settings, organisation_id: int) -> Path:
    """The private key file of one organisation."""
    return key_dir(settings) / f"dossier-org-{organisation_id}.ed25519.pem"


def raw_public(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short public name of the key: the first 16 hex of the SHA-256 of its raw bytes."""
    return hashlib.sha256(raw_public(key)).hexdigest()[:16]


def fingerprint(key: Ed25519PublicKey) -> str:
    """The full SHA-256 of the raw public key, in groups of four, to read out by phone."""
    digest = hashlib.sha256(raw_public(key)).hexdigest()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def public_pem(key: Ed25519PublicKey) -> str:
    """The public key as SubjectPublicKeyInfo PEM (what ``openssl pkey -pubin`` reads)."""
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM, or from the base64 of its 32 raw bytes; ValueError if neither."""
    text = data.strip()
    if text.startswith(b"-----"):
        key = serialization.load_pem_public_key(text)
    else:
        try:
            raw = base64.b64decode(text, validate=True)
        except ValueError as exc:
            raise ValueError("not a PEM public key") from exc
        return Ed25519PublicKey.from_public_bytes(raw)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_or_create(path: Path) -> tuple[Ed25519PrivateKey, bool]:
    """The private key in ``path``, made (exclusively, mode 0600) when there is none.

    Returns the key and whether it was just made. Two processes racing to make it both
    end up with the one that won the exclusive create.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            return key, True
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path} is not an Ed25519 private key") from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return loaded, False
