"""Need-to-know grants of the operations domain (added to ``auth.permissions.GRANTS``).

The most sensitive data in the platform. The table admits only the roles that can take
part: a police or KMar team leader (coordinator) drafts; police and KMar officers operate;
an Openbaar Ministerie prosecutor issues, extends and ends. On top of the table, the
service lets through only the people named on the operation itself (the drafting team
leader, the issuing prosecutor and the operators named in the order in force); for anyone
else the operation does not exist, with the same refusal as a missing record.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import grant, register

C, M = Role.COORDINATOR, Role.MEDEWERKER
TEAM = (OrgType.POLITIE, OrgType.KMAR)

GRANTS = (
    grant("operations.view", [M, C], Scope.PARTICIPATING, *TEAM, OrgType.OM),
    grant("operations.draft", [C], Scope.ORGANISATION, *TEAM),
    grant("operations.operate", [M, C], Scope.ORGANISATION, *TEAM),
    grant("operations.issue", [M, C], Scope.PARTICIPATING, OrgType.OM),
)

register(GRANTS)
