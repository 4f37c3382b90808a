"""What counts as an internal code or untranslated English on a Dutch page (test_daily.py).

Nothing here is a hand list of codes: the codes come from the enums and the indicator
catalogues in the code, the English from the catalogue's msgids. Only the proper nouns that
may appear in any language are listed by hand (``ALLOWED``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from enum import Enum
from functools import lru_cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po

import ketenzicht
from ketenzicht.core.i18n import TRANSLATIONS_DIR

# Words that are the same in every language, or names: they may appear on a Dutch page
# although they are an enum value or an English msgid.
ALLOWED = frozenset({
    "CoMensha", "Ketenzicht", "OK", "ID", "CSV", "PDF", "JSON", "ZIP", "SHA-256", "WARC",
    "URL", "E-mail", "e-mail", "Status", "Monitor", "Online", "Start", "Signaal", "Demo",
    "demo", "Ed25519", "pHash", "MinHash", "MSE", "ILO", "HTCDS", "NL", "EU", "Nederlands",
    "English", "Totaal", "Type", "Code",
})

# Left-over markers of a template or a message that was never filled in.
_PLACEHOLDER = re.compile(r"\{slot\d+\}|%\(\w+\)[sd]|\{\{|\}\}|\{%|%\}")
# Counter names ("ads/gone", "dropped/duplicate") shown as they are stored.
_COUNTER = re.compile(r"(?<![\w/.:-])[a-z]+(?:_[a-z]+)*/[a-z]+(?:_[a-z]+)*(?![\w/.-])")
# An account number where a name belongs ("gebruiker 1 (organisatie 1)").
_ACCOUNT = re.compile(r"\b(?:gebruiker|user|organisatie|organisation) \d+\b", re.IGNORECASE)
_URL = re.compile(r"\S*://\S*|(?<!\w)/[\w./{}?=&%-]+")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'-]*")


def _enum_values() -> set[str]:
    values: set[str] = set()
    for info in pkgutil.walk_packages(ketenzicht.__path__, "ketenzicht."):
        if not info.name.endswith(".enums"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == info.name:
                values.update(str(m.value) for m in obj)
    return values


def _catalogue_codes() -> set[str]:
    from ketenzicht.online.analysis.indicators.catalogue import catalogue as ad_catalogue
    from ketenzicht.online.analysis.linking.score import indicators as network_indicators
    from ketenzicht.signals.catalogue import catalogue as signal_catalogue

    signals = signal_catalogue()
    codes = set(signals.indicators) | set(signals.items) | set(signals.control_methods)
    codes |= set(signals.recruiter_relations)
    codes |= {i.code for i in ad_catalogue().indicators} | set(network_indicators())
    return codes


@lru_cache(maxsize=1)
def nl_catalogue() -> dict[str, str]:
    """msgid -> Dutch msgstr of every translated singular message."""
    with (TRANSLATIONS_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    out: dict[str, str] = {}
    for message in catalog:
        if message.id and isinstance(message.id, str) and isinstance(message.string, str):
            out[message.id] = message.string
    return out


@lru_cache(maxsize=1)
def _dutch_words() -> frozenset[str]:
    words: set[str] = set()
    for text in nl_catalogue().values():
        words.update(w.lower() for w in _WORD.findall(text))
    return frozenset(words)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    words: set[str] = set()
    for msgid in nl_catalogue():
        words.update(w.lower() for w in _WORD.findall(msgid))
    return frozenset(words)


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Codes that must never be shown: snake_case and UPPER_CASE values, and lowercase
    one-word values that are English (a word of the msgids, "labour") and not Dutch (no nl
    translation uses it). A Dutch value shown as it is ("afgesloten") reads as Dutch on an
    nl page and is not caught here; the English pages are not crawled."""
    dutch, english = _dutch_words(), _english_words()
    out: set[str] = set()
    for value in _enum_values() | _catalogue_codes():
        if value in ALLOWED or len(value) < 3 or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
            continue
        if "_" in value or value.isupper() or (value in english and value not in dutch):
            out.add(value)
    return frozenset(out)


@lru_cache(maxsize=1)
def _english_by_first_word() -> dict[str, tuple[str, ...]]:
    """English fragments that an nl page must not contain, keyed by their first word.

    A msgid whose Dutch is the same text ("Monitor") is no evidence; a msgid is cut at its
    placeholders and each literal piece of two or more words (or one long word) is kept.
    """
    pieces: set[str] = set()
    for msgid, msgstr in nl_catalogue().items():
        if not msgstr or msgstr == msgid:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>", msgid):
            piece = piece.strip(" .,:;()\"'–-")
            words = _WORD.findall(piece)
            if not words or piece in ALLOWED or piece in msgstr:
                continue
            if len(words) >= 2 or (len(piece) >= 8 and piece.lower() not in _dutch_words()):
                pieces.add(piece)
    index: dict[str, list[str]] = {}
    for piece in pieces:
        index.setdefault(_WORD.findall(piece)[0], []).append(piece)
    return {k: tuple(sorted(v, key=len)) for k, v in index.items()}


class _Text(HTMLParser):
    """The visible text of a page and the texts a screen reader reads out."""

    SKIP = frozenset({"script", "style", "template", "iframe"})
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # Data that is not ours to translate: ad texts, names, free text typed by people.
        # Text declared as another language (lang="en": the linker's measured facts, stored
        # in English) is no untranslated UI text; it is reported, not hidden, in the issue.
        skip = tag in self.SKIP or values.get("translate") == "no" or (
            tag != "html" and values.get("lang") not in (None, "nl"))
        if tag not in ("input", "img", "br", "hr", "meta", "link", "source", "col"):
            self._stack.append((tag, skip))
            self._skip += skip
        if self._skip:
            return
        for name in self.SPOKEN:
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            name, skip = self._stack.pop()
            self._skip -= skip
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    """The page's text, one piece per line."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def findings(html: str) -> list[str]:
    """Every internal code, placeholder, counter name and English msgid on a Dutch page."""
    text = visible_text(html)
    plain = _URL.sub(" ", text)
    found: list[str] = []
    found += [f"placeholder {m.group(0)!r}" for m in _PLACEHOLDER.finditer(text)]
    found += [f"counter {m.group(0)!r}" for m in _COUNTER.finditer(plain)]
    found += [f"account number {m.group(0)!r} in {_around(plain, m.start())!r}"
              for m in _ACCOUNT.finditer(plain)]
    codes = known_codes()
    english = _english_by_first_word()
    for match in _WORD.finditer(plain):
        word = match.group(0)
        if word in codes:
            found.append(f"code {word!r} in {_around(plain, match.start())!r}")
        for piece in english.get(word, ()):
            end = match.start() + len(piece)
            if plain.startswith(piece, match.start()) and not (
                    end < len(plain) and (plain[end].isalnum())):
                found.append(f"English {piece!r} in {_around(plain, match.start())!r}")
    return found


def _around(text: str, at: int) -> str:
    return text[max(0, at - 40):at + 60].replace("\n", " | ")
