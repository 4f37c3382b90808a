"""Need-to-know grants of the cases domain (added to ``auth.permissions.GRANTS``).

Only organisations that take part in a case see it (``participating``); the organisation
that opened it counts as taking part. Coordinators and case workers of the chain
partners may open cases. The national coordinating level (CoMensha) sees every case, so
that overdue tasks can escalate to it.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import grant, register

C, M = Role.COORDINATOR, Role.MEDEWERKER
PARTNERS = (OrgType.POLITIE, OrgType.KMAR, OrgType.ARBEIDSINSPECTIE, OrgType.OM,
            OrgType.ZORG, OrgType.GEMEENTE, OrgType.OPVANG, OrgType.COMENSHA)

GRANTS = (
    grant("case.list", [M, C], Scope.PARTICIPATING, *PARTNERS),
    grant("case.view", [M, C], Scope.PARTICIPATING, *PARTNERS),
    grant("case.view", [C], Scope.NATIONAL, OrgType.COMENSHA),
    grant("case.create", [M, C], Scope.ORGANISATION, *PARTNERS),
    # Working on a case: status, persons, participants, tasks and decisions.
    grant("case.update", [M, C], Scope.PARTICIPATING, *PARTNERS),
    # Break-the-glass: any chain professional may ask for short, reasoned, audited access
    # to any case; the coordinator is told at once (``cases.emergency``).
    grant("case.break_glass", [M, C], Scope.NATIONAL, *PARTNERS),
)

register(GRANTS)
