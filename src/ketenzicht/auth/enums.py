"""Organisation types, roles and access scopes of the chain."""

from __future__ import annotations

from enum import StrEnum


class OrgType(StrEnum):
    """The kinds of organisation in the Dutch chain against trafficking."""

    POLITIE = "politie"
    KMAR = "kmar"
    ARBEIDSINSPECTIE = "arbeidsinspectie"
    OM = "om"
    ZORG = "zorg"
    GEMEENTE = "gemeente"
    OPVANG = "opvang"
    COMENSHA = "comensha"
    RAPPORTEUR = "rapporteur"
    BEHEER = "beheer"


ORG_TYPE_LABELS: dict[OrgType, str] = {
    OrgType.POLITIE: "Politie",
    OrgType.KMAR: "Koninklijke Marechaussee",
    OrgType.ARBEIDSINSPECTIE: "Nederlandse Arbeidsinspectie",
    OrgType.OM: "Openbaar Ministerie",
    OrgType.ZORG: "Zorg",
    OrgType.GEMEENTE: "Gemeente (zorgcoördinator)",
    OrgType.OPVANG: "Opvang",
    OrgType.COMENSHA: "CoMensha",
    OrgType.RAPPORTEUR: "Nationaal Rapporteur",
    OrgType.BEHEER: "Beheer",
}


class Role(StrEnum):
    """Roles a user holds within their organisation."""

    MEDEWERKER = "medewerker"
    COORDINATOR = "coordinator"
    BEHEERDER = "beheerder"


ROLE_LABELS: dict[Role, str] = {
    Role.MEDEWERKER: "medewerker",
    Role.COORDINATOR: "coördinator",
    Role.BEHEERDER: "beheerder",
}


class Scope(StrEnum):
    """How far a grant reaches, from narrow to wide."""

    OWN = "own"
    ORGANISATION = "organisation"
    PARTICIPATING = "participating"
    NATIONAL = "national"


SCOPE_ORDER: dict[Scope, int] = {
    Scope.OWN: 0,
    Scope.ORGANISATION: 1,
    Scope.PARTICIPATING: 2,
    Scope.NATIONAL: 3,
}
