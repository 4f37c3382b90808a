"""Kinds of evidence items and the strength of a link between an item and an element."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core.i18n import N_


class ItemKind(StrEnum):
    """What an evidence item is."""

    STATEMENT_VICTIM = "statement_victim"
    STATEMENT_WITNESS = "statement_witness"
    STATEMENT_SUSPECT = "statement_suspect"
    OBSERVATION = "observation"
    FINANCIAL = "financial"
    TELECOM = "telecom"
    ONLINE_CAPTURE = "online_capture"
    DOCUMENT = "document"
    INSPECTION = "inspection"
    WAGE_CHECK = "wage_check"


#: A victim's statement is seen only by the people named on it (besides the need-to-know
#: rule of the case); frightened victims must be able to trust that.
RESTRICTED_KINDS = frozenset({ItemKind.STATEMENT_VICTIM})
#: Made by the platform with what proves them (a capture's WARC record, the wage check's
#: computed facts); an upload may not claim these kinds.
PLATFORM_KINDS = frozenset({ItemKind.ONLINE_CAPTURE, ItemKind.WAGE_CHECK})


class Strength(StrEnum):
    """How strongly an item supports an element."""

    ZWAK = "zwak"
    REDELIJK = "redelijk"
    STERK = "sterk"


STRENGTH_ORDER = {Strength.ZWAK: 1, Strength.REDELIJK: 2, Strength.STERK: 3}


class Coverage(StrEnum):
    """Where one element of the matrix stands."""

    OPEN = "open"
    ZWAK = "zwak"
    GEDEKT = "gedekt"
    NIET_VEREIST = "niet_vereist"


#: Names shown for item kinds (English msgids, Dutch through the catalogue).
KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.STATEMENT_VICTIM: N_("Statement of a victim"),
    ItemKind.STATEMENT_WITNESS: N_("Statement of a witness"),
    ItemKind.STATEMENT_SUSPECT: N_("Statement of a suspect"),
    ItemKind.OBSERVATION: N_("Observation"),
    ItemKind.FINANCIAL: N_("Financial records"),
    ItemKind.TELECOM: N_("Telecom data"),
    ItemKind.ONLINE_CAPTURE: N_("Online capture"),
    ItemKind.DOCUMENT: N_("Document"),
    ItemKind.INSPECTION: N_("Inspection report"),
    ItemKind.WAGE_CHECK: N_("Wage check"),
}
