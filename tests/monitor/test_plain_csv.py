"""The pandas-free CSV reader gives what pandas gave, and leaves every other file to it.

``estimate`` on a file reads a table of whole numbers without importing pandas (issue 25:
start-up). These tests hold its tables, and every refusal, equal to the pandas path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ketenzicht.monitor.estimation import data
from ketenzicht.monitor.estimation.data import EstimationInputError

MSE = Path(__file__).resolve().parents[1] / "data" / "mse"


def _both(path: Path) -> tuple[object, object]:
    """(plain reader, pandas reader) outcome for ``path``: the table or the error text."""
    outcomes: list[object] = []
    for plain in (True, False):
        try:
            frame, sha, where = data._load(path, plain=plain)
            table = data.capture_table(frame, sha256=sha, where=where)
            outcomes.append((table.lists, table.counts.tolist(), table.source_sha256))
        except EstimationInputError as exc:
            outcomes.append(str(exc))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("path", sorted(MSE.glob("*.csv")), ids=lambda p: p.name)
def test_every_test_table_reads_as_with_pandas(path: Path) -> None:
    plain, frame = _both(path)
    assert plain == frame


def test_the_shipped_tables_take_the_plain_path() -> None:
    # Otherwise the start-up gain would be lost without anyone noticing.
    raw = (MSE / "UKdat.csv").read_bytes()
    table = data.read_plain_csv(raw)
    assert table is not None
    assert table.columns[-1] == "count"
    assert np.array_equal(table["count"].numbers, np.asarray(table.cells["count"], float))


BAD = {
    "fraction": "A,B,count\n1,0,2.5\n0,1,3\n",
    "negative": "A,B,count\n1,0,-2\n0,1,3\n",
    "text": "A,B,count\n1,0,many\n0,1,3\n",
    "empty cell": "A,B,count\n1,0,\n0,1,3\n",
    "bit two": "A,B,count\n2,0,4\n0,1,3\n",
    "duplicate history": "A,B,count\n1,0,4\n1,0,3\n",
    "no-list history": "A,B,count\n0,0,4\n1,0,3\n",
    "repeated column": "A,A,count\n1,0,4\n0,1,3\n",
    "ragged row": "A,B,count\n1,0,4,9\n0,1,3\n",
    "short row": "A,B,count\n1,0\n0,1,3\n",
    "no data": "A,B,count\n",
    "empty file": "",
    "no count": "A,B,C\n1,0,4\n0,1,3\n",
    "one list": "A,count\n1,4\n",
    "all zero": "A,B,count\n1,0,0\n0,1,0\n",
    "quoted": 'A,"B",count\n1,0,4\n0,1,"3"\n',
    "spaces": "A, B, count\n1, 0, 4\n0, 1, 3\n",
    "blank line": "A,B,count\n1,0,4\n\n0,1,3\n",
    "crlf": "A,B,count\r\n1,0,4\r\n0,1,3\r\n",
    "bom": "\ufeffA,B,count\n1,0,4\n0,1,3\n",
    "blank header": "A,,count\n1,0,4\n0,1,3\n",
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_odd_and_bad_files_give_what_pandas_gave(text: str, tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8", newline="")
    plain, frame = _both(path)
    assert plain == frame


def test_estimate_on_a_file_imports_no_pandas() -> None:
    import subprocess
    import sys

    code = ("import sys; from ketenzicht.monitor.estimation import estimate; "
            f"estimate({str(MSE / 'UKdat.csv')!r}, method='aic'); "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
