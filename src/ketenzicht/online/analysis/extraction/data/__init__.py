"""Data files shipped with the extraction package (sources in README.md beside them)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def read_text(name: str) -> str:
    """Text of a data file in this package."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def read_yaml(name: str) -> dict[str, Any]:
    """A YAML data file that must hold a mapping at the top."""
    data = yaml.safe_load(read_text(name))
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return data
