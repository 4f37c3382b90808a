"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp.

    PostgreSQL stores ``timestamptz``; SQLite has no timezone, so values are
    normalised to UTC on the way in and marked UTC on the way out. Naive values
    are refused because their meaning is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use ketenzicht.core.clock.now()")
        utc: datetime = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return utc.replace(tzinfo=None)
        return utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(cls: type[enum.Enum], name: str, length: int = 32) -> Enum:
    """A ``StrEnum`` column stored as its values, with a CHECK constraint.

    Plain strings rather than native enum types, so the same schema and migrations
    work on SQLite and PostgreSQL and adding a value is a small migration.
    """
    return Enum(cls, name=name, native_enum=False, length=length, create_constraint=True,
                values_callable=lambda members: [m.value for m in members])


class utc_year(FunctionElement[int]):
    """The UTC calendar year of a :class:`UTCDateTime` column, computed in SQL (for GROUP BY).

    PostgreSQL's ``EXTRACT`` reads a ``timestamptz`` in the session's time zone, which
    need not be UTC; SQLite holds the UTC wall time as text.
    """

    type = Integer()
    inherit_cache = True
    name = "utc_year"


@compiles(utc_year)
def _utc_year_default(element: utc_year, compiler: SQLCompiler, **kw: Any) -> str:
    return f"EXTRACT(YEAR FROM {compiler.process(element.clauses, **kw)})"


@compiles(utc_year, "postgresql")
def _utc_year_pg(element: utc_year, compiler: SQLCompiler, **kw: Any) -> str:
    return (f"CAST(EXTRACT(YEAR FROM ({compiler.process(element.clauses, **kw)}) "
            "AT TIME ZONE 'UTC') AS INTEGER)")


@compiles(utc_year, "sqlite")
def _utc_year_sqlite(element: utc_year, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(STRFTIME('%Y', {compiler.process(element.clauses, **kw)}) AS INTEGER)"
