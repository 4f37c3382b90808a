"""Need-to-know grants of the evidence domain (added to ``auth.permissions.GRANTS``).

Only the police, the Koninklijke Marechaussee, the labour inspectorate and the Openbaar
Ministerie see evidence, and only of cases their organisation takes part in
(``participating``). Care, shelter and municipal partners of the same case do not: the
evidence of a criminal investigation is not theirs to see. A victim's statement is further
restricted to the people named on it (checked in the service, per item).
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import grant, register

C, M = Role.COORDINATOR, Role.MEDEWERKER
INVESTIGATION = (OrgType.POLITIE, OrgType.KMAR, OrgType.ARBEIDSINSPECTIE, OrgType.OM)

GRANTS = (
    grant("evidence.view", [M, C], Scope.PARTICIPATING, *INVESTIGATION),
    grant("evidence.add", [M, C], Scope.PARTICIPATING, *INVESTIGATION),
    grant("evidence.export", [M, C], Scope.PARTICIPATING, *INVESTIGATION),
    # Which sub-clauses of art. 273f are charged is the public prosecutor's decision.
    grant("evidence.charge", [M, C], Scope.PARTICIPATING, OrgType.OM),
)

register(GRANTS)
