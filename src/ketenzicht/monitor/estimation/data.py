"""Capture-history tables: reading, validating and building them from linked records.

A capture-history table has one 0/1 column per list (source) and a ``count`` column.
Internally a table is a vector of counts indexed by the binary code of the history:
bit ``j`` is set when the person is on list ``j``; code 0 (on no list) is never observed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CaptureTable",
    "EstimationInputError",
    "EstimationRefusedError",
    "capture_table",
    "histories_from_records",
    "read_capture_table",
    "table_from_records",
]

COUNT = "count"


class EstimationInputError(ValueError):
    """The input table cannot be used for estimation; the message names the row or column."""


class EstimationRefusedError(ValueError):
    """The data are valid but no model the method may use has a finite, identifiable estimate."""


@dataclass(frozen=True, eq=False)
class CaptureTable:
    """Counts of people per capture history, for lists named ``lists``.

    ``counts[code]`` is the number of people whose history has binary code ``code``
    (bit ``j`` = on list ``j``); ``counts[0]`` is always 0.
    """

    lists: tuple[str, ...]
    counts: NDArray[np.int64]
    source_sha256: str | None = None

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of people on at least one list."""
        return int(self.counts.sum())

    @property
    def sha256(self) -> str:
        """SHA-256 of the input bytes (file) or of the canonical CSV text of the table."""
        if self.source_sha256 is not None:
            return self.source_sha256
        return hashlib.sha256(self.to_csv().encode()).hexdigest()

    def list_totals(self) -> NDArray[np.int64]:
        """Number of people on each list."""
        bits = history_bits(self.n_lists)
        return np.asarray(bits.T @ self.counts, dtype=np.int64)

    def reorder(self, order: Sequence[int]) -> CaptureTable:
        """The table with its lists in the given order (positions into ``lists``)."""
        bits = history_bits(self.n_lists)[:, list(order)]
        codes = bits @ (1 << np.arange(len(order)))
        counts = np.zeros(1 << len(order), dtype=np.int64)
        np.add.at(counts, codes, self.counts)
        return CaptureTable(tuple(self.lists[i] for i in order), counts, self.source_sha256)

    def drop(self, drop: Sequence[int]) -> CaptureTable:
        """The table without the given lists; people left on no list are no longer observed."""
        keep = [i for i in range(self.n_lists) if i not in set(drop)]
        bits = history_bits(self.n_lists)[:, keep]
        codes = bits @ (1 << np.arange(len(keep)))
        counts = np.zeros(1 << len(keep), dtype=np.int64)
        np.add.at(counts, codes, self.counts)
        counts[0] = 0
        return CaptureTable(tuple(self.lists[i] for i in keep), counts, self.source_sha256)

    def to_frame(self, *, include_zero: bool = False) -> pd.DataFrame:
        """One row per history (by code), list columns then ``count``."""
        codes = np.arange(1, 1 << self.n_lists)
        if not include_zero:
            codes = codes[self.counts[codes] > 0]
        bits = history_bits(self.n_lists)[codes]
        import pandas as pd  # see load_frame

        frame = pd.DataFrame(bits, columns=list(self.lists))
        frame[COUNT] = self.counts[codes]
        return frame

    def to_csv(self) -> str:
        """Canonical CSV text: histories ordered by code, ``\\n`` line ends."""
        return str(self.to_frame().to_csv(index=False, lineterminator="\n"))


def history_bits(n_lists: int) -> NDArray[np.int64]:
    """Matrix of 0/1 list memberships, one row per code ``0 .. 2**n_lists - 1``."""
    codes = np.arange(1 << n_lists)
    return (codes[:, None] >> np.arange(n_lists)) & 1


