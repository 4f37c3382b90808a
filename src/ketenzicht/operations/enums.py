"""Statuses and kinds of the operations domain."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core.i18n import N_


class OrderStatus(StrEnum):
    """Where an order (bevel) stands; each extension is a new immutable version."""

    DRAFT = "draft"
    ISSUED = "issued"
    EXTENDED = "extended"
    ENDED = "ended"
    EXPIRED = "expired"


#: Statuses under which the order can be in force (if the clock is inside its period).
LIVE = frozenset({OrderStatus.ISSUED, OrderStatus.EXTENDED})


class Direction(StrEnum):
    """Who sent a message: the counterpart (inbound) or the decoy side (outbound)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CaptureMethod(StrEnum):
    """How a message came into the platform."""

    MANUAL = "manual"
    IMPORT_JSON = "import_json"
    IMPORT_CSV = "import_csv"
    IMPORT_WARC = "import_warc"  # a chat captured by the crawler (online.collection's WARC)


class ImageProvenance(StrEnum):
    """Where a persona's image comes from: never a real person's photo."""

    SYNTHETIC = "synthetic"
    LICENSED = "licensed"


STATUS_LABELS: dict[OrderStatus, str] = {
    OrderStatus.DRAFT: N_("draft"),
    OrderStatus.ISSUED: N_("issued"),
    OrderStatus.EXTENDED: N_("extended"),
    OrderStatus.ENDED: N_("ended"),
    OrderStatus.EXPIRED: N_("expired"),
}

DIRECTION_LABELS: dict[Direction, str] = {
    Direction.INBOUND: N_("counterpart"),
    Direction.OUTBOUND: N_("decoy"),
}
