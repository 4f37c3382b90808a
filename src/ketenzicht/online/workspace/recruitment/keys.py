"""What ties a post to a recruiter: handle, phone, payment tag, the same text, the same image.

The phone numbers are found by the ad extractor's own phone stage (``extraction.phones``:
the obfuscated spellings, the Dutch numbering plan), so a recruiter who writes "O6-12 34 56
78" meets one who writes "+31612345678". Handles and payment tags are read here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final

from ketenzicht.online.analysis.extraction import phones
from ketenzicht.online.analysis.extraction.normalize import fold
from ketenzicht.online.analysis.recruitment.intake import RawPost

KINDS: Final = ("handle", "phone", "pay_tag", "text", "image")
_HANDLE: Final = re.compile(
    r"(?:t\.me/|snapchat\.com/add/|instagram\.com/|(?:snap(?:chat)?|sc|tg|telegram|insta)\s*[:=]?\s*@?"
    r"|(?<![\w.])@)([a-z][a-z0-9_.]{2,30})")
_PAY: Final = re.compile(r"(tikkie\.me/pay/[a-z0-9_.-]+|bunq\.me/[a-z0-9_.-]+|paypal\.me/"
                         r"[a-z0-9_.-]+|\bnl\d{2}\s?[a-z]{4}(?:\s?\d){10}\b)")
_NOT_HANDLES: Final = frozenset({"me", "gmail", "hotmail", "home", "school", "alleen", "only"})
MIN_TEXT: Final = 30  # shorter texts ("DM me") are shared by strangers, not reused by one


@dataclass(frozen=True, slots=True)
class Key:
    """One linking value: normalised for matching, shown as written."""

    kind: str
    value: str
    shown: str


def text_key(text: str) -> str | None:
    """The SHA-256 of the folded text with spacing evened out, for texts long enough."""
    words = fold(text).text.split()
    joined = " ".join(words)
    if len(joined) < MIN_TEXT:
        return None
    return hashlib.sha256(joined.encode()).hexdigest()


def keys_of(post: RawPost, region: str = "NL") -> list[Key]:
    """Every linking value of a post, de-duplicated, in a fixed order."""
    folded = fold(post.text)
    out: dict[tuple[str, str], Key] = {}

    def add(kind: str, value: str, shown: str) -> None:
        out.setdefault((kind, value), Key(kind, value[:300], shown[:300]))

    if post.author:
        author = post.author.lower().lstrip("@")
        add("handle", author, post.author)
    for m in _HANDLE.finditer(folded.text):
        name = m.group(1).rstrip("._")
        if name not in _NOT_HANDLES:
            add("handle", name, folded.quote(*m.span()))
    for e164, _styles, start, end in phones.extract(folded, region):
        add("phone", e164, folded.quote(start, end))
    for m in _PAY.finditer(folded.text):
        add("pay_tag", m.group(1).replace(" ", ""), folded.quote(*m.span()))
    digest = text_key(post.text)
    if digest:
        add("text", digest, post.text[:80])
    for image in post.images:
        add("image", image.lower(), image)
    return sorted(out.values(), key=lambda k: (KINDS.index(k.kind), k.value))
