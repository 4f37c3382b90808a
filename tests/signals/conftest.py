"""Fixtures of the signals tests: the subscribers the app installs at start."""

from __future__ import annotations

import pytest

from ketenzicht.audit.subscriptions import SUBSCRIPTIONS as AUDIT_SUBSCRIPTIONS
from ketenzicht.core import events
from ketenzicht.notify.subscriptions import SUBSCRIPTIONS as NOTIFY_SUBSCRIPTIONS
from ketenzicht.signals.subscriptions import SUBSCRIPTIONS as SIGNALS_SUBSCRIPTIONS


@pytest.fixture(autouse=True, scope="session")
def _subscriptions() -> None:
    """Routing tells the receivers after commit (``signals.subscriptions``), as in the app."""
    events.install(AUDIT_SUBSCRIPTIONS, SIGNALS_SUBSCRIPTIONS, NOTIFY_SUBSCRIPTIONS)
