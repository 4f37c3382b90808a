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
from typing import BinaryIO

from ketenzicht.config import Settings

_SHA = re.compile(r"^[0-9a-f]{64}$")


class StoreCorrupted(RuntimeError):
    """A stored file's bytes do not match its SHA-256 any more."""


class TooLarge(ValueError):
    """A streamed file went past its limit; nothing was kept."""


CHUNK = 1 << 20


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


def put_stream(base: Path, source: BinaryIO, *, limit: int) -> tuple[str, int]:
    """Store what ``source`` holds once, copying it in 1 MB chunks (never whole in memory).

    Returns ``(sha256, size)``; raises :class:`TooLarge` at the first chunk past ``limit``
    and keeps nothing. An empty file is not stored (``size`` 0, the caller refuses it).
    """
    incoming = base / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=incoming, prefix="upload-")
    hasher, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as fh:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(limit)
                hasher.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        sha = hasher.hexdigest()
        target = path_of(base, sha)
        if size == 0 or target.exists():
            Path(tmp).unlink()
            return sha, size
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o440)
        os.replace(tmp, target)  # same file system: .incoming lives inside the store
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha, size


def get(base: Path, sha256: str) -> bytes:
    """The stored bytes of a hash, checked against it."""
    data = path_of(base, sha256).read_bytes()
    if digest(data) != sha256:
        raise StoreCorrupted(sha256)
    return data
