"""One stylesheet per page, trimmed to the rules the project's pages can use (issue 24).

NL Design System ships Utrecht's whole component library (about 400 KB) and the
voorbeeld theme's every design token (about 200 KB of custom properties), of which a page
uses a small part. The bundle keeps:

- every rule with a selector whose class names all occur somewhere in the project's
  templates, scripts or Python (a word scan, so a class is dropped only when nothing could
  ever put it on a page); classes built in a template from a prefix (``utrecht-alert--{{``)
  keep every class with that prefix;
- every rule without class names (elements, attributes, ``:root``);
- of the custom properties, those that a kept rule reads with ``var()``, followed through
  the properties they read in turn.

It is parsed with tinycss2 (already installed for WeasyPrint's PDF reports) and built once per
process, in memory: nothing generated is kept in git. ``/static/bundle/site.css?v=<hash>``
serves it (see :class:`ketenzicht.web.assets.HashedStaticFiles`), compressed and cached for a
year like every hashed static file. The EUPL-1.2 notices of the sources are kept at the top.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import tinycss2
from tinycss2 import ast

STATIC_DIR = Path(__file__).resolve().parent / "static"
PACKAGE_DIR = STATIC_DIR.parent.parent

# The files of each bundle, in cascade order.
BUNDLES: dict[str, tuple[str, ...]] = {
    "site": ("vendor/utrecht/index.css", "vendor/voorbeeld-theme/theme.css", "ketenzicht.css"),
}
# No "*/" inside: it would end the comment early and void the rule after it.
NOTICE = ("/* Trimmed by Ketenzicht (web/cssbundle.py) from: {files}.\n"
          " * Utrecht components and the voorbeeld theme: EUPL-1.2, Gemeente Utrecht and\n"
          " * Frameless B.V. (see the LICENSE.md beside each vendored file);\n"
          " * Ketenzicht's own rules: EUPL-1.2. */\n")

_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# "utrecht-alert--{{ kind }}" or "kz-" ~ name: a class built from a prefix.
_PREFIX = re.compile(r"([A-Za-z_][\w-]*-)(?:\{\{|\"\s*~|'\s*~|\$\{)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")

# (selectors, declarations) of a kept rule, (``@media …``, inner rules) of a kept at-rule,
# or (a whole at-rule serialised, []) for one kept as it is.
Rule = tuple[str, list[Any]]


def _sources() -> Iterator[Path]:
    for pattern in ("templates/**/*.html", "**/*.py", "web/static/**/*.js"):
        yield from PACKAGE_DIR.glob(pattern)


@lru_cache(maxsize=1)
def used_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every word of the project's templates, Python and scripts; and the class prefixes."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        words.update(_WORD.findall(text))
        prefixes.update(_PREFIX.findall(text))
        # A page may read a custom property itself (style="color: var(--x)").
        words.update(_VAR.findall(text))
    return frozenset(words), tuple(sorted(prefixes))


def _class_used(name: str, words: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    return name in words or name.startswith(prefixes)


def _keep_selectors(prelude: str, words: frozenset[str], prefixes: tuple[str, ...]) -> str:
    """The selectors of a rule whose class names are all in use, joined; '' for none."""
    kept = [sel.strip() for sel in _split_selectors(prelude)
            if all(_class_used(c, words, prefixes) for c in _CLASS.findall(sel))]
    return ", ".join(k for k in kept if k)


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list on its top-level commas (not those inside ``:is(...)``)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(prelude[start:i])
            start = i + 1
    out.append(prelude[start:])
    return out


def _declarations(content: list[ast.Node]) -> list[ast.Declaration]:
    return [d for d in tinycss2.parse_blocks_contents(content, skip_whitespace=True,
                                                      skip_comments=True)
            if isinstance(d, ast.Declaration)]


class _Trimmer:
    """Walks the rules once, keeping what is used; custom properties are settled after."""

    def __init__(self, words: frozenset[str], prefixes: tuple[str, ...]) -> None:
        self.words, self.prefixes = words, prefixes
        self.reads: set[str] = set()  # custom properties read by kept ordinary declarations
        self.defines: dict[str, set[str]] = {}  # custom property -> the ones its value reads

    def rules(self, nodes: Iterable[ast.Node]) -> list[Rule]:
        out: list[Rule] = []
        for node in nodes:
            if isinstance(node, ast.QualifiedRule):
                selectors = _keep_selectors(tinycss2.serialize(node.prelude).strip(),
                                            self.words, self.prefixes)
                if not selectors:
                    continue
                declarations = _declarations(node.content)
                for d in declarations:
                    value = tinycss2.serialize(d.value)
                    if d.name.startswith("--"):
                        self.defines.setdefault(d.name, set()).update(_VAR.findall(value))
                    else:
                        self.reads.update(_VAR.findall(value))
                out.append((selectors, declarations))
            elif isinstance(node, ast.AtRule):
                keyword = node.lower_at_keyword
                if keyword in ("media", "supports", "container", "layer") and node.content:
                    inner = self.rules(tinycss2.parse_rule_list(
                        node.content, skip_whitespace=True, skip_comments=True))
                    if inner:
                        out.append((f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}",
                                    inner))
                elif keyword != "charset":
                    out.append((tinycss2.serialize([node]), []))
        return out

    def needed(self) -> set[str]:
        """The custom properties the kept rules (or a page's own styles) read, followed
        through their definitions."""
        needed: set[str] = set()
        todo = list(self.reads | {w for w in self.words if w.startswith("--")})
        while todo:
            name = todo.pop()
            if name in needed:
                continue
            needed.add(name)
            todo.extend(self.defines.get(name, ()))
        return needed


def _emit(rules: list[Rule], needed: set[str]) -> Iterator[str]:
    for head, body in rules:
        if head.startswith("@") and body and not isinstance(body[0], ast.Declaration):
            inner = "".join(_emit(body, needed))
            if inner:
                yield f"{head}{{{inner}}}"
        elif head.startswith("@"):
            yield head
        else:
            kept = [f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                    + ("!important" if d.important else "")
                    for d in body if not d.name.startswith("--") or d.name in needed]
            if kept:
                yield f"{head}{{{';'.join(kept)}}}"


@lru_cache(maxsize=4)
def build(name: str) -> bytes:
    """The trimmed bundle ``name`` (KeyError for an unknown one)."""
    files = BUNDLES[name]
    words, prefixes = used_words()
    trimmer = _Trimmer(words, prefixes)
    rules: list[Rule] = []
    for rel in files:
        sheet = tinycss2.parse_stylesheet((STATIC_DIR / rel).read_text(encoding="utf-8"),
                                          skip_whitespace=True, skip_comments=True)
        rules.extend(trimmer.rules(sheet))
    body = "\n".join(_emit(rules, trimmer.needed()))
    return (NOTICE.format(files=", ".join(files)) + body + "\n").encode("utf-8")


def bundle_hash(name: str) -> str:
    """The first 12 hex of the SHA-256 of the bundle."""
    return hashlib.sha256(build(name)).hexdigest()[:12]


def bundle_url(name: str) -> str:
    """The URL of a bundle with its content hash."""
    return f"/static/bundle/{name}.css?v={bundle_hash(name)}"
