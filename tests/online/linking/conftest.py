"""Helpers for the linking tests: ads as JSON lines, linked in process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from ketenzicht.online.analysis.linking.engine import Linker, LinkResult
from ketenzicht.online.analysis.synthetic import corpus


def lines(records: Sequence[dict[str, Any]]) -> list[tuple[int, bytes | None]]:
    """Numbered JSON lines, as the CLI reads them."""
    return [(i + 1, json.dumps(r, ensure_ascii=False).encode()) for i, r in enumerate(records)]


def link(records: Sequence[dict[str, Any]]) -> tuple[LinkResult, list[tuple[int, str]]]:
    """Link records; returns the result and the reported bad lines."""
    errors: list[tuple[int, str]] = []
    result = Linker().run(lines(records), lambda n, m: errors.append((n, m)))
    return result, errors


def network_of(result: LinkResult) -> dict[str, str]:
    """Ad id -> network key."""
    return {a.key: n.key for n in result.networks for a in n.ads}


@pytest.fixture(scope="session")
def labelled() -> list[corpus.LabelledAd]:
    """A small labelled corpus, shared by the quality tests."""
    return corpus.generate(700, seed=11)


@pytest.fixture(scope="session")
def labelled_result(labelled: list[corpus.LabelledAd]) -> LinkResult:
    """The linker's result on the labelled corpus (computed once)."""
    result, errors = link([a.ad for a in labelled])
    assert errors == []
    return result
