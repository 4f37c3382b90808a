"""Who may crawl ad sites and work with what was captured (added to auth.permissions.GRANTS).

Crawling public ad sites is an investigative act: only the police, the Koninklijke
Marechaussee and the labour inspectorate may start a crawl or import collected ads. The
workspace (networks, captures, search, watchlists, reports) is open to them and to the
Openbaar Ministerie, which directs investigations. Every crawl run, every view of a network
or capture and every triage decision is written to the audit log.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import grant, register

B, C, M = Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER
INVESTIGATORS = (OrgType.POLITIE, OrgType.KMAR, OrgType.ARBEIDSINSPECTIE)
WORKSPACE = (*INVESTIGATORS, OrgType.OM)

GRANTS = (
    grant("online.crawl", [C, M], Scope.NATIONAL, *INVESTIGATORS),
    grant("online.import", [C, M], Scope.NATIONAL, *INVESTIGATORS),
    grant("online.link", [C, M], Scope.NATIONAL, *INVESTIGATORS),
    grant("online.capture.view", [C, M], Scope.NATIONAL, *WORKSPACE),
    # Networks are built from public ads nationally; who may look is the restriction.
    grant("online.network.view", [C, M], Scope.NATIONAL, *WORKSPACE),
    grant("online.network.triage", [C, M], Scope.NATIONAL, *WORKSPACE),
    grant("online.network.export", [C, M], Scope.NATIONAL, *WORKSPACE),
    grant("online.network.handover", [C, M], Scope.NATIONAL, *WORKSPACE),
    grant("online.search", [C, M], Scope.NATIONAL, *WORKSPACE),
    # A watchlist is personal: each investigator sees and edits only their own.
    grant("online.watch", [C, M], Scope.OWN, *WORKSPACE),
    # Recruitment of young people (issue 21): read by the workspace's parties; the hand-over
    # makes a signal about minors, so it is theirs as well.
    grant("online.recruitment.view", [C, M], Scope.NATIONAL, *WORKSPACE),
    grant("online.recruitment.handover", [C, M], Scope.NATIONAL, *WORKSPACE),
)

register(GRANTS)
