"""Reading, validating and building capture-history tables."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ketenzicht.monitor.estimation import (
    EstimationInputError,
    capture_table,
    histories_from_records,
    read_capture_table,
    table_from_records,
)


def frame(rows: list[list[object]], columns: str = "A,B,C,count") -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split(","))


GOOD = [[1, 0, 0, 10], [0, 1, 0, 8], [1, 1, 0, 3], [0, 0, 1, 5], [1, 0, 1, 2]]


def test_counts_are_indexed_by_history_code() -> None:
    table = capture_table(frame(GOOD))
    assert table.lists == ("A", "B", "C")
    assert table.observed == 28
    # code = A + 2B + 4C
    assert table.counts.tolist() == [0, 10, 8, 3, 5, 2, 0, 0]
    assert table.list_totals().tolist() == [15, 11, 7]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[1, 0, 2, 4], [0, 1, 0, 3]], r"row 1: list column 'C' holds 2"),
        ([[1, 0, 0, 4], [0, 1, 0, -3]], r"row 2: count -3 is negative"),
        ([[1, 0, 0, 4.5], [0, 1, 0, 3]], r"row 1: count 4.5 is not a whole number"),
        ([[1, 0, 0, 4], [0, 0, 0, 3]], r"row 2: the history is on no list but has count 3"),
        ([[1, 0, 0, 4], [0, 1, 0, 3], [1, 0, 0, 1]], r"row 3: duplicate capture history .*row 1"),
        ([[1, 0, 0, None], [0, 1, 0, 3]], r"row 1: count \(empty\) is not a number"),
        ([[1, 0, 0, 0], [0, 1, 0, 0]], r"no observed case"),
        ([[1, 0, "x", 1], [0, 1, 0, 3]], r"row 1: list column 'C' holds 'x'"),
    ],
)
def test_bad_rows_are_named(rows: list[list[object]], message: str) -> None:
    with pytest.raises(EstimationInputError, match=message):
        capture_table(frame(rows))


def test_needs_two_lists_and_a_count() -> None:
    with pytest.raises(EstimationInputError, match="at least 2 lists"):
        capture_table(frame([[1, 3]], "A,count"))
    with pytest.raises(EstimationInputError, match="no 'count' column"):
        capture_table(frame([[1, 0, 3]], "A,B,n"))


def test_all_zero_row_without_count_is_harmless() -> None:
    table = capture_table(frame([*GOOD, [0, 0, 0, 0]]))
    assert table.observed == 28


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("A,B,count\n1,0,3\n0,1,-1\n")
    with pytest.raises(EstimationInputError, match=r"row 2 \(line 3\): count -1 is negative"):
        read_capture_table(path)
    with pytest.raises(EstimationInputError, match="cannot read"):
        read_capture_table(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(EstimationInputError, match="not a readable CSV"):
        read_capture_table(empty)


def test_sha256_of_a_file_is_that_of_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("A,B,count\n1,0,3\n0,1,4\n1,1,2\n")
    table = read_capture_table(path)
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_reorder_and_drop_keep_people() -> None:
    table = capture_table(frame(GOOD))
    back = table.reorder([2, 0, 1]).reorder([1, 2, 0])
    assert back.lists == table.lists
    assert np.array_equal(back.counts, table.counts)
    dropped = table.drop([2])
    # people only on C (5) are no longer observed
    assert dropped.observed == 23
    assert dropped.lists == ("A", "B")


def test_records_become_histories() -> None:
    records = [
        {"person": "p1", "list": "police"},
        {"person": "p1", "list": "ngo"},
        {"person": "p1", "list": "ngo"},  # the same person twice on one list counts once
        {"person": "p2", "list": "police"},
        {"person": "p3", "list": "shelter"},
        {"person": "p4", "list": "ngo"},
    ]
    table = table_from_records(records)
    assert table.lists == ("ngo", "police", "shelter")
    assert table.observed == 4
    frame_ = table.to_frame()
    row = frame_[(frame_.ngo == 1) & (frame_.police == 1)]
    assert row["count"].tolist() == [1]


def test_records_with_strata_and_errors() -> None:
    records = pd.DataFrame(
        {
            "person": ["a", "a", "b", "c"],
            "list": ["X", "Y", "X", "Y"],
            "sex": ["f", "f", "m", "f"],
        }
    )
    out = histories_from_records(records, stratum="sex")
    assert set(out.columns) == {"sex", "X", "Y", "count"}
    assert out["count"].sum() == 3
    records.loc[1, "sex"] = "m"
    with pytest.raises(EstimationInputError, match="person 'a' has several values of 'sex'"):
        histories_from_records(records, stratum="sex")
    with pytest.raises(EstimationInputError, match="record 2: 'list' is empty"):
        table_from_records([{"person": "a", "list": "X"}, {"person": "b", "list": None}])
    with pytest.raises(EstimationInputError, match="not in"):
        table_from_records([{"person": "a", "list": "X"}], lists=["Y", "Z"])
