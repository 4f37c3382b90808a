"""The linker: ad lines in, networks out; used by ``ketenzicht online link`` and the web app.

Stages: read and extract (in worker processes when asked), learn the sites' boilerplate from
the first ``SAMPLE`` ads, reduce each ad to its features, build candidate edges, take the
connected components (splitting oversized ones), then describe and score each network.
One bad line is reported through ``on_error`` and skipped; it never stops the run.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any, Final

from ketenzicht.online.analysis.extraction.intake import BadLine, parse_line
from ketenzicht.online.analysis.extraction.types import Ad, Extraction
from ketenzicht.online.analysis.linking import candidates, components
from ketenzicht.online.analysis.linking.boilerplate import BoilerplateLearner
from ketenzicht.online.analysis.linking.features import AdFeatures, Source, reduce_all
from ketenzicht.online.analysis.linking.network import NetworkResult, describe
from ketenzicht.online.analysis.pipeline import BATCH_SIZE, DropAd, Pipeline

SAMPLE: Final = 2000  # ads read before the boilerplate is fixed; enough to see every footer
CHUNK: Final = 2000  # lines per task handed to a worker process

ErrorSink = Callable[[int, str], None]
Line = tuple[int, bytes | None]


@dataclass
class LinkResult:
    """The networks of one run, best score first, and the run's counters."""

    networks: list[NetworkResult]
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def ads(self) -> int:
        """Ads placed in a network."""
        return sum(len(n.ads) for n in self.networks)


