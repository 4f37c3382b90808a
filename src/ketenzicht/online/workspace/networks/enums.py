"""Closed vocabularies of the persisted networks."""

from __future__ import annotations

from enum import StrEnum

from ketenzicht.core import labels
from ketenzicht.core.i18n import N_


class IdentifierKind(StrEnum):
    """A strong identifier shared by ads of one network."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    IMAGE = "image"  # a perceptual image hash



# Words for the codes above (core.labels).
labels.register("identifier_kind", {
    IdentifierKind.PHONE: N_("phone number"), IdentifierKind.EMAIL: N_("e-mail address"),
    IdentifierKind.HANDLE: N_("handle"), IdentifierKind.IMAGE: N_("image")})
