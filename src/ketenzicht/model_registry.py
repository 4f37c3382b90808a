"""Imports every domain's models so that ``Base.metadata`` is complete (Alembic, tests).

Which modules hold models is declared in each domain's manifest (``ketenzicht.domains``).
"""

from __future__ import annotations

from ketenzicht import domains
from ketenzicht.db.base import Base

MODEL_MODULES = domains.import_models()

__all__ = ["MODEL_MODULES", "Base"]