def read_capture_table(
    source: pd.DataFrame | str | Path,
    *,
    count: str = COUNT,
    lists: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> CaptureTable:
    """Read and validate a capture-history table from a DataFrame or a CSV file."""
    frame, sha, where = _load(source)
    return capture_table(frame, count=count, lists=lists, exclude=exclude, sha256=sha, where=where)


def load_frame(source: pd.DataFrame | str | Path) -> tuple[pd.DataFrame, str | None, Where]:
    """Load a CSV (with the SHA-256 of its bytes) or pass a DataFrame through."""
    frame, sha, where = _load(source, plain=False)
    assert not isinstance(frame, PlainTable)  # plain=False never makes one
    return frame, sha, where


def _load(source: pd.DataFrame | str | Path, *, plain: bool = True
          ) -> tuple[pd.DataFrame | PlainTable, str | None, Where]:
    """As ``load_frame``, and with ``plain`` a :class:`PlainTable` where the file allows.

    A plain table of whole numbers (what a capture table is) is read without pandas:
    importing pandas costs about a second of the `estimate` command's start-up (issue 25).
    Anything else goes to pandas, so that every other file reads, and fails, as before.
    """
    if not isinstance(source, str | Path):
        return source, None, _frame_row
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EstimationInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    table = read_plain_csv(raw) if plain else None
    if table is not None:
        _refuse_duplicate_columns(path, raw)
        return table, hashlib.sha256(raw).hexdigest(), _csv_row
    import pandas as pd  # only for a file the plain reader leaves

    try:
        frame = pd.read_csv(io.BytesIO(raw), skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise EstimationInputError(f"{path} is not a readable CSV table: {exc}") from exc
    _refuse_duplicate_columns(path, raw)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, hashlib.sha256(raw).hexdigest(), _csv_row


# A cell the plain reader takes: a whole number of at most 15 digits (exact as a float),
# after the leading spaces pandas' ``skipinitialspace`` skips too.
_WHOLE = re.compile(r" *[0-9]{1,15}")


@dataclass(frozen=True)
class PlainColumn:
    """One column of a :class:`PlainTable`: its numbers, and ``iloc`` for the message."""

    numbers: NDArray[np.float64]
    iloc: list[int]


@dataclass(frozen=True)
class PlainTable:
    """A CSV table of whole numbers read without pandas: ``columns`` and ``table[name]``."""

    columns: list[str]
    cells: dict[str, list[int]]

    def __getitem__(self, name: str) -> PlainColumn:
        values = self.cells[name]
        return PlainColumn(np.asarray(values, dtype=float), values)


def read_plain_csv(raw: bytes) -> PlainTable | None:
    """``raw`` as a table of whole numbers, or None for anything pandas must judge.

    None for a byte-order mark, quotes, a blank line, a row of another width, an empty or
    blank header name, no data row, or any cell that is not a plain whole number: pandas
    then reads the file (and words its errors) exactly as before.
    """
    if raw.startswith(b"\xef\xbb\xbf") or b'"' in raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if len(lines) < 2 or any("\r" in line for line in lines):
        return None
    header = [name.strip() for name in lines[0].split(",")]
    if any(not name for name in header):
        return None
    columns: list[list[int]] = [[] for _ in header]
    for line in lines[1:]:
        cells = line.split(",")
        if len(cells) != len(header):
            return None
        for column, cell in zip(columns, cells, strict=True):
            if not _WHOLE.fullmatch(cell):
                return None
            column.append(int(cell))
    return PlainTable(header, dict(zip(header, columns, strict=True)))


def _refuse_duplicate_columns(path: Path, raw: bytes) -> None:
    # pandas renames a repeated column ("A", "A.1") and would treat one list as two,
    # inflating the estimate; the header must name each list once.
    first = raw.decode("utf-8-sig", errors="replace").splitlines()[:1]
    names = [c.strip() for c in next(csv.reader(first), [])]
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        raise EstimationInputError(
            f"{path}: column {', '.join(repr(c) for c in repeated)} appears more than once "
            "in the header; each list must be one column")


Where = Callable[[int], str]


def _frame_row(i: int) -> str:
    return f"row {i + 1}"


def _csv_row(i: int) -> str:
    # Data row i sits on line i + 2 of the file, below the header.
    return f"row {i + 1} (line {i + 2})"


def capture_table(
    frame: pd.DataFrame | PlainTable,
    *,
    count: str = COUNT,
    lists: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    sha256: str | None = None,
    where: Where = _frame_row,
) -> CaptureTable:
    """Validate a frame of capture histories and turn it into a :class:`CaptureTable`.

    Raises
    ------
    EstimationInputError
        On a missing ``count`` column, fewer than two lists, a value other than 0/1,
        a negative, fractional or missing count, an all-zero history with a count,
        a duplicated history, or no observed case at all.
    """
    if count not in frame.columns:
        raise EstimationInputError(f"the table has no {count!r} column")
    names = [str(c) for c in (lists if lists is not None else frame.columns)]
    names = [c for c in names if c != count and c not in set(exclude)]
    missing = [c for c in names if c not in frame.columns]
    if missing:
        raise EstimationInputError(f"the table has no column {missing[0]!r}")
    if len(names) < 2:
        raise EstimationInputError(
            f"need at least 2 lists, found {len(names)}: {names}; one list cannot show overlap"
        )
    if len(set(names)) != len(names):
        raise EstimationInputError("two list columns have the same name")
    bits = np.column_stack([_zero_one(frame[c], c, where) for c in names])
    counts = _counts(frame[count], count, where)
    codes = bits @ (1 << np.arange(len(names)))
    _check_rows(codes, counts, bits, names, where)
    full = np.zeros(1 << len(names), dtype=np.int64)
    np.add.at(full, codes, counts)
    full[0] = 0
    if full.sum() == 0:
        raise EstimationInputError("the table has no observed case (all counts are 0)")
    if sha256 is None and not isinstance(frame, PlainTable):  # a plain table has its file's
        shown = frame[[*names, count]].to_csv(index=False, lineterminator="\n")
        sha256 = hashlib.sha256(shown.encode()).hexdigest()
    return CaptureTable(tuple(names), full, sha256)


def _numbers(column: pd.Series[Any] | PlainColumn) -> NDArray[np.float64]:
    if isinstance(column, PlainColumn):
        return column.numbers
    import pandas as pd  # a frame's column: pandas is loaded already

    found: NDArray[np.float64] = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    return found


def _zero_one(column: pd.Series[Any] | PlainColumn, name: str, where: Where
              ) -> NDArray[np.int64]:
    values = _numbers(column)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise EstimationInputError(
            f"{where(i)}: list column {name!r} holds {_show(column.iloc[i])}; "
            "a capture history is 0 (not on the list) or 1 (on the list)"
        )
    return np.asarray(values, dtype=np.int64)


def _counts(column: pd.Series[Any] | PlainColumn, name: str, where: Where
            ) -> NDArray[np.int64]:
    values = _numbers(column)
    for i, v in enumerate(values):
        shown = _show(column.iloc[i])
        if np.isnan(v):
            raise EstimationInputError(f"{where(i)}: {name} {shown} is not a number")
        if v < 0:
            raise EstimationInputError(f"{where(i)}: {name} {shown} is negative")
        if v != np.floor(v):
            raise EstimationInputError(f"{where(i)}: {name} {shown} is not a whole number")
    return np.asarray(values, dtype=np.int64)


def _show(value: Any) -> str:
    """A cell value as the user typed it (no NumPy wrappers)."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(empty)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_rows(
    codes: NDArray[np.int64],
    counts: NDArray[np.int64],
    bits: NDArray[np.int64],
    names: Sequence[str],
    where: Where,
) -> None:
    seen: dict[int, int] = {}
    for i, code in enumerate(codes.tolist()):
        if code == 0 and counts[i] > 0:
            raise EstimationInputError(
                f"{where(i)}: the history is on no list but has count {counts[i]}; "
                "people on no list are the unknown to be estimated, they cannot be counted"
            )
        if code in seen:
            history = ", ".join(f"{n}={b}" for n, b in zip(names, bits[i], strict=True))
            raise EstimationInputError(
                f"{where(i)}: duplicate capture history ({history}), already in "
                f"{where(seen[code])}; merge the two rows into one"
            )
        seen[code] = i


def histories_from_records(
    records: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    person: str = "person",
    source: str = "list",
    lists: Sequence[str] | None = None,
    stratum: str | None = None,
) -> pd.DataFrame:
    """Turn linked person records (one per person and list) into a capture-history frame.

    A person recorded twice on the same list counts once. With ``stratum``, every person
    must carry one value of that column; the frame then has one row per stratum and history.
    """
    import pandas as pd  # see load_frame

    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    needed = [person, source] + ([stratum] if stratum else [])
    for column in needed:
        if column not in frame.columns:
            raise EstimationInputError(f"the records have no {column!r} field")
    if frame.empty:
        raise EstimationInputError("there are no records")
    for column in needed:
        blank = frame[column].isna().to_numpy()
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            raise EstimationInputError(f"record {i + 1}: {column!r} is empty")
    names = sorted({str(v) for v in frame[source]}) if lists is None else [str(v) for v in lists]
    unknown = sorted({str(v) for v in frame[source]} - set(names))
    if unknown:
        raise EstimationInputError(f"records name lists not in {names}: {unknown}")
    keys = frame[person].astype(str)
    members = pd.crosstab(keys, frame[source].astype(str)).reindex(columns=names, fill_value=0)
    histories = (members > 0).astype(int)
    by = list(names)
    if stratum:
        strata = frame.groupby(keys)[stratum].agg(lambda s: sorted({str(v) for v in s}))
        split = strata[strata.map(len) > 1]
        if not split.empty:
            raise EstimationInputError(
                f"person {split.index[0]!r} has several values of {stratum!r}: {split.iloc[0]}"
            )
        histories[stratum] = strata.map(lambda v: v[0]).reindex(histories.index)
        by = [stratum, *names]
    table = histories.groupby(by).size().reset_index(name=COUNT)
    return table


def table_from_records(
    records: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    person: str = "person",
    source: str = "list",
    lists: Sequence[str] | None = None,
) -> CaptureTable:
    """Build a :class:`CaptureTable` from linked person records."""
    frame = histories_from_records(records, person=person, source=source, lists=lists)
    names = [c for c in frame.columns if c != COUNT]
    return capture_table(frame, lists=names)
