"""Imports every domain's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from __future__ import annotations

from ketenzicht.audit import models as audit_models
from ketenzicht.auth import models as auth_models
from ketenzicht.cases import models as cases_models
from ketenzicht.db.base import Base
from ketenzicht.evidence import models as evidence_models
from ketenzicht.monitor import models as monitor_models
from ketenzicht.notify import models as notify_models
from ketenzicht.online.collection import models as online_crawl_models
from ketenzicht.online.workspace import models as online_workspace_models
from ketenzicht.online.workspace.networks import models as online_network_models
from ketenzicht.operations import models as operations_models
from ketenzicht.shelter import models as shelter_models
from ketenzicht.signals import models as signals_models

__all__ = [
    "Base",
    "audit_models",
    "auth_models",
    "cases_models",
    "evidence_models",
    "monitor_models",
    "notify_models",
    "online_crawl_models",
    "online_network_models",
    "online_workspace_models",
    "operations_models",
    "shelter_models",
    "signals_models",
]
