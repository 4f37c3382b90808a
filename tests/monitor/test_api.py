"""The estimate() entry point, its result object and stratified estimates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ketenzicht
from ketenzicht.monitor.estimation import (
    CaptureTable,
    EstimationInputError,
    EstimationRefusedError,
    estimate,
    estimate_strata,
)


def test_result_holds_what_a_professional_needs(mse_dir: Path) -> None:
    path = mse_dir / "NewOrl.csv"
    result = estimate(path)
    assert result.model == ("D:E",)
    assert result.observed == 185
    assert result.dark_number == pytest.approx(result.estimate - 185)
    assert result.interval is not None and result.interval.kind == "profile likelihood"
    assert "Step 1: added D:E" in result.reason
    assert any("sparse table" in w for w in result.warnings)
    prov = result.provenance
    assert prov.input_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert prov.method == "stepwise"
    assert prov.parameters["threshold"] == 0.02
    assert prov.library_version == ketenzicht.__version__
    # JSON-serialisable, with the CLI's short keys
    summary = json.loads(json.dumps(result.summary()))
    assert set(summary) == {"estimate", "ci", "observed", "method", "model", "warnings"}
    full = json.loads(json.dumps(result.to_dict()))
    assert full["provenance"]["input_sha256"] == prov.input_sha256


def test_lists_never_seen_together_are_reported(load) -> None:
    result = estimate(load("Western"), method="aic")
    assert "A:B" in result.model
    assert set(result.details["minus_infinity"]) == {"A:B", "B:E"}
    assert any("never seen together" in w for w in result.warnings)
    assert "the chosen model fits A:B, B:E at minus infinity" in " ".join(result.warnings)


def test_minus_infinity_warning_describes_the_model_actually_chosen(load) -> None:
    # Stepwise on Western chooses {A:E}: the never-together pairs A:B and B:E are not in
    # the model, so nothing is dropped and the warnings must not say otherwise.
    result = estimate(load("Western"), method="stepwise")
    assert result.details["minus_infinity"] == []
    text = " ".join(result.warnings)
    assert "never seen together: A:B, B:E" in text
    assert "minus infinity" not in text and "dropped" in text
    assert "no interaction for A:B, B:E, so no cells are dropped" in text


def test_empty_list_is_left_out_with_a_warning() -> None:
    frame = pd.DataFrame(
        {
            "A": [1, 0, 1, 0],
            "B": [0, 1, 1, 0],
            "C": [0, 0, 0, 1],
            "Z": [0, 0, 0, 0],
            "count": [30, 25, 8, 12],
        }
    )
    result = estimate(frame)
    assert any("'Z' has no case and was left out" in w for w in result.warnings)
    assert result.estimate >= result.observed


def test_list_holding_everyone_is_refused() -> None:
    frame = pd.DataFrame({"A": [1, 1, 1], "B": [1, 0, 1], "C": [0, 1, 1], "count": [5, 4, 3]})
    with pytest.raises(EstimationRefusedError, match="'A' holds every observed case"):
        estimate(frame)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"method": "magic"}, "unknown method"),
        ({"ci": "wald"}, "unknown interval"),
        ({"level": 1.5}, "level must lie between 0 and 1"),
        ({"ci": "bootstrap", "n_boot": 1}, "at least 2 replicates"),
    ],
)
def test_bad_settings(load, settings: dict[str, object], message: str) -> None:
    with pytest.raises(EstimationInputError, match=message):
        estimate(load("Korea"), **settings)  # type: ignore[arg-type]


def test_strata_flag_sparse_ones(tmp_path: Path, load) -> None:
    western = load("Western").to_frame()
    korea = load("Korea").to_frame()
    korea.columns = ["A", "B", "C", "count"]
    korea["D"] = 0
    korea["E"] = 0
    tiny = pd.DataFrame(
        {"A": [1, 0], "B": [0, 1], "C": [0, 0], "D": [0, 0], "E": [0, 0], "count": [3, 2]}
    )
    parts = []
    for name, part in (("west", western), ("korea", korea), ("tiny", tiny)):
        part = part.copy()
        part["region"] = name
        parts.append(part)
    path = tmp_path / "strata.csv"
    pd.concat(parts).to_csv(path, index=False)
    result = estimate_strata(path, "region")
    by = {s.stratum: s for s in result.strata}
    assert by["west"].result is not None
    assert by["west"].result.estimate == pytest.approx(estimate(load("Western")).estimate)
    assert by["tiny"].result is None and "too sparse" in by["tiny"].flagged
    assert by["korea"].result is not None  # lists D and E are left out there, with a warning
    assert any("'D' has no case" in w for w in by["korea"].result.warnings)
    assert [s.stratum for s in result.flagged] == ["tiny"]
    summary = json.loads(json.dumps(result.summary()))
    flagged = {s["stratum"]: s.get("flagged", "") for s in summary["strata"]}
    assert flagged["tiny"].startswith("too sparse")
    assert flagged["west"] == ""


def test_strata_errors_name_the_stratum(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("A,B,g,count\n1,0,x,3\n0,1,x,4\n1,0,y,2\n1,0,x,5\n")
    with pytest.raises(EstimationInputError, match=r"row 4 \(line 5\), stratum 'x'"):
        estimate_strata(path, "g")
    with pytest.raises(EstimationInputError, match="no stratum column 'h'"):
        estimate_strata(path, "h")


def test_capture_table_input_is_used_as_is() -> None:
    table = CaptureTable(("A", "B"), np.array([0, 50, 40, 10], dtype=np.int64))
    result = estimate(table)
    # two lists, independence: Lincoln-Petersen 60 * 50 / 10 = 300
    assert result.estimate == pytest.approx(300)


def test_bayesian_methods_say_the_bootstrap_does_not_apply(load) -> None:
    result = estimate(load("Korea"), method="bma", ci="bootstrap")
    assert result.interval is not None
    assert result.interval.kind.startswith("posterior credible interval")
    assert any("does not apply to the Bayesian methods" in w for w in result.warnings)


def test_blas_threads_are_restored() -> None:
    from threadpoolctl import threadpool_info

    from ketenzicht.monitor.estimation.jobs import one_blas_thread

    def blas_threads() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    if not before:
        pytest.skip("no BLAS library loaded by NumPy here")
    with one_blas_thread():
        assert set(blas_threads()) == {1}
    assert blas_threads() == before
