"""The recruitment lexicon: signs and counter-signs as data, with a source per term.

The shipped ``data/lexicon.yaml`` is read first; an analyst's override file (same shape,
``KZ_ONLINE_RECRUITMENT_LEXICON``) adds terms to a sign, adds new signs, or drops a shipped
term by its pattern (``drop:``), so a new slang word needs no release. Every pattern is
folded exactly as post text is (``extraction.normalize``), so "één" and "een" meet.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from ketenzicht.online.analysis.extraction.normalize import Folded, fold, fold_pattern

SHIPPED: Final = Path(__file__).resolve().parent / "data" / "lexicon.yaml"
KINDS: Final = ("sign", "counter")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the term."""


@dataclass(frozen=True, slots=True)
class Term:
    """One pattern of a sign and where it comes from."""

    pattern: str
    source: str


@dataclass(frozen=True, slots=True)
class Sign:
    """A sign (raises the score) or counter-sign (lowers it) and its compiled terms."""

    code: str
    kind: str
    label: dict[str, str]
    terms: tuple[Term, ...]
    examples: tuple[str, ...]
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Hit:
    """A span of the original post that matched a sign."""

    code: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Lexicon:
    """Every sign, in a fixed order, and the fingerprint of what they were built from."""

    version: str
    signs: tuple[Sign, ...]
    sources: dict[str, str]
    fingerprint: str

    @property
    def codes(self) -> tuple[str, ...]:
        """Sign codes in feature order."""
        return tuple(s.code for s in self.signs)

    def sign(self, code: str) -> Sign:
        """The sign named ``code``."""
        for s in self.signs:
            if s.code == code:
                return s
        raise KeyError(code)

    def find(self, text: str | Folded) -> list[Hit]:
        """Every hit of every sign in ``text``, spans in the original text."""
        folded = text if isinstance(text, Folded) else fold(text)
        out: list[Hit] = []
        for s in self.signs:
            for m in s.regex.finditer(folded.text):
                if m.end() > m.start():
                    a, b = folded.span(m.start(), m.end())
                    out.append(Hit(s.code, a, b, folded.original[a:b]))
        return out


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("signs", {}), dict):
        raise LexiconError(f"{path}: expected a mapping with 'signs'")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any], source: Path) -> dict[str, Any]:
    """Add the override's sources, signs and terms to the shipped lexicon."""
    merged: dict[str, Any] = {
        "version": f"{base.get('version', '?')}+{extra.get('version', 'local')}",
        "sources": {**base.get("sources", {}), **(extra.get("sources") or {})},
        "signs": {code: dict(spec) for code, spec in base["signs"].items()},
    }
    for code, spec in (extra.get("signs") or {}).items():
        if not isinstance(spec, dict):
            raise LexiconError(f"{source}: sign {code!r} must be a mapping")
        target = merged["signs"].setdefault(code, {"kind": spec.get("kind", "sign"),
                                                   "label": spec.get("label", {}),
                                                   "terms": [], "examples": []})
        dropped = set(spec.get("drop") or [])
        target["terms"] = [t for t in target.get("terms", []) if t.get("pattern") not in dropped]
        target["terms"] = target["terms"] + list(spec.get("terms") or [])
        target["examples"] = list(target.get("examples", [])) + list(spec.get("examples") or [])
    return merged


def _compile(code: str, spec: dict[str, Any], sources: dict[str, str], where: str) -> Sign:
    kind = spec.get("kind", "sign")
    if kind not in KINDS:
        raise LexiconError(f"{where}: sign {code!r}: kind must be one of {KINDS}")
    terms: list[Term] = []
    for raw in spec.get("terms") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
            raise LexiconError(f"{where}: sign {code!r}: a term needs a 'pattern'")
        source = str(raw.get("source", ""))
        if source not in sources:
            raise LexiconError(f"{where}: sign {code!r}, term {raw['pattern']!r}: "
                               f"source {source!r} is not listed under 'sources'")
        try:
            re.compile(fold_pattern(raw["pattern"]))
        except re.error as exc:
            raise LexiconError(f"{where}: sign {code!r}, term {raw['pattern']!r}: "
                               f"not a valid regex ({exc})") from exc
        terms.append(Term(raw["pattern"], source))
    if not terms:
        raise LexiconError(f"{where}: sign {code!r} has no terms")
    joined = "|".join(f"(?:{fold_pattern(t.pattern)})" for t in terms)
    label = {str(k): str(v) for k, v in (spec.get("label") or {}).items()} or {"en": code}
    return Sign(code, kind, label, tuple(terms),
                tuple(str(e) for e in spec.get("examples") or []), re.compile(joined))


def build(data: dict[str, Any], *, where: str = "lexicon") -> Lexicon:
    """A :class:`Lexicon` from parsed YAML; every problem raises :class:`LexiconError`."""
    sources = {str(k): str(v) for k, v in (data.get("sources") or {}).items()}
    signs = tuple(_compile(str(code), spec, sources, where)
                  for code, spec in sorted(data["signs"].items()))
    canonical = json.dumps({"signs": data["signs"]}, sort_keys=True, ensure_ascii=False)
    return Lexicon(str(data.get("version", "?")), signs, sources,
                   hashlib.sha256(canonical.encode()).hexdigest()[:16])


def load(override: Path | None = None) -> Lexicon:
    """The shipped lexicon, with the analysts' override file merged in when given."""
    data = _read(SHIPPED)
    if override is not None:
        data = _merge(data, _read(override), override)
    return build(data, where=str(override or SHIPPED.name))
