"""Messenger handles: WhatsApp, Telegram, Snapchat and Signal.

WhatsApp and Signal mostly use the phone number itself; an ad that says "WhatsApp 06..." gets
a handle whose value is that number in E.164, so linking can treat both alike.
"""

from __future__ import annotations

import re
from typing import Final

from ketenzicht.online.analysis.extraction.types import Context, Found

_TELEGRAM: Final = re.compile(
    r"(?:t\.me/|telegram\.me/|(?:telegram|telegramm|tg)\s*(?:id|username|naam|name)?\s*[:\-=]?\s*@"
    r"|(?:telegram|telegramm)\s*(?:id|username|naam|name)?\s*[:=]\s*@?)([a-z][a-z0-9_]{4,31})\b"
)
_SNAPCHAT: Final = re.compile(
    r"(?:snapchat\.com/add/|(?:snapchat|snap|sc)\s*(?:id|username|naam|name)?\s*[:\-=]\s*@?"
    r"|(?:snapchat|snap)\s+@)([a-z][a-z0-9._-]{2,14})\b"
)
_SIGNAL: Final = re.compile(
    r"(?:signal\.me/#eu/|signal\s*(?:id|username|naam|name)?\s*[:\-=]\s*@?|signal\s+@)"
    r"([a-z][a-z0-9_]{2,31}\.[0-9]{2,9}|[a-z][a-z0-9_]{2,31})\b"
)
# Literal cues only (no \b): ``re`` then scans for their first letters instead of trying
# every position.
_CUE: Final = re.compile(r"t\.me|telegr|tg[\s:@=-]|snap|sc[\s:@=-]|signal")
_WHATSAPP_LINK: Final = re.compile(r"(?:wa\.me/|whatsapp\.com/send\?phone=)\+?([0-9]{8,15})")
_PHONE_APP: Final = re.compile(r"\b(whats\s?app|whatsap|wa|app|signal|telegram)\b")
_PHONE_APP_NAMES: Final = {"whatsapp": "whatsapp", "whats app": "whatsapp", "whatsap": "whatsapp",
                           "wa": "whatsapp", "app": "whatsapp", "signal": "signal",
                           "telegram": "telegram"}
_NOT_HANDLES: Final = frozenset({"me", "only", "alleen", "please", "message", "messages", "call",
                                 "bellen", "contact", "available", "beschikbaar", "nummer",
                                 "number", "ook", "also", "video", "calls"})


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.handles`` (needs the phone stage to have run first)."""
    text = ctx.folded.text
    seen: dict[tuple[str, str], Found] = {}

    def add(platform: str, handle: str, start: int, end: int) -> None:
        if handle in _NOT_HANDLES:
            return
        seen.setdefault((platform, handle),
                        Found(handle, ctx.evidence(start, end), {"platform": platform}))

    if _CUE.search(text):
        for platform, regex in (("telegram", _TELEGRAM), ("snapchat", _SNAPCHAT),
                                ("signal", _SIGNAL)):
            for m in regex.finditer(text):
                add(platform, m.group(1), m.start(), m.end())
    for m in _WHATSAPP_LINK.finditer(text):
        add("whatsapp", "+" + m.group(1), m.start(), m.end())
    # A number that follows an app's name ("WhatsApp: 06...") is that app's handle.
    for phone in ctx.result.phones:
        window = text[max(0, phone.at - 30):phone.at]
        apps = _PHONE_APP.findall(window)
        if apps:
            platform = _PHONE_APP_NAMES.get(apps[-1], "whatsapp")
            seen.setdefault((platform, phone.e164),
                            Found(phone.e164, phone.evidence, {"platform": platform}))
    ctx.result.handles = list(seen.values())
    ctx.inc("handles/found", len(seen))
