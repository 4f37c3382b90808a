"""Closed vocabularies of the persisted networks."""

from __future__ import annotations

from enum import StrEnum


class IdentifierKind(StrEnum):
    """A strong identifier shared by ads of one network."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    IMAGE = "image"  # a perceptual image hash

