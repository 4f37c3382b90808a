"""Protection of the one state-changing public form: signed tokens and a global rate limit.

The selfcheck sets no CSRF cookie (it promises no cookie but the language), so the
signal form carries a token instead: an HMAC-SHA256, keyed from the app's secret, over
the time it was issued and a random nonce. A token is good for ``TOKEN_TTL`` seconds and
once only. The rate limit counts signals for the whole site per minute, never per
visitor: the selfcheck keeps nothing about who sends. Both live in memory, per process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

TOKEN_TTL = 30 * 60  # seconds: long enough to read the result, short enough to go stale
_NONCE_BYTES = 16


class SignalGuard:
    """Issues and checks form tokens, and counts signals per minute (thread-safe)."""

    def __init__(self, secret: str, *, per_minute: int, ttl: int = TOKEN_TTL) -> None:
        self._key = hashlib.sha256(b"ketenzicht/selfcheck/signal\x00" + secret.encode()).digest()
        self.per_minute = per_minute
        self.ttl = ttl
        self._lock = threading.Lock()
        self._used: dict[str, float] = {}
        self._minute = -1
        self._count = 0

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, now: float) -> str:
        """A fresh token: ``<issued>.<nonce>.<signature>``."""
        payload = f"{int(now)}.{secrets.token_urlsafe(_NONCE_BYTES)}"
        return f"{payload}.{self._sign(payload)}"

    def valid(self, token: str, now: float) -> bool:
        """Whether ``token`` was signed by us, is not older than the TTL, and is unused."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or len(token) > 200:
            return False
        issued, nonce, signature = parts
        if not hmac.compare_digest(self._sign(f"{issued}.{nonce}"), signature):
            return False
        age = now - int(issued)
        with self._lock:
            return -60 <= age <= self.ttl and nonce not in self._used

    def consume(self, token: str, now: float) -> bool:
        """Mark a valid token as used; False if it was used meanwhile (a double submit)."""
        nonce = token.split(".")[1]
        with self._lock:
            self._used = {n: t for n, t in self._used.items() if t > now}
            if nonce in self._used:
                return False
            self._used[nonce] = now + self.ttl + 60
            return True

    def allow(self, now: float) -> bool:
        """Count one signal in this minute; False when the site-wide limit is reached."""
        minute = int(now // 60)
        with self._lock:
            if minute != self._minute:
                self._minute, self._count = minute, 0
            if self._count >= self.per_minute:
                return False
            self._count += 1
            return True

    def retry_after(self, now: float) -> int:
        """Seconds until the next minute starts."""
        return 60 - int(now) % 60
