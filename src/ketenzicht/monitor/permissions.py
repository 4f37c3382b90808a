"""Grants of the monitor (added to ``auth.permissions.GRANTS``).

The dashboard shows aggregates only, with small cells suppressed: the Nationaal
Rapporteur and CoMensha see it, and so does every coordinator of the chain, who steers on
these figures. Importing official figures and refreshing the estimates is for the
Rapporteur and CoMensha; the refresh reads the pseudonymised registration export, which
only they may read.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import grant, register

C, M = Role.COORDINATOR, Role.MEDEWERKER
ANALYSTS = (OrgType.RAPPORTEUR, OrgType.COMENSHA)

GRANTS = (
    grant("monitor.view", [M, C], Scope.NATIONAL, *ANALYSTS),
    grant("monitor.view", [C], Scope.NATIONAL),
    grant("monitor.import", [M, C], Scope.NATIONAL, *ANALYSTS),
    grant("monitor.refresh", [M, C], Scope.NATIONAL, *ANALYSTS),
)

register(GRANTS)
