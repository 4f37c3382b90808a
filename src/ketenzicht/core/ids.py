"""Record identifiers: positive and within a 32-bit INTEGER on every database."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# Larger numbers cannot name a record, and SQLite/PostgreSQL drivers refuse
# them with an error instead of "not found"; so refuse them at the edge.
MAX_ID = 2**31 - 1

RecordId = Annotated[int, Field(gt=0, le=MAX_ID)]
