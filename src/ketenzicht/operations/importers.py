"""Import adapters: chat exports (plain JSON or CSV) read into message rows to record.

JSON: a list of messages, or ``{"messages": [...]}``; each message has ``at`` (ISO 8601
with a time zone), ``direction`` (``in``/``inbound``/``received`` or ``out``/
``outbound``/``sent``) and ``text``; optionally ``confirm_reason`` for a decoy-side
message the guard will flag. CSV: a header row with the same column names. A line that
cannot be read refuses the whole import, naming the line: nothing is half-imported.

WARC: a capture of the chat pages made by the crawler (``online.collection``'s WARC files,
read through its face). Every successful response record whose payload is JSON (a chat
API's answer, shaped as the JSON export) or HTML (elements carrying ``data-direction`` and
``data-at``, their text the message) adds its messages, in record order; each keeps the
record it came from (:class:`WarcSource`), so the import's audit entry cites the capture.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.text import no_control_characters
from ketenzicht.online.collection import public as collection
from ketenzicht.operations.enums import Direction

NOT_JSON = N_("The export is not valid JSON: %(error)s.")
NOT_LIST = N_("The JSON export holds no list of messages.")
BAD_LINE = N_("Message %(line)s of the export cannot be read: %(error)s.")
NOT_WARC = N_("The file is not a WARC capture that can be read: %(error)s.")
NO_CHAT = N_("The WARC capture holds no chat messages (no JSON or HTML response with "
             "messages).")
MAX_TEXT = 20000

_DIRECTIONS = {"in": Direction.INBOUND, "inbound": Direction.INBOUND,
               "received": Direction.INBOUND, "counterpart": Direction.INBOUND,
               "out": Direction.OUTBOUND, "outbound": Direction.OUTBOUND,
               "sent": Direction.OUTBOUND, "decoy": Direction.OUTBOUND}


@dataclass(frozen=True)
class Row:
    """One message read from an export."""

    line: int
    at: datetime
    direction: Direction
    text: str
    confirm_reason: str


def _row(line: int, raw: Mapping[str, Any]) -> Row:
    try:
        at = datetime.fromisoformat(str(raw["at"]))
        if at.tzinfo is None:
            raise ValueError("the time has no time zone")
        direction = _DIRECTIONS[str(raw["direction"]).strip().lower()]
        text = no_control_characters(str(raw.get("text") or ""))
        reason = no_control_characters(str(raw.get("confirm_reason") or ""))
        if not text:
            raise ValueError("no text")
        if len(text) > MAX_TEXT:
            raise ValueError(f"text longer than {MAX_TEXT} characters")
    except KeyError as exc:
        raise ValidationFailed(BAD_LINE, line=line, error=f"missing or unknown {exc}") from None
    except ValueError as exc:
        raise ValidationFailed(BAD_LINE, line=line, error=str(exc)) from None
    return Row(line, at, direction, text, reason[:2000])


def read_json(content: str) -> list[Row]:
    """Rows of a JSON chat export."""
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise ValidationFailed(NOT_JSON, error=str(exc)) from None
    items = data.get("messages") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationFailed(NOT_LIST)
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ValidationFailed(BAD_LINE, line=n, error="not an object")
        out.append(_row(n, item))
    return out


def read_csv(content: str) -> list[Row]:
    """Rows of a CSV chat export (header: at, direction, text[, confirm_reason])."""
    reader: Iterable[dict[str, str]] = csv.DictReader(io.StringIO(content))
    return [_row(n, item) for n, item in enumerate(reader, start=2)]


def read(fmt: str, content: str) -> list[Row]:
    """Rows of an export in ``fmt`` (``json`` or ``csv``)."""
    return read_json(content) if fmt == "json" else read_csv(content)


@dataclass(frozen=True)
class WarcSource:
    """The WARC record a group of messages came from."""

    record_id: str
    url: str
    date: str
    sha256: str
    messages: int


class _ChatHTML(HTMLParser):
    """Collects the text of elements with ``data-direction`` and ``data-at`` (one level)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict[str, str]] = []
        self._open: dict[str, str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open is not None:
            self._depth += 1
            return
        found = {k: v or "" for k, v in attrs}
        if "data-direction" in found and "data-at" in found:
            self._open = {"direction": found["data-direction"], "at": found["data-at"],
                          "text": ""}
            self._depth = 0

    def handle_endtag(self, tag: str) -> None:
        if self._open is None:
            return
        if self._depth:
            self._depth -= 1
            return
        self._open["text"] = " ".join(self._open["text"].split())
        self.items.append(self._open)
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def _payload_items(content_type: str, payload: bytes) -> list[dict[str, Any]]:
    text = payload.decode("utf-8", errors="replace")
    if "json" in content_type:
        data = json.loads(text)
        items = data.get("messages") if isinstance(data, dict) else data
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    if "html" in content_type:
        parser = _ChatHTML()
        parser.feed(text)
        parser.close()
        return list(parser.items)
    return []


def read_warc(data: bytes) -> tuple[list[Row], list[WarcSource]]:
    """Rows of a WARC capture of chat pages, and the records they came from."""
    rows: list[Row] = []
    sources: list[WarcSource] = []
    try:
        for record in collection.iter_responses(io.BytesIO(data)):
            if not 200 <= record.status < 300:
                continue
            content_type = next((v.lower() for k, v in record.headers
                                 if k.lower() == "content-type"), "")
            try:
                items = _payload_items(content_type, record.payload)
            except ValueError as exc:
                raise ValidationFailed(NOT_JSON, error=str(exc)) from None
            for item in items:
                rows.append(_row(len(rows) + 1, item))
            if items:
                sources.append(WarcSource(record.record_id, record.url, record.date,
                                          hashlib.sha256(record.payload).hexdigest(),
                                          len(items)))
    except ValidationFailed:
        raise
    except Exception as exc:  # warcio raises many kinds on a damaged file
        raise ValidationFailed(NOT_WARC, error=f"{type(exc).__name__}: {exc}"[:300]) from None
    if not rows:
        raise ValidationFailed(NO_CHAT)
    return rows, sources
