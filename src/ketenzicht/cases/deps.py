"""The case a route works on, loaded with its access decision (``CurrentCase``).

A route that shows one case depends on :data:`CurrentCase` instead of deciding access
itself: the case, what the actor may see and do on it, and the read's audit entry come
from one call to :func:`ketenzicht.cases.access.read_case`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access
from ketenzicht.cases.access import CaseAccess
from ketenzicht.web.deps import PathId, SessionDep, require


def current_case(session: SessionDep, case_id: PathId,
                 actor: Annotated[Actor, Depends(require("case.view"))]) -> CaseAccess:
    """The case of the path and the actor's access to it; refused alike when missing."""
    return access.read_case(session, actor=actor, case_id=case_id)


CurrentCase = Annotated[CaseAccess, Depends(current_case)]
