"""The online pipeline: extraction stages then indicators, each stage counting what it did.

Stages are named so that the order can come from settings; each takes the shared
:class:`Context` and may raise :class:`DropAd` to reject the ad with a reason (Scrapy's
``DropItem``).  Counters go to one ``stats`` dict per run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final

from ketenzicht.online.analysis import indicators
from ketenzicht.online.analysis.extraction import (
    ages,
    emails,
    handles,
    language,
    origins,
    phones,
    places,
    prices,
)
from ketenzicht.online.analysis.extraction.types import Ad, Context, Extraction

Stage = Callable[[Context], None]

STAGES: Final[dict[str, Stage]] = {
    "phones": phones.stage,
    "emails": emails.stage,
    "handles": handles.stage,  # after phones: "WhatsApp 06..." makes the number a handle
    "ages": ages.stage,
    "places": places.stage,
    "prices": prices.stage,
    "origins": origins.stage,
    "language": language.stage,
    "indicators": indicators.stage,  # last: it reads what the others found
}
DEFAULT_ORDER: Final = tuple(STAGES)


BATCH_SIZE: Final = 128


class DropAd(Exception):  # named after Scrapy's DropItem
    """Raised by a stage to reject an ad; the message is the reason."""


class Pipeline:
    """Runs the named stages in order over ads and keeps the counters.

    :meth:`run_batch` runs stage by stage over a batch rather than ad by ad: each stage's
    regexes and lingua's language models then stay in the CPU cache for the whole batch,
    which measured about 25% faster than ad by ad.
    """

    def __init__(self, order: Sequence[str] = DEFAULT_ORDER) -> None:
        unknown = [name for name in order if name not in STAGES]
        if unknown:
            raise ValueError(f"unknown extraction stages: {', '.join(unknown)}")
        self.order = tuple(order)
        self.stages = [STAGES[name] for name in order]
        self.stats: dict[str, int] = {}

    def _count(self, key: str) -> None:
        self.stats[key] = self.stats.get(key, 0) + 1

    def run(self, ad: Ad) -> Extraction:
        """Extract everything from one ad; raises :class:`DropAd` if a stage rejects it."""
        result = self.run_batch([ad])[0]
        if isinstance(result, DropAd):
            raise result
        return result

    def run_batch(self, ads: Sequence[Ad]) -> list[Extraction | DropAd]:
        """Extract from a batch of ads; a rejected or failing ad yields its :class:`DropAd`.

        An unexpected error in a stage drops only the ad that caused it: scraped text is
        endlessly strange, and one ad must never cost the rest of the batch.
        """
        contexts = [Context.for_ad(ad, self.stats) for ad in ads]
        dropped: dict[int, DropAd] = {}
        for name, stage in zip(self.order, self.stages, strict=True):
            for i, ctx in enumerate(contexts):
                if i in dropped:
                    continue
                try:
                    stage(ctx)
                except DropAd as exc:
                    dropped[i] = exc
                    self._count(f"ads/dropped/{name}")
                except Exception as exc:  # isolate the failing ad and report it
                    dropped[i] = DropAd(f"stage {name!r} failed: {exc!r}")
                    self._count(f"ads/failed/{name}")
        self.stats["ads/processed"] = self.stats.get("ads/processed", 0) + len(ads) - len(dropped)
        return [dropped.get(i, ctx.result) for i, ctx in enumerate(contexts)]

    def run_many(self, ads: Iterable[Ad], batch_size: int = BATCH_SIZE) -> Iterator[Extraction]:
        """Extract from many ads, batch by batch; rejected ones are counted and left out."""
        batch: list[Ad] = []
        for ad in ads:
            batch.append(ad)
            if len(batch) >= batch_size:
                yield from (r for r in self.run_batch(batch) if isinstance(r, Extraction))
                batch = []
        if batch:
            yield from (r for r in self.run_batch(batch) if isinstance(r, Extraction))


def extract_ad(ad: Ad) -> Extraction:
    """Convenience: run the default pipeline on one ad."""
    return _default().run(ad)


_DEFAULT: list[Pipeline] = []


def _default() -> Pipeline:
    if not _DEFAULT:
        _DEFAULT.append(Pipeline())
    return _DEFAULT[0]
