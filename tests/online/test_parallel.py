"""``online extract`` on every core (issue 16): the same output, in input order, as one
process; bad lines and dropped ads keep their line numbers; counters add up."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any
from unittest import mock

import pytest
from typer.testing import CliRunner

from ketenzicht.online.analysis import parallel
from ketenzicht.online.analysis.extraction import language
from ketenzicht.online.analysis.extraction.intake import parse_line
from ketenzicht.online.analysis.pipeline import BATCH_SIZE
from ketenzicht.online.analysis.synthetic import market
from ketenzicht.online.cli import app

runner = CliRunner()


def _corpus(n: int) -> bytes:
    lines = [json.dumps(a.ad, ensure_ascii=False) for a in market.generate(n, seed=5)]
    # A bad line and an ad with no text among them, past the first batch.
    lines.insert(BATCH_SIZE + 7, "this is not json")
    lines.insert(2 * BATCH_SIZE + 3, json.dumps({"id": "leeg", "text": "   "}))
    return ("\n".join(lines) + "\n").encode()


def _extract(data: bytes, workers: int) -> tuple[list[str], list[str]]:
    result = runner.invoke(app, ["extract", "-", "--workers", str(workers), "--stats"],
                           input=data)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines(), result.stderr.splitlines()


@pytest.fixture(scope="module")
def corpus() -> bytes:
    return _corpus(3 * BATCH_SIZE + 40)


def test_two_workers_write_what_one_process_writes_in_the_same_order(corpus: bytes) -> None:
    one, one_err = _extract(corpus, 1)
    two, two_err = _extract(corpus, 2)
    assert two == one and len(one) == 3 * BATCH_SIZE + 40
    assert "  workers: 1" in one_err and "  workers: 2" in two_err
    # The same errors at the same line numbers, and the stage counters added up alike.
    assert [x for x in two_err if x != "  workers: 2"] == \
        [x for x in one_err if x != "  workers: 1"]
    assert any(x.startswith(f"line {BATCH_SIZE + 8}: ") for x in two_err)
    assert any(x.startswith(f"line {2 * BATCH_SIZE + 4}: ") for x in two_err)
    assert json.loads(one[0])["id"] == "mk-5-0" and json.loads(one[-1])["id"].endswith("-423")


def test_one_batch_never_starts_a_pool() -> None:
    with mock.patch.object(parallel, "ProcessPoolExecutor",
                           side_effect=AssertionError("no pool for one batch")):
        out, err = _extract(_corpus(20)[: 20 * 400], 2)
    assert out and "  workers: 1" in err


def test_after_lingua_started_its_threads_workers_are_spawned_not_forked() -> None:
    language.detector()  # as a long-lived process that extracted before would have
    methods: list[str] = []
    real = ProcessPoolExecutor

    def spy(*args: Any, **kwargs: Any) -> Any:
        methods.append(kwargs["mp_context"].get_start_method())
        return real(*args, **kwargs)

    ads = [parse_line(json.dumps(m.ad).encode()) for m in market.generate(3, seed=2)]
    batches = [[(n, ad)] for n, ad in enumerate(ads) if ad is not None]
    with mock.patch.object(parallel, "ProcessPoolExecutor", side_effect=spy):
        got = list(parallel.Runner(2).run(batches))
    assert methods == ["spawn"]
    assert [b for b, _ in got] == batches and all(ok for _, o in got for ok, _ in o)


def _die(ads: object) -> object:
    os._exit(3)  # a worker killed mid-run (out of memory, kill -9)


def test_a_worker_that_dies_is_a_clear_error_not_a_traceback(corpus: bytes) -> None:
    with mock.patch.object(parallel, "start_method", return_value="fork"), \
            mock.patch.object(parallel, "_run_in_worker", _die):
        result = runner.invoke(app, ["extract", "-", "--workers", "2"], input=corpus)
    assert result.exit_code == 1
    assert "error: a worker process died" in result.stderr
    assert "Traceback" not in result.stderr
