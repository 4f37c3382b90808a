"""Grants of notifications: everyone reads and marks only their own."""

from __future__ import annotations

from ketenzicht.auth.enums import Role, Scope
from ketenzicht.auth.permissions import grant, register

GRANTS = (
    grant("notification.view", list(Role), Scope.OWN),
    grant("notification.update", list(Role), Scope.OWN),
)

register(GRANTS)
