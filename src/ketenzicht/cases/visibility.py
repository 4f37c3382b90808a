"""Field-level need-to-know: which organisation types see which category of case content.

Taking part in a case shows its general content. Care and medical details are for care
parties only; investigative intelligence is for the investigating and prosecuting
services only. Break-the-glass (``cases.emergency``) lifts this for one person, for a
short time, with a reason, and tells the coordinator.
"""

from __future__ import annotations

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases.enums import FieldCategory, LinkKind

_O = OrgType
CARE_PARTIES = frozenset({_O.ZORG, _O.GEMEENTE, _O.OPVANG, _O.COMENSHA})
INVESTIGATING = frozenset({_O.POLITIE, _O.KMAR, _O.ARBEIDSINSPECTIE, _O.OM})

# The matrix as data: a test walks it for every organisation type.
VISIBLE_TO: dict[FieldCategory, frozenset[OrgType]] = {
    FieldCategory.GENERAL: CARE_PARTIES | INVESTIGATING,
    FieldCategory.CARE: CARE_PARTIES,
    FieldCategory.INVESTIGATION: INVESTIGATING,
}

# Links to other domains carry the category of what they point to.
LINK_CATEGORY: dict[LinkKind, FieldCategory] = {
    LinkKind.ONLINE_NETWORK: FieldCategory.INVESTIGATION,
}

ALL = frozenset(FieldCategory)


def categories_for(org_type: OrgType | str, *, emergency: bool = False) -> frozenset[FieldCategory]:
    """The categories an organisation type sees (all of them under break-the-glass)."""
    if emergency:
        return ALL
    return frozenset(c for c, types in VISIBLE_TO.items() if org_type in types)
