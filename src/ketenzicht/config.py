"""Typed settings, read from the environment with the prefix ``KZ_``.

Every field here must be documented in docs/configuration.md; a test enforces it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Deliberately recognisable: start-up outside development refuses it.
DEFAULT_SECRET = "development-only-insecure-secret"  # noqa: S105


class InsecureSettingsError(RuntimeError):
    """Raised when production would start with a missing or default secret."""


BAD_BASE_URL = ("KZ_BASE_URL must be the absolute address people open Ketenzicht at: "
                "http:// or https://, a host, optionally a port and a path, without "
                "query, fragment or password (e.g. https://ketenzicht.example.nl); got {!r}")


def check_base_url(value: str) -> str:
    """The base URL without its trailing slash; a relative or malformed one is refused.

    E-mails are read outside the site, so every link in them must be absolute: a path
    alone ("/signals/3") would lead nowhere from a mail program.
    """
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ValueError(BAD_BASE_URL.format(value)) from exc
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query
            or parts.fragment or parts.username or parts.password or " " in value):
        raise ValueError(BAD_BASE_URL.format(value))
    return value.rstrip("/")


class Settings(BaseSettings):
    """All runtime configuration of Ketenzicht."""

    model_config = SettingsConfigDict(env_prefix="KZ_", env_file=None, extra="ignore")

    env: Literal["development", "production"] = "development"
    var_dir: Path = Path("var")
    database_url: str = ""
    db_pool_size: int = Field(default=10, ge=1, le=500)
    db_max_overflow: int = Field(default=10, ge=0, le=500)
    db_pool_timeout: float = Field(default=30.0, gt=0, le=600)
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    default_locale: Literal["nl", "en"] = "nl"
    session_hours: float = Field(default=8.0, gt=0, le=24 * 7)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_backoff_max_seconds: int = Field(default=60, ge=0, le=3600)
    login_max_failures_per_address: int = Field(default=50, ge=1, le=100_000)
    api_token_days: int = Field(default=365, ge=1, le=3650)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    forwarded_allow_ips: str = "127.0.0.1"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    shelter_stale_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    shelter_hold_hours: float = Field(default=4.0, gt=0, le=72)
    shelter_stable_days: int = Field(default=28, ge=1, le=365)
    signals_intake_per_hour: int = Field(default=60, ge=1, le=10_000)
    selfcheck_exit_url: str = Field(default="https://www.buienradar.nl/", pattern=r"^https://")
    selfcheck_signal_account: str = Field(default="", max_length=64)
    selfcheck_signals_per_minute: int = Field(default=10, ge=1, le=1000)
    online_capture_dir: Path | None = None
    online_crawl_contact_url: str = Field(default="https://ketenzicht.example/crawler",
                                          pattern=r"^https?://")
    online_crawl_delay: float = Field(default=2.0, ge=0, le=600)
    online_crawl_concurrency: int = Field(default=1, ge=1, le=16)
    online_crawl_autothrottle: bool = True
    online_crawl_timeout: float = Field(default=30.0, gt=0, le=600)
    online_crawl_retries: int = Field(default=3, ge=0, le=10)
    online_crawl_backoff_seconds: float = Field(default=2.0, ge=0, le=600)
    online_crawl_max_page_bytes: int = Field(default=5_000_000, ge=10_000)
    online_crawl_depth_limit: int = Field(default=50, ge=1, le=10_000)
    # A run of this many 5xx answers or network failures in a row ends a crawl as failed.
    online_crawl_max_consecutive_failures: int = Field(default=5, ge=1, le=1000)
    online_warc_max_bytes: int = Field(default=1_000_000_000, ge=100_000)
    online_recruitment_lexicon: Path | None = None
    online_recruitment_model_dir: Path | None = None
    online_recruitment_retention_days: int = Field(default=90, ge=1, le=3650)
    audit_key: SecretStr = SecretStr("")
    audit_checkpoint_file: Path | None = None
    audit_checkpoint_seconds: float = Field(default=10.0, ge=0, le=24 * 3600)
    evidence_dir: Path | None = None
    body_limit_bytes: int = Field(default=2_000_000, ge=10_000, le=2_000_000_000)
    body_limit_anonymous_bytes: int = Field(default=64_000, ge=1_000, le=100_000_000)
    body_limit_upload_bytes: int = Field(default=40_000_000, ge=10_000, le=2_100_000_000)
    evidence_max_upload_bytes: int = Field(default=25_000_000, ge=1_000, le=2_000_000_000)
    # Per process: argon2 computations at once, and login attempts that may queue for the
    # database at once (web.limits.DatabaseGate); see docs/configuration.md.
    password_hash_concurrency: int = Field(default=2, ge=1, le=64)
    login_concurrency: int = Field(default=2, ge=1, le=64)
    evidence_key_dir: Path | None = None
    evidence_tsa_url: str = Field(default="", pattern=r"^(https?://.+)?$")
    evidence_tsa_timeout: float = Field(default=10.0, gt=0, le=120)
    smtp_url: SecretStr = SecretStr("")
    smtp_from: str = Field(default="ketenzicht@localhost", max_length=254)
    notify_max_attempts: int = Field(default=5, ge=1, le=100)
    cases_escalate_minutes: float = Field(default=15.0, ge=0, le=24 * 60)
    online_map_tile_url: str = Field(
        default="https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/"
                "{z}/{x}/{y}.png", pattern=r"^(https://[^'\s;]+)?$")
    online_map_attribution: str = Field(default="Kaartgegevens © Kadaster (BRT-Achtergrondkaart)",
                                        max_length=300)
    # The public address the campaign messages link to (help link, selfcheck).
    operations_public_url: str = Field(default="https://ketenzicht.example",
                                       pattern=r"^https?://[^\s/]+(:\d+)?$")
    # The address of this site as its users open it: the links in notification e-mails.
    base_url: str = Field(default="http://127.0.0.1:8000", max_length=300)

    @field_validator("base_url")
    @classmethod
    def _absolute_base_url(cls, value: str) -> str:
        return check_base_url(value)

    @model_validator(mode="after")
    def _derive_database_url(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'ketenzicht.sqlite3'}"
        return self

    @property
    def is_development(self) -> bool:
        """True when running as a developer's or demo instance."""
        return self.env == "development"

    def check_secure(self) -> None:
        """Refuse to start outside development with a missing, default or short secret."""
        if self.is_development:
            return
        secret = self.secret_key.get_secret_value()
        if not secret or secret == DEFAULT_SECRET or len(secret) < 32:
            raise InsecureSettingsError(
                "KZ_SECRET_KEY must be set to a random value of at least 32 characters "
                "when KZ_ENV is not 'development'."
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()
