"""Import adapters: chat exports (plain JSON or CSV) read into message rows to record.

JSON: a list of messages, or ``{"messages": [...]}``; each message has ``at`` (ISO 8601
with a time zone), ``direction`` (``in``/``inbound``/``received`` or ``out``/
``outbound``/``sent``) and ``text``; optionally ``confirm_reason`` for a decoy-side
message the guard will flag. CSV: a header row with the same column names. A line that
cannot be read refuses the whole import, naming the line: nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.text import no_control_characters
from ketenzicht.operations.enums import Direction

NOT_JSON = N_("The export is not valid JSON: %(error)s.")
NOT_LIST = N_("The JSON export holds no list of messages.")
BAD_LINE = N_("Message %(line)s of the export cannot be read: %(error)s.")
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
