"""What anchors the audit chain outside the database: the key and the checkpoints.

A database administrator can rewrite rows, but not

- the key: each entry's hash is an HMAC-SHA-256 under ``KZ_AUDIT_KEY`` (by
  default derived from ``KZ_SECRET_KEY``), which lives in the server's
  environment, so a changed entry cannot be given a valid hash again;
- the checkpoints: after commits the head of the chain (last id and hash) is
  appended, MACed with the same key, to a file on the application server
  (``KZ_AUDIT_CHECKPOINT_FILE``). A chain that ends before the last checkpoint,
  or that no longer holds the checkpointed hash, has been cut or rewritten,
  however consistent it is in itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ketenzicht.config import Settings

_KEY_LABEL = b"ketenzicht audit chain v1"
_last_written = 0.0
_lock = threading.Lock()


def chain_key(settings: Settings) -> bytes:
    """The key entry hashes are made with (never stored in the database)."""
    explicit = settings.audit_key.get_secret_value()
    if explicit:
        return explicit.encode("utf-8")
    return hmac.new(settings.secret_key.get_secret_value().encode("utf-8"), _KEY_LABEL,
                    hashlib.sha256).digest()


def checkpoint_path(settings: Settings) -> Path:
    """Where the checkpoints are appended."""
    return settings.audit_checkpoint_file or settings.var_dir / "audit-checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment, as the application saw it commit."""

    last_id: int
    last_hash: str
    legacy_last_id: int
    at: str

    def mac(self, key: bytes) -> str:
        """The MAC that makes this checkpoint unforgeable without the key."""
        body = json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))
        return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def write(settings: Settings, point: Checkpoint, *, force: bool = False) -> bool:
    """Append ``point`` (fsynced) unless one was written less than the interval ago."""
    global _last_written
    now = time.monotonic()
    with _lock:
        if not force and now - _last_written < settings.audit_checkpoint_seconds:
            return False
        _last_written = now
    path = checkpoint_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({**asdict(point), "mac": point.mac(chain_key(settings))},
                      sort_keys=True) + "\n"
    # One write() of one short line on an O_APPEND descriptor: lines of several
    # workers never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def latest(settings: Settings) -> tuple[Checkpoint | None, list[str]]:
    """The furthest valid checkpoint, and a note for each line that is forged or broken."""
    path = checkpoint_path(settings)
    if not path.exists():
        return None, []
    key = chain_key(settings)
    best: Checkpoint | None = None
    problems: list[str] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            point = Checkpoint(last_id=int(raw["last_id"]), last_hash=str(raw["last_hash"]),
                               legacy_last_id=int(raw["legacy_last_id"]), at=str(raw["at"]))
            given = str(raw["mac"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint line {number} is unreadable")
            continue
        if not hmac.compare_digest(given, point.mac(key)):
            problems.append(f"checkpoint line {number} has a wrong MAC (forged, or another key)")
            continue
        if best is None or point.last_id > best.last_id:
            best = point
    return best, problems
