"""A scan of every column of every table for planted raw values (issue 22's "Must show")."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, cast, inspect, select
from sqlalchemy.orm import Session

from ketenzicht.db.base import Base


def planted_in_tables(db: Session, needles: Iterable[str]) -> tuple[list[str], int]:
    """The ``table.column`` names holding any needle (case-insensitive), and how many values
    were read: every mapped table that exists, every column, cast to text."""
    wanted = [n.lower() for n in needles]
    # On the session's own connection: on SQLite a second one would wait for this one's lock.
    present = set(inspect(db.connection()).get_table_names())
    found: list[str] = []
    scanned = 0
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        for column in table.columns:
            for value in db.scalars(select(cast(column, String)).where(column.is_not(None))):
                scanned += 1
                if any(n in str(value).lower() for n in wanted):
                    found.append(f"{table.name}.{column.name}")
    return found, scanned
