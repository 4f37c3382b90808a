"""Who may crawl ad sites and read what was captured (added to auth.permissions.GRANTS).

Crawling public ad sites is an investigative act: only the police, the Koninklijke
Marechaussee and the labour inspectorate may start a crawl, import collected ads or
replay a capture. Every crawl run is written to the audit log.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import grant, register

B, C, M = Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER
INVESTIGATORS = (OrgType.POLITIE, OrgType.KMAR, OrgType.ARBEIDSINSPECTIE)

GRANTS = (
    grant("online.crawl", [C, M], Scope.NATIONAL, *INVESTIGATORS),
    grant("online.import", [C, M], Scope.NATIONAL, *INVESTIGATORS),
    grant("online.capture.view", [C, M], Scope.NATIONAL, *INVESTIGATORS),
)

register(GRANTS)
