"""The pipeline: ordered stages, batches, counters, and one bad ad never costs the batch."""

from __future__ import annotations

import pytest

from ketenzicht.online.analysis import pipeline as pipeline_module
from ketenzicht.online.analysis.extraction.types import Ad, Context, Extraction
from ketenzicht.online.analysis.pipeline import STAGES, DropAd, Pipeline


def test_unknown_stage_names_are_refused() -> None:
    with pytest.raises(ValueError, match="telepathy"):
        Pipeline(("phones", "telepathy"))


def test_a_subset_of_stages_runs_alone() -> None:
    result = Pipeline(("phones",)).run(Ad("x", "Roemeense dame, bel 0612345678"))
    assert [p.e164 for p in result.phones] == ["+31612345678"]
    assert result.origins == [] and result.language is None


def test_a_failing_stage_drops_only_its_ad(monkeypatch: pytest.MonkeyPatch) -> None:
    def picky(ctx: Context) -> None:
        if "boom" in ctx.ad.text:
            raise RuntimeError("kaput")
        if "reject" in ctx.ad.text:
            raise DropAd("rejected on purpose")

    monkeypatch.setitem(STAGES, "picky", picky)
    p = Pipeline(("phones", "picky", "emails"))
    results = p.run_batch([Ad(1, "bel 0612345678"), Ad(2, "boom"), Ad(3, "reject"),
                           Ad(4, "a@b.nl")])
    assert isinstance(results[0], Extraction) and isinstance(results[3], Extraction)
    assert isinstance(results[1], DropAd) and "kaput" in str(results[1])
    assert isinstance(results[2], DropAd) and str(results[2]) == "rejected on purpose"
    assert [e.value for e in results[3].emails] == ["a@b.nl"]  # type: ignore[union-attr]
    assert p.stats["ads/processed"] == 2
    assert p.stats["ads/failed/picky"] == 1
    assert p.stats["ads/dropped/picky"] == 1
    assert [r.id for r in p.run_many([Ad(5, "x"), Ad(6, "boom")], batch_size=1)] == [5]


def test_batches_give_the_same_results_as_single_ads(pipeline: Pipeline) -> None:
    ads = [Ad(i, f"Ad {i}: bel 06-1234567{i}, Roemeense dame, 2{i} jaar") for i in range(10)]
    batched = [r.to_json() for r in pipeline.run_many(ads, batch_size=4)]
    single = [pipeline.run(ad).to_json() for ad in ads]
    assert batched == single


def test_default_order_ends_with_indicators() -> None:
    assert pipeline_module.DEFAULT_ORDER[-1] == "indicators"
    assert pipeline_module.DEFAULT_ORDER.index("phones") < pipeline_module.DEFAULT_ORDER.index(
        "handles")
