"""The content store: every item's bytes under the SHA-256 of those bytes.

Content is only ever written once and read back as bytes: never executed, never rendered.
A file whose bytes no longer match its name is refused on reading, so a changed file on
disk cannot pass as evidence.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from ketenzicht.config import Settings

_SHA = re.compile(r"^[0-9a-f]{64}$")


class StoreCorrupted(RuntimeError):
    """A stored file's bytes do not match its SHA-256 any more."""


def root(settings: Settings) -> Path:
    """Where the content store lives (``KZ_EVIDENCE_DIR``, else ``var/evidence``)."""
    return settings.evidence_dir or settings.var_dir / "evidence"


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def path_of(base: Path, sha256: str) -> Path:
    """The file for a hash (two levels of fan-out keep directories small)."""
    if not _SHA.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return base / sha256[:2] / sha256[2:4] / sha256


def put(base: Path, data: bytes) -> str:
    """Store ``data`` once (atomically, read-only) and return its SHA-256."""
    sha = digest(data)
    target = path_of(base, sha)
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o440)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha


def get(base: Path, sha256: str) -> bytes:
    """The stored bytes of a hash, checked against it."""
    data = path_of(base, sha256).read_bytes()
    if digest(data) != sha256:
        raise StoreCorrupted(sha256)
    return data
