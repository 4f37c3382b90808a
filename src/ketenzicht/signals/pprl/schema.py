"""The versioned linkage schema (``schema_v1.json``), the same for all parties."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class FieldSpec:
    """One encoded field: a Bloom filter of q-grams, or a keyed HMAC for exact values."""

    name: str
    kind: str
    encoding: str
    weight: float
    q: int = 2
    hashes: int = 20
    salt_field: str | None = None


@dataclass(frozen=True)
class Schema:
    """Fields, filter size and hardening of one schema version."""

    version: str
    filter_bits: int
    folded_bits: int
    hardening: tuple[str, ...]
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        """The spec of ``name``; KeyError when the schema has no such field."""
        return next(f for f in self.fields if f.name == name)


def parse(data: dict[str, object], *, hardening: tuple[str, ...] | None = None) -> Schema:
    """A schema from its JSON form (``hardening`` overrides it, for the benchmark)."""
    fields = tuple(FieldSpec(**spec) for spec in data["fields"])  # type: ignore[attr-defined]
    return Schema(version=str(data["version"]), filter_bits=int(data["filter_bits"]),  # type: ignore[call-overload]
                  folded_bits=int(data["folded_bits"]),  # type: ignore[call-overload]
                  hardening=hardening if hardening is not None
                  else tuple(data["hardening"]),  # type: ignore[arg-type]
                  fields=fields)


@cache
def published_json(version: str = "v1") -> str:
    """The published schema's text, as shipped (the intake page hands it to its encoder)."""
    return resources.files(__package__).joinpath(f"schema_{version}.json").read_text("utf-8")


@cache
def published(version: str = "v1") -> Schema:
    """The published schema shipped with the package."""
    return parse(json.loads(published_json(version)))
