"""Site profiles: versioned YAML in ``online/collection/sites/``, validated when loaded.

Adding a site means adding a profile. A site that needs code of its own names an adapter
class in ``online/collection/sites/adapters/<name>.py`` (one per file); the adapter may rewrite the
fields the selectors found. Nothing else in a profile is executable.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SITES_DIR = Path(__file__).resolve().parent / "sites"
SUPPORTED_SCHEMA = 1
_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,63}$")


class ProfileError(ValueError):
    """A profile that is missing or invalid; the message says which and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListingRules(_Strict):
    """Which links on a listing page lead to ads, and which to the next listing page."""

    ad_links: str = Field(min_length=1, description="CSS selector of links to ad pages")
    next_page: str | None = Field(default=None, description="CSS selector of the next-page link")
    max_pages: int = Field(default=1000, ge=1, le=100_000)
    # Appended to every ad link: a Telegram post reads best as its embed view ("?embed=1").
    ad_url_suffix: str | None = Field(default=None, pattern=r"^\?[A-Za-z0-9_=&.-]{1,100}$")


class AdSelectors(_Strict):
    """CSS selectors (``::text`` / ``::attr(x)`` allowed) of the ad page's fields."""

    title: str
    text: str
    posted_at: str | None = None
    city: str | None = None
    age: str | None = None
    phone: str | None = None
    images: str | None = None


class SiteProfile(_Strict):
    """One site: where to start, how to walk it, what to read, how often."""

    schema_version: Literal[1] = 1
    name: str
    version: int = Field(ge=1, description="bump on every change; stored with each run")
    allowed_domains: list[str] = Field(min_length=1)
    start_urls: list[str] = Field(min_length=1)
    listing: ListingRules
    ad: AdSelectors
    language: str = Field(pattern=r"^[a-z]{2}$")
    recrawl_interval_hours: float = Field(gt=0, le=24 * 90)
    adapter: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    # "recruitment": the pages are public posts that may recruit young people (issue 21);
    # they are scored by the recruitment detector instead of linked as sex-work ads.
    purpose: Literal["ads", "recruitment"] = "ads"
    # False for a template whose start URL is a placeholder: never crawled on a schedule,
    # only by hand with --start-url.
    scheduled: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("lower-case letters, digits, - and _ only")
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return value

    @property
    def recrawl_interval(self) -> timedelta:
        """The re-crawl interval as a duration."""
        return timedelta(hours=self.recrawl_interval_hours)


class Adapter(Protocol):
    """Site-specific code: adjust the fields read from an ad page before they are stored."""

    def adjust(self, fields: dict[str, Any], *, url: str) -> dict[str, Any]: ...


class PassThrough:
    """The adapter of every site that needs none."""

    def adjust(self, fields: dict[str, Any], *, url: str) -> dict[str, Any]:
        """Return the fields unchanged."""
        return fields


def parse_profile(text: str, *, source: str = "<string>") -> SiteProfile:
    """Validate YAML text as a profile; raise :class:`ProfileError` with every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a profile is a mapping of keys to values")
    try:
        return SiteProfile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ProfileError(f"{source}: {problems}") from exc


def available(directory: Path = SITES_DIR) -> list[str]:
    """Names of the profiles in ``directory``."""
    return sorted(p.stem for p in directory.glob("*.yaml"))


def load(name: str, directory: Path = SITES_DIR) -> SiteProfile:
    """Load and validate the profile ``name``; its file name and ``name`` must agree."""
    if not _NAME.match(name):
        raise ProfileError(f"{name!r} is not a profile name")
    path = directory / f"{name}.yaml"
    if not path.is_file():
        raise ProfileError(f"no profile {name!r} (have: {', '.join(available(directory))})")
    profile = parse_profile(path.read_text(encoding="utf-8"), source=path.name)
    if profile.name != name:
        raise ProfileError(f"{path.name}: name {profile.name!r} does not match the file name")
    return profile


@functools.lru_cache(maxsize=64)
def purpose_of(name: str) -> str:
    """What a site's pages are (``ads`` or ``recruitment``); a site without a profile: ads."""
    try:
        return load(name).purpose
    except ProfileError:
        return "ads"


def adapter_for(profile: SiteProfile) -> Adapter:
    """The profile's adapter instance (``sites/adapters/<adapter>.py``, class ``Adapter``)."""
    if profile.adapter is None:
        return PassThrough()
    module = importlib.import_module(
        f"ketenzicht.online.collection.sites.adapters.{profile.adapter}")
    adapter: Adapter = module.Adapter()
    return adapter


@dataclass(frozen=True)
class ProfileCheck:
    """One profile file and the outcome of validating it."""

    name: str
    profile: SiteProfile | None
    error: str | None


def check_all(directory: Path = SITES_DIR) -> list[ProfileCheck]:
    """Validate every profile in ``directory``; a bad one is reported, not raised."""
    out: list[ProfileCheck] = []
    for name in available(directory):
        try:
            out.append(ProfileCheck(name, load(name, directory), None))
        except ProfileError as exc:
            out.append(ProfileCheck(name, None, str(exc)))
    return out
