"""Shared fixtures: the reference data under tests/data (sources in tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenzicht.monitor.estimation import CaptureTable, read_capture_table

SHARED = Path(__file__).resolve().parents[1] / "data"
MSE = SHARED / "mse"


@pytest.fixture(scope="session")
def mse_dir() -> Path:
    """Folder with the capture-history tables (in the repository: never skipped)."""
    assert MSE.is_dir(), f"reference data missing at {MSE}"
    return MSE


@pytest.fixture(scope="session")
def load(mse_dir: Path):  # type: ignore[no-untyped-def]
    """Read one of the reference tables by name, e.g. ``load("NewOrl")``."""

    def _load(name: str) -> CaptureTable:
        return read_capture_table(mse_dir / f"{name}.csv")

    return _load
