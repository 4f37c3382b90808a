"""One JSON line of posts in: the shape of ``online recruitment score`` and of the import.

An investigator's export may hold the replies under a post: young people who answered. They
are never kept: a line that is a reply is refused as such (``is_reply``), and the fields
that would hold replies (``replies``, ``comments``) are never read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from ketenzicht.online.analysis.extraction.intake import MAX_LINE_BYTES, MAX_TEXT_CHARS

# Keys that mark a line as someone's answer to a post rather than the post itself.
REPLY_KEYS: Final = ("in_reply_to", "reply_to", "parent_id")
REPLY_ROLES: Final = frozenset({"reply", "comment", "answer", "reactie", "responder"})


class BadPost(ValueError):
    """A line that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class RawPost:
    """A post as read: the recruiter's side only."""

    id: str
    text: str
    platform: str | None = None
    posted_at: str | None = None
    author: str | None = None
    url: str | None = None
    images: tuple[str, ...] = ()
    reach: int | None = None
    is_reply: bool = False


def _str(record: dict[str, Any], key: str, limit: int = 2000) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadPost(f"'{key}' must be a string")
    value = value.strip()
    return value[:limit] or None


def parse_post(raw: bytes | None) -> RawPost | None:
    """One line as a :class:`RawPost`; ``None`` for a blank line; :class:`BadPost` if bad."""
    if raw is None:
        raise BadPost(f"line longer than {MAX_LINE_BYTES:,} bytes; skipped")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPost(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                      f"{exc.start})") from exc
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadPost(f"not JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise BadPost("JSON nested too deeply") from exc
    if not isinstance(record, dict):
        raise BadPost(f"expected a JSON object, got {type(record).__name__}")
    post_id = record.get("id")
    if isinstance(post_id, bool) or not isinstance(post_id, str | int) or post_id == "":
        raise BadPost("missing or invalid 'id' (need a non-empty string or an integer)")
    text = record.get("text")
    if not isinstance(text, str):
        raise BadPost(f"post {post_id!r}: 'text' must be a string")
    if not text.strip():
        raise BadPost(f"post {post_id!r}: empty text")
    if len(text) > MAX_TEXT_CHARS:
        raise BadPost(f"post {post_id!r}: text is {len(text):,} characters, over the "
                      f"{MAX_TEXT_CHARS:,} limit; skipped")
    try:
        images = record.get("images") or []
        if not isinstance(images, list) or not all(isinstance(i, str) for i in images):
            raise BadPost("'images' must be a list of strings")
        reach = record.get("reach")
        if reach is not None and (isinstance(reach, bool) or not isinstance(reach, int)
                                  or reach < 0):
            raise BadPost("'reach' must be a whole number of 0 or more")
        role = (_str(record, "role", 40) or "").lower()
        is_reply = role in REPLY_ROLES or any(record.get(k) not in (None, "")
                                              for k in REPLY_KEYS)
        return RawPost(str(post_id), text, _str(record, "platform", 40),
                       _str(record, "posted_at", 40), _str(record, "author", 200),
                       _str(record, "url"), tuple(i[:200] for i in images[:20]), reach,
                       is_reply)
    except BadPost as exc:
        raise BadPost(f"post {post_id!r}: {exc}") from exc
