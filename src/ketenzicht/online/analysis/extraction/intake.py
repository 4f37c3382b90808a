"""Reading ads from JSON lines, one line at a time, so that one bad line cannot stop a run.

Lines are read as bytes: a line that is not UTF-8 is reported and skipped instead of raising
in the middle of iteration, and an over-long line is skipped without being held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any, Final

from ketenzicht.online.analysis.extraction.types import Ad

MAX_TEXT_CHARS: Final = 100_000  # real ads are a few kB; a megabyte "ad" is a scraping error
MAX_LINE_BYTES: Final = 4 * MAX_TEXT_CHARS + 65_536
_CHUNK: Final = 65_536


class BadLine(ValueError):
    """A line that cannot be processed; the message says why, for the person running it."""


def iter_lines(
    stream: IO[bytes], max_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, bytes)``; an over-long line yields ``None`` and is skipped."""
    lineno = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drain the rest of the long line
                line = stream.readline(_CHUNK)
            yield lineno, None
            continue
        yield lineno, line


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) and value.strip() else None


def parse_line(raw: bytes | None, default_region: str = "NL") -> Ad | None:
    """Turn one JSON line into an :class:`Ad`; ``None`` for a blank line; ``BadLine`` if bad."""
    if raw is None:
        raise BadLine(f"line longer than {MAX_LINE_BYTES:,} bytes; skipped")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        raise BadLine(f"not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start})") from exc
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:  # e.g. 1,000 nested brackets: a bad line, not a crash
        raise BadLine("JSON nested too deeply") from exc
    if not isinstance(record, dict):
        raise BadLine(f"expected a JSON object, got {type(record).__name__}")
    ad_id = record.get("id")
    if isinstance(ad_id, bool) or not isinstance(ad_id, str | int) or ad_id == "":
        raise BadLine("missing or invalid 'id' (need a non-empty string or an integer)")
    text = record.get("text")
    title = _optional_str(record, "title") or ""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise BadLine(f"ad {ad_id!r}: 'text' must be a string")
    if not text.strip() and not title:
        raise BadLine(f"ad {ad_id!r}: empty text")
    if len(text) + len(title) > MAX_TEXT_CHARS:
        raise BadLine(f"ad {ad_id!r}: text is {len(text):,} characters, over the "
                      f"{MAX_TEXT_CHARS:,} limit; skipped")
    region = _optional_str(record, "region") or default_region
    if len(region) != 2 or not region.isalpha():
        raise BadLine(f"ad {ad_id!r}: region {region!r} is not an ISO country code")
    return Ad(ad_id, text, title, region.upper(), _optional_str(record, "city"),
              _optional_str(record, "site"), _optional_str(record, "url"),
              _optional_str(record, "posted_at"))
