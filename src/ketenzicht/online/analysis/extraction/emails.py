"""E-mail addresses, including the "name (at) gmail dot com" spellings that dodge filters."""

from __future__ import annotations

import re
from typing import Final

from ketenzicht.online.analysis.extraction.types import Context, Found

_PLAIN: Final = re.compile(
    r"(?<![\w.+-])([a-z0-9][a-z0-9._%+-]*)@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})"
)
# "anna(at)gmail.com", "anna [at] hotmail [dot] nl", "anna at gmail dot com": the last form
# only with a known mail provider, or "meet at home dot" would become an address.
_AT: Final = r"(?:\s*[\[(]\s*(?:at|@)\s*[\])]\s*|\s+(?:at|apenstaartje)\s+)"
# The same token, but starting with a bracket or a single space so that ``re`` can skip.
_AT_LED: Final = r"(?:[\[(]\s*(?:at|@)\s*[\])]\s*|\s(?:at|apenstaartje)\s+)"
_DOT: Final = r"(?:\s*[\[(]\s*(?:dot|punt|punto)\s*[\])]\s*|\s+(?:dot|punt|punto)\s+|\.)"
# Providers only: generic words such as "home", "me" or "web" are also mail domains, but
# "meet me at home dot com" is not an address.
_PROVIDERS: Final = (
    r"gmail|googlemail|hotmail|outlook|live|yahoo|icloud|gmx|protonmail|proton|yandex|ziggo"
    r"|kpnmail|kpnplanet|upcmail|xs4all|telfort|casema|chello|abv|onet|interia|mail\.ru"
)
# The "at" token is found first (it starts with a space or a bracket, which ``re`` scans
# for quickly); only then are the name before it and the domain after it looked at.
_AT_TOKEN: Final = re.compile(_AT_LED)
_LOCAL_BEFORE: Final = re.compile(r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*\s*$")
_DOMAIN_AFTER: Final = re.compile(
    rf"([a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*){_DOT}"
    r"(com|nl|net|org|be|de|ro|pl|bg|ru|es|fr|it|eu|info|co\.uk|uk|ca|me)\b"
)
_PROVIDER: Final = re.compile(_PROVIDERS)
_DOT_WORD: Final = re.compile(r"\s*[\[(]?\s*(?:dot|punt|punto)\s*[\])]?\s*|\s*\.\s*")


def stage(ctx: Context) -> None:
    """Pipeline stage: fill ``result.emails`` with distinct lower-case addresses."""
    text = ctx.folded.text
    seen: dict[str, Found] = {}
    if "@" in text:
        for m in _PLAIN.finditer(text):
            address = f"{m.group(1)}@{m.group(2)}".strip(".")
            seen.setdefault(address, Found(address, ctx.evidence(m.start(), m.end())))
    if "at" in text or "apenstaartje" in text:
        for at in _AT_TOKEN.finditer(text):
            local = _LOCAL_BEFORE.search(text, max(0, at.start() - 64), at.start())
            domain_m = _DOMAIN_AFTER.match(text, at.end())
            if local is None or domain_m is None:
                continue
            domain = _DOT_WORD.sub(".", domain_m.group(1))
            bracketed = "[" in at.group() or "(" in at.group()
            if not bracketed and not _PROVIDER.fullmatch(domain.split(".")[0]):
                continue
            address = f"{local.group().strip()}@{domain}.{domain_m.group(2)}"
            seen.setdefault(address, Found(address, ctx.evidence(local.start(), domain_m.end()),
                                           {"obfuscated": True}))
    ctx.result.emails = list(seen.values())
    ctx.inc("emails/found", len(seen))
