"""Who may do what with shelter places, requests and offers (added to auth.permissions.GRANTS).

- The registry (units, free places, criteria) holds no personal data; the
  organisations that refer, place or shelter people see it nationally. A secret
  address is shown only to the provider itself.
- Providers (opvang) update and manage only their own units.
- A placement request holds (pseudonymous) person data: its owner organisation
  (the care coordinator or CoMensha) sees it, and the receiving shelter only
  once it has accepted (it then becomes a participant).
- A shelter decides (accept, place) on offers for its own units; the owner or
  the shelter may decline.
- The receiving shelter ends a placement (uitstroom), which frees its place.
- The national overview is aggregate only.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import ALL_ROLES, grant, register

B, C, M = Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER
OPVANG, COMENSHA, GEMEENTE, ZORG = OrgType.OPVANG, OrgType.COMENSHA, OrgType.GEMEENTE, OrgType.ZORG
REFERRERS = (COMENSHA, GEMEENTE, ZORG)

GRANTS = (
    grant("shelter.unit.view", ALL_ROLES, Scope.NATIONAL, OPVANG, COMENSHA, GEMEENTE, ZORG,
          OrgType.POLITIE, OrgType.KMAR),
    grant("shelter.unit.manage", [B, C], Scope.ORGANISATION, OPVANG),
    grant("shelter.unit.manage", [B], Scope.NATIONAL, OrgType.BEHEER),
    grant("shelter.availability.update", ALL_ROLES, Scope.ORGANISATION, OPVANG),
    grant("shelter.overview.view", ALL_ROLES, Scope.NATIONAL, OPVANG, COMENSHA, GEMEENTE,
          OrgType.RAPPORTEUR),
    grant("shelter.request.view", [C, M], Scope.PARTICIPATING, *REFERRERS, OPVANG),
    grant("shelter.request.create", [C, M], Scope.ORGANISATION, *REFERRERS),
    grant("shelter.request.update", [C, M], Scope.ORGANISATION, *REFERRERS),
    grant("shelter.match", [C, M], Scope.ORGANISATION, *REFERRERS),
    grant("shelter.offer.create", [C, M], Scope.ORGANISATION, *REFERRERS),
    grant("shelter.offer.view", ALL_ROLES, Scope.ORGANISATION, OPVANG),
    grant("shelter.offer.decide", ALL_ROLES, Scope.ORGANISATION, OPVANG),
    grant("shelter.offer.decline", [C, M], Scope.PARTICIPATING, *REFERRERS),
    grant("shelter.offer.decline", ALL_ROLES, Scope.PARTICIPATING, OPVANG),
    # Uitstroom: the receiving shelter ends a placement at its unit (it takes part in the
    # request once it has accepted, so PARTICIPATING reaches exactly those requests).
    grant("shelter.placement.end", ALL_ROLES, Scope.PARTICIPATING, OPVANG),
)

register(GRANTS)
