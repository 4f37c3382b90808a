"""Where persona images and message attachments live: under the SHA-256 of their bytes.

Apart from the evidence store on purpose: an operation's material must not be reachable
through a case's evidence until someone exports it there.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ketenzicht.config import Settings


def root(settings: Settings) -> Path:
    """``var/operations`` under the configured var directory."""
    return settings.var_dir / "operations"


def put(base: Path, data: bytes) -> str:
    """Store ``data`` once (atomically, read-only) and return its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    target = base / sha[:2] / sha[2:4] / sha
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o440)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha
