"""Field-level need-to-know: which organisation types see which category of case content.

Every field of a case that can hold personal detail carries a :class:`FieldCategory`:
the summary, each person's details, conference minutes, decisions, referral purposes,
task notes, status reasons in the timeline and notes. This module is the one decision
about them; ``cases.access`` applies it once per request and every read model asks it.

- Taking part in a case shows its general content.
- Care and medical details are for the care parties (zorg, the gemeente's
  zorgcoördinatie, CoMensha); investigative intelligence for the investigating and
  prosecuting services; identity details for both; shelter details (where a person
  stays) for the shelter, the gemeente and CoMensha.
- A shelter sees only general and shelter content by its type: identity or care
  details reach it through a referral that names those data categories
  (:data:`REFERRAL_GRANTS`), and exactly those.
- Minutes are read in full by the organisations present at the conference; others
  read only a summary the chair approved for them, in its own category.
- Break-the-glass (``cases.emergency``) lifts all of this for one person, for a short
  time, with a reason, and tells the coordinator.
"""

from __future__ import annotations

from collections.abc import Iterable

from ketenzicht.auth.enums import OrgType
from ketenzicht.cases.enums import DataCategory, FieldCategory, LinkKind

_O = OrgType
_F = FieldCategory
CARE_PARTIES = frozenset({_O.ZORG, _O.GEMEENTE, _O.COMENSHA})
INVESTIGATING = frozenset({_O.POLITIE, _O.KMAR, _O.ARBEIDSINSPECTIE, _O.OM})
SHELTERING = frozenset({_O.OPVANG, _O.GEMEENTE, _O.COMENSHA})
PARTNERS = CARE_PARTIES | INVESTIGATING | SHELTERING

# The matrix as data: a test walks it for every organisation type.
VISIBLE_TO: dict[FieldCategory, frozenset[OrgType]] = {
    _F.GENERAL: PARTNERS,
    _F.CARE: CARE_PARTIES,
    _F.INVESTIGATION: INVESTIGATING,
    _F.IDENTITY: CARE_PARTIES | INVESTIGATING,
    _F.SHELTER: SHELTERING,
}

# What a referral's data categories (AVG art. 30) open to the receiving organisation once
# it accepted. Contact and residence details say who and where someone is: identity.
# Work details (employer, sector) are what every partner already reads as general.
REFERRAL_GRANTS: dict[DataCategory, FieldCategory] = {
    DataCategory.IDENTITY: _F.IDENTITY, DataCategory.CONTACT: _F.IDENTITY,
    DataCategory.RESIDENCE: _F.IDENTITY, DataCategory.CARE: _F.CARE,
    DataCategory.INVESTIGATION: _F.INVESTIGATION, DataCategory.SHELTER: _F.SHELTER,
    DataCategory.WORK: _F.GENERAL,
}

# What an author's form proposes: the kind of information their organisation holds.
# A care organisation (a hospital, GGZ, a GP) writes care or medical details; a shelter,
# where someone stays. The coordinating gemeente and CoMensha, and the investigating
# services, write for the whole chain unless they choose otherwise.
DEFAULT_FOR: dict[OrgType, FieldCategory] = {_O.ZORG: _F.CARE, _O.OPVANG: _F.SHELTER}

# Links to other domains carry the category of what they point to.
LINK_CATEGORY: dict[LinkKind, FieldCategory] = {
    LinkKind.ONLINE_NETWORK: _F.INVESTIGATION,
}

ALL = frozenset(FieldCategory)


def granted_by(data_categories: Iterable[str]) -> frozenset[FieldCategory]:
    """The field categories a referral's data categories open (unknown codes open nothing)."""
    return frozenset(REFERRAL_GRANTS[DataCategory(c)] for c in data_categories
                     if c in DataCategory.__members__.values())


def categories_for(org_type: OrgType | str, *, emergency: bool = False,
                   granted: Iterable[FieldCategory] = ()) -> frozenset[FieldCategory]:
    """The categories an organisation type sees: its own, plus what accepted referrals to
    it granted (``granted``); all of them under break-the-glass."""
    if emergency:
        return ALL
    own = frozenset(c for c, types in VISIBLE_TO.items() if org_type in types)
    extra = frozenset(granted)
    if not own and not extra:
        return frozenset()
    return own | extra | {_F.GENERAL}


def default_for(org_type: OrgType | str, writable: Iterable[FieldCategory]) -> FieldCategory:
    """The category a form proposes to this organisation type, if it may write it."""
    proposed = DEFAULT_FOR.get(OrgType(org_type), _F.GENERAL) if org_type in set(OrgType) \
        else _F.GENERAL
    return proposed if proposed in set(writable) else _F.GENERAL


def sees_minutes(categories: frozenset[FieldCategory], *, org_id: int,
                 present_org_ids: Iterable[int], category: FieldCategory,
                 emergency: bool = False) -> bool:
    """Whether an organisation reads a conference's full minutes: it was present (or reads
    under break-the-glass) and sees the minutes' category."""
    return category in categories and (emergency or org_id in set(present_org_ids))
