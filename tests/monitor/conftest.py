"""Shared fixtures: the reference data under ../shared/data (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenzicht.monitor.estimation import CaptureTable, read_capture_table

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MSE = SHARED / "mse"


@pytest.fixture(scope="session")
def mse_dir() -> Path:
    """Folder with the capture-history tables; skip when the shared data are absent."""
    if not MSE.is_dir():
        pytest.skip(f"reference data not found at {MSE} (shared/data is beside the repository)")
    return MSE


@pytest.fixture(scope="session")
def load(mse_dir: Path):  # type: ignore[no-untyped-def]
    """Read one of the reference tables by name, e.g. ``load("NewOrl")``."""

    def _load(name: str) -> CaptureTable:
        return read_capture_table(mse_dir / f"{name}.csv")

    return _load
