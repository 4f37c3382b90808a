"""The trimmed stylesheet bundle keeps what a page can use and drops the rest."""

from __future__ import annotations

import gzip
import re

import tinycss2

from ketenzicht.web import cssbundle
from ketenzicht.web.cssbundle import _emit, _Trimmer


def _trim(css: str, words: set[str], prefixes: tuple[str, ...] = ()) -> str:
    trimmer = _Trimmer(frozenset(words), prefixes)
    rules = trimmer.rules(tinycss2.parse_stylesheet(css, skip_whitespace=True,
                                                     skip_comments=True))
    return "\n".join(_emit(rules, trimmer.needed()))


def test_rules_of_unused_classes_and_unread_tokens_are_dropped() -> None:
    css = (":root{--a:red;--b:var(--c);--c:blue;--unused:green}"
           ".used{color:var(--b)} .unused{color:var(--a)} .used .unused, .used p{margin:0}"
           "p{line-height:1.5} @media (min-width: 40em){.used{padding:0}.gone{padding:1px}}"
           "@media print{.gone{display:none}}")
    out = _trim(css, {"used"})
    assert ".used{color:var(--b)}" in out
    assert ".unused{" not in out and ".gone" not in out and "@media print" not in out
    assert ".used p{margin:0}" in out and ".used .unused" not in out  # per selector
    assert "p{line-height:1.5}" in out  # an element rule is always kept
    assert "@media (min-width: 40em){.used{padding:0}}" in out
    # --b is read, --b reads --c; --a only by a dropped rule; --unused by nothing.
    assert "--b:var(--c)" in out and "--c:blue" in out
    assert "--a:" not in out and "--unused" not in out


def test_a_class_built_from_a_prefix_keeps_every_class_with_that_prefix() -> None:
    out = _trim(".alert--error{color:red}.alert--ok{color:green}.other--x{color:blue}",
                set(), ("alert--",))
    assert ".alert--error" in out and ".alert--ok" in out and ".other--x" not in out


def test_the_site_bundle_keeps_every_class_the_templates_name_and_is_small() -> None:
    bundle = cssbundle.build("site").decode()
    full = "".join((cssbundle.STATIC_DIR / f).read_text() for f in cssbundle.BUNDLES["site"])
    templates = "".join(p.read_text() for p in
                        (cssbundle.PACKAGE_DIR / "templates").glob("**/*.html"))
    named = {c for attr in re.findall(r'class="([^"{]*)"', templates) for c in attr.split()}
    styled = set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", full))
    kept = set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", bundle))
    missing = sorted((named & styled) - kept)
    assert not missing, f"classes used by templates but dropped from the bundle: {missing}"
    notice = bundle.split("*/")[0]
    assert "EUPL-1.2" in notice and "Ketenzicht's own rules" in notice  # one whole comment
    assert len(bundle) < len(full) / 3
    assert len(gzip.compress(bundle.encode())) < 20_000
    # Every design token the bundle reads is still defined by the theme in it.
    defined = set(re.findall(r"(--[\w-]+):", bundle))
    read = set(re.findall(r"var\(\s*(--[\w-]+)", bundle))
    theme = (cssbundle.STATIC_DIR / "vendor/voorbeeld-theme/theme.css").read_text()
    tokens = set(re.findall(r"(--[\w-]+):", theme))
    assert read & tokens and not sorted((read & tokens) - defined)
