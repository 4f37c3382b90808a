"""Extraction on every core: batches of ads go to worker processes, results come back in order.

``online extract`` is CPU-bound, one core per process (the GIL), and a national back-fill is
millions of ads; issue 16 asks for 4,000 ads/s on this 2-core machine, about twice what one
core does. Workers are forked where the platform allows it, which costs no second import of
the pipeline, but only while this process has not yet built lingua's detector: lingua starts
a thread pool, and a process forked after that deadlocks on it. Otherwise they are spawned.

A small input (one batch) never starts a pool: forking would cost more than it saves.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Final

from ketenzicht.online.analysis.extraction import language
from ketenzicht.online.analysis.extraction.types import Ad
from ketenzicht.online.analysis.pipeline import DropAd, Pipeline

#: One ad's outcome: (True, its JSON line) or (False, why it was dropped).
Outcome = tuple[bool, str]
#: A batch as the CLI reads it: each ad with its line number in the input.
Batch = list[tuple[int, Ad]]
MAX_WORKERS: Final = 8
IN_FLIGHT_PER_WORKER: Final = 3  # batches queued per worker: enough to keep it busy, bounded

_worker_pipeline: Pipeline | None = None


def default_workers() -> int:
    """One worker per core this process may use, at most ``MAX_WORKERS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def start_method() -> str:
    """``fork`` while lingua's threads have not started in this process, else ``spawn``."""
    forkable = "fork" in mp.get_all_start_methods() \
        and language.detector.cache_info().currsize == 0
    return "fork" if forkable else "spawn"


def _outcomes(pipeline: Pipeline, ads: Sequence[Ad]) -> list[Outcome]:
    out: list[Outcome] = []
    for result in pipeline.run_batch(ads):
        if isinstance(result, DropAd):
            out.append((False, str(result)))
        else:
            out.append((True, json.dumps(result.to_json(), ensure_ascii=False,
                                         separators=(",", ":"))))
    return out


def _init_worker() -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline()


def _run_in_worker(ads: list[Ad]) -> tuple[list[Outcome], dict[str, int]]:
    pipeline = _worker_pipeline
    assert pipeline is not None, "the worker was not initialised"
    pipeline.stats = {}  # counters of this batch only: the parent adds them up
    return _outcomes(pipeline, ads), pipeline.stats


class Runner:
    """Runs batches in this process or in a pool, and adds up the stage counters."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.stats: Counter[str] = Counter()
        self.used_workers = 0  # how many processes actually ran (1: this one)

    def run(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Outcome]]]:
        """Each batch with its outcomes, in input order."""
        source = iter(batches)
        first = next(source, None)
        if first is None:
            return
        second = next(source, None)
        if second is None or self.workers == 1:
            yield from self._here(first, second, source)
            return
        yield from self._pooled([first, second], source)

    def _here(self, first: Batch, second: Batch | None,
              rest: Iterator[Batch]) -> Iterator[tuple[Batch, list[Outcome]]]:
        self.used_workers = 1
        pipeline = Pipeline()
        for batch in itertools.chain([first], [second] if second is not None else [], rest):
            yield batch, _outcomes(pipeline, [ad for _, ad in batch])
        self.stats.update(pipeline.stats)

    def _pooled(self, head: list[Batch], rest: Iterator[Batch]
                ) -> Iterator[tuple[Batch, list[Outcome]]]:
        context = mp.get_context(start_method())
        self.used_workers = self.workers
        pending: deque[tuple[Batch, Future[tuple[list[Outcome], dict[str, int]]]]] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        with ProcessPoolExecutor(self.workers, mp_context=context,
                                 initializer=_init_worker) as pool:
            for batch in itertools.chain(head, rest):  # lazily: a file may not fit in memory
                pending.append((batch, pool.submit(_run_in_worker, [ad for _, ad in batch])))
                while len(pending) >= limit:
                    yield self._collect(*pending.popleft())
            while pending:
                yield self._collect(*pending.popleft())

    def _collect(self, batch: Batch,
                 future: Future[tuple[list[Outcome], dict[str, int]]]
                 ) -> tuple[Batch, list[Outcome]]:
        outcomes, stats = future.result()
        self.stats.update(stats)
        return batch, outcomes