def _id(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _parse(lineno: int, raw: bytes | None, region: str) -> tuple[Ad, Source] | str | None:
    """An ad and what else its line says, ``None`` for a blank line, or the reason it is bad."""
    try:
        ad = parse_line(raw, region)
    except BadLine as exc:
        return str(exc)
    if ad is None:
        return None
    if raw is None or (b'"images"' not in raw and b'"ad_id"' not in raw):
        return ad, Source()
    record = json.loads(raw)
    value = record.get("images")
    images = (tuple(str(v).lower() for v in value if isinstance(v, str) and v)
              if isinstance(value, list) else ())
    return ad, Source(images, _id(record.get("ad_id")), _id(record.get("capture")))


def _extract(pipeline: Pipeline, lines: list[Line], region: str, errors: list[tuple[int, str]]
             ) -> Iterator[tuple[int, Ad, Source, Extraction]]:
    parsed: list[tuple[int, Ad, Source]] = []
    for lineno, raw in lines:
        got = _parse(lineno, raw, region)
        if isinstance(got, str):
            errors.append((lineno, got))
        elif got is not None:
            parsed.append((lineno, *got))
    for start in range(0, len(parsed), BATCH_SIZE):
        batch = parsed[start:start + BATCH_SIZE]
        for (lineno, ad, source), found in zip(
                batch, pipeline.run_batch([ad for _, ad, _ in batch]), strict=True):
            if isinstance(found, DropAd):
                errors.append((lineno, f"ad {ad.id!r} skipped: {found}"))
            else:
                yield lineno, ad, source, found


_WORKER: dict[str, Any] = {}


def _init_worker(boilerplate: frozenset[int], region: str) -> None:
    _WORKER.update(pipeline=Pipeline(), boilerplate=boilerplate, region=region)


def _work(lines: list[Line]) -> tuple[list[AdFeatures], list[tuple[int, str]], dict[str, int]]:
    pipeline: Pipeline = _WORKER["pipeline"]
    errors: list[tuple[int, str]] = []
    out = reduce_all(_extract(pipeline, lines, _WORKER["region"], errors),
                     _WORKER["boilerplate"])
    stats, pipeline.stats = pipeline.stats, {}
    return out, errors, stats


def _chunks(lines: Iterator[Line], size: int) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _merge(into: dict[str, int], more: dict[str, int]) -> None:
    for key, value in more.items():
        into[key] = into.get(key, 0) + value


@dataclass
class Linker:
    """Links ads into networks; ``workers`` > 1 extracts in that many processes."""

    region: str = "NL"
    workers: int = 1
    max_size: int = components.MAX_SIZE
    stats: dict[str, int] = field(default_factory=dict)

    def features(self, lines: Iterable[Line], on_error: ErrorSink) -> list[AdFeatures]:
        """Read, extract and reduce every line; bad ones go to ``on_error``."""
        stream = iter(lines)
        pipeline = Pipeline()
        learner = BoilerplateLearner()
        errors: list[tuple[int, str]] = []
        head: list[tuple[int, Ad, Source, Extraction]] = []
        for chunk in _chunks(stream, CHUNK):
            head.extend(_extract(pipeline, chunk, self.region, errors))
            if len(head) >= SAMPLE:
                break
        learner.add_all((ad, found) for _, ad, _, found in head)
        boilerplate = learner.keys()
        self.stats["boilerplate/sentences"] = len(boilerplate)
        out = reduce_all(head, boilerplate)
        del head
        _merge(self.stats, pipeline.stats)
        for lineno, message in errors:
            on_error(lineno, message)
        if self.workers > 1:
            with get_context("fork").Pool(self.workers, _init_worker,
                                          (boilerplate, self.region)) as pool:
                for feats, errs, stats in pool.imap(_work, _chunks(stream, CHUNK)):
                    out.extend(feats)
                    _merge(self.stats, stats)
                    for lineno, message in errs:
                        on_error(lineno, message)
        else:
            _init_worker(boilerplate, self.region)
            for chunk in _chunks(stream, CHUNK):
                feats, errs, stats = _work(chunk)
                out.extend(feats)
                _merge(self.stats, stats)
                for lineno, message in errs:
                    on_error(lineno, message)
        return self._unique(out, on_error)

    def _unique(self, ads: list[AdFeatures], on_error: ErrorSink) -> list[AdFeatures]:
        """Keep the first ad of each id: an id must name one ad, in one network."""
        first: dict[str, int] = {}
        out = []
        for ad in ads:
            if ad.key in first:
                on_error(ad.lineno, f"ad {ad.key!r}: duplicate id (first on line "
                                    f"{first[ad.key]}); skipped")
                self.stats["ads/duplicate"] = self.stats.get("ads/duplicate", 0) + 1
                continue
            first[ad.key] = ad.lineno
            out.append(ad)
        return out

    def _lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.stats[f"ms/{name}"] = self.stats.get(f"ms/{name}", 0) + round((now - since) * 1000)
        return now

    def link(self, ads: list[AdFeatures]) -> LinkResult:
        """Group reduced ads into scored networks, best score first."""
        t = time.perf_counter()
        edges = candidates.Edges()
        candidates.identifier_edges(ads, edges, self.stats)
        candidates.near_image_edges(ads, edges, self.stats)
        candidates.persona_bridges(ads, edges, self.stats)
        t = self._lap("identifier_edges", t)
        candidates.text_edges(ads, edges, self.stats, self.workers)
        for ad in ads:  # only text linking needs these; a million ads hold a GB of them
            ad.tokens, ad.signature = "", None
        t = self._lap("text_edges", t)
        groups = components.components(len(ads), edges, self.stats, self.max_size)
        del edges
        t = self._lap("components", t)
        by_city: dict[str, list[float]] = defaultdict(list)
        for ad in ads:
            if ad.city and ad.price:
                by_city[ad.city].append(ad.price)
        medians = {c: statistics.median(p) for c, p in by_city.items() if len(p) >= 5}
        networks = [describe([ads[i] for i in group], medians) for group in groups]
        networks.sort(key=lambda n: (-n.score, -len(n.ads), n.key))
        self._lap("describe", t)
        self.stats["networks"] = len(networks)
        self.stats["networks/multi_ad"] = sum(1 for n in networks if len(n.ads) > 1)
        return LinkResult(networks, self.stats)

    def run(self, lines: Iterable[Line], on_error: ErrorSink) -> LinkResult:
        """Read, extract, link and score."""
        t = time.perf_counter()
        ads = self.features(lines, on_error)
        self._lap("read_extract", t)
        return self.link(ads)
