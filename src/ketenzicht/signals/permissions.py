"""Need-to-know grants of the signals domain (added to ``auth.permissions.GRANTS``).

Any professional may report a signal, and sees their own. Organisations that handle signals
see those routed to them (``participating``) and answer them from their inbox; coordinators
see their organisation's signals. The registration export is for CoMensha (which keeps the
national registration) and the Nationaal Rapporteur (pseudonymised list input only).
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType, Role, Scope
from ketenzicht.auth.permissions import ALL_ROLES, grant, register

C, M = Role.COORDINATOR, Role.MEDEWERKER
HANDLERS = (OrgType.POLITIE, OrgType.KMAR, OrgType.ARBEIDSINSPECTIE, OrgType.OM,
            OrgType.GEMEENTE, OrgType.COMENSHA)

GRANTS = (
    # "De geringste aanwijzing": every professional may record a signal and keep a draft.
    grant("signal.create", ALL_ROLES, Scope.OWN),
    # Listing shows each professional only what signal.view lets them see: open to all.
    grant("signal.list", ALL_ROLES, Scope.OWN),
    grant("signal.view", ALL_ROLES, Scope.OWN),
    grant("signal.view", [C], Scope.ORGANISATION),
    grant("signal.view", [M, C], Scope.PARTICIPATING, *HANDLERS),
    grant("signal.inbox", [M, C], Scope.ORGANISATION, *HANDLERS),
    grant("signal.handle", [M, C], Scope.ORGANISATION, *HANDLERS),
    grant("signal.export", [M, C], Scope.NATIONAL, OrgType.COMENSHA),
    grant("signal.export_pseudonymised", [M, C], Scope.NATIONAL, OrgType.COMENSHA,
          OrgType.RAPPORTEUR),
)

register(GRANTS)
