"""Clock, state machines, translations and settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

import pytest

from ketenzicht.config import DEFAULT_SECRET, InsecureSettingsError, Settings
from ketenzicht.core import clock, i18n
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.statemachine import StateMachine


def test_clock_is_utc_and_freezable() -> None:
    assert clock.now().tzinfo is not None
    at = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=1)))
    with clock.frozen(at) as frozen:
        assert clock.now() == at
        assert clock.now().utcoffset() == timedelta(0)
        frozen.advance(timedelta(minutes=5))
        assert clock.now() == at + timedelta(minutes=5)
    assert clock.now() != at


def test_ensure_utc_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        clock.ensure_utc(datetime(2026, 1, 1))
    assert clock.ensure_utc(datetime(2026, 1, 1, tzinfo=UTC)).tzinfo == UTC


class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    AMBER = "amber"


MACHINE = StateMachine.from_pairs(
    "light", [(Light.RED, Light.GREEN), (Light.GREEN, Light.AMBER), (Light.AMBER, Light.RED)]
)


@pytest.mark.parametrize(("source", "target", "ok"), [
    (Light.RED, Light.GREEN, True),
    (Light.GREEN, Light.AMBER, True),
    (Light.RED, Light.AMBER, False),
    (Light.AMBER, Light.GREEN, False),
])
def test_state_machine_table(source: Light, target: Light, ok: bool) -> None:
    if ok:
        MACHINE.check(source, target)
    else:
        with pytest.raises(ValidationFailed, match="allowed: "):
            MACHINE.check(source, target)


@pytest.mark.parametrize(("header", "cookie", "expected"), [
    (None, None, "nl"),
    ("en-GB,en;q=0.9", None, "en"),
    ("de-DE,de;q=0.9", None, "nl"),
    ("en-GB", "nl", "nl"),
    ("nl-NL", "en", "en"),
    ("", "xx", "nl"),
])
def test_pick_locale(header: str | None, cookie: str | None, expected: str) -> None:
    assert i18n.pick_locale(header, cookie, "nl") == expected


def test_dutch_translation_is_used() -> None:
    i18n.set_locale("nl")
    assert i18n.gettext("Log in") == "Inloggen"
    i18n.set_locale("en")
    assert i18n.gettext("Log in") == "Log in"


def test_production_refuses_default_or_short_secret() -> None:
    with pytest.raises(InsecureSettingsError):
        Settings(env="production").check_secure()
    with pytest.raises(InsecureSettingsError):
        Settings(env="production", secret_key=DEFAULT_SECRET).check_secure()
    with pytest.raises(InsecureSettingsError):
        Settings(env="production", secret_key="short").check_secure()
    Settings(env="production", secret_key="x" * 40).check_secure()
    Settings(env="development").check_secure()


def test_settings_read_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_DATABASE_URL", "postgresql://db/kz")
    monkeypatch.setenv("KZ_LOGIN_MAX_FAILURES", "3")
    settings = Settings()
    assert settings.database_url == "postgresql://db/kz"
    assert settings.login_max_failures == 3


def test_default_database_is_sqlite_under_var(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert Settings(var_dir=tmp_path).database_url == f"sqlite:///{tmp_path / 'ketenzicht.sqlite3'}"
