"""Shared helpers for the online-domain tests."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ketenzicht.audit.subscriptions import SUBSCRIPTIONS as AUDIT_SUBSCRIPTIONS
from ketenzicht.config import get_settings
from ketenzicht.core import events
from ketenzicht.online.analysis.extraction.types import Ad, Extraction
from ketenzicht.online.analysis.pipeline import Pipeline
from ketenzicht.online.analysis.recruitment import lexicon
from ketenzicht.online.analysis.recruitment.detector import Detector
from ketenzicht.online.analysis.synthetic import ads as ads_generator
from ketenzicht.online.subscriptions import SUBSCRIPTIONS as ONLINE_SUBSCRIPTIONS

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO_ROOT / "benchmarks" / "online"
SHARED_ONLINE = REPO_ROOT / "tests" / "data" / "online"


def load_bench_module(name: str) -> ModuleType:
    """Import benchmarks/online/<name>.py (the benchmarks folder is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator_module() -> ModuleType:
    """ketenzicht.online.analysis.synthetic.ads (seeded synthetic ads with planted phones)."""
    return ads_generator


@pytest.fixture(scope="session")
def dig_module() -> ModuleType:
    """benchmarks/online/dig.py (loader and scorer of the DIG ground truth)."""
    return load_bench_module("dig")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """One pipeline for the whole session: building lingua once is enough."""
    return Pipeline()


@pytest.fixture(scope="session")
def extract(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    """Run the full pipeline on a text: ``extract(text, region="NL", title="", city=None)``."""

    def run(text: str, region: str = "NL", title: str = "", city: str | None = None) -> Extraction:
        return pipeline.run(Ad("t", text, title, region, city))

    return run


@pytest.fixture(autouse=True, scope="session")
def _subscriptions() -> None:
    """The subscribers the app and the ``online`` commands install at start."""
    events.install(AUDIT_SUBSCRIPTIONS, ONLINE_SUBSCRIPTIONS)


# --- recruitment: one trained detector for the session (training takes about a second) ---

@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model cache shared by the session, so the CLI tests train once."""
    return tmp_path_factory.mktemp("recruitment-model")


@pytest.fixture(scope="session")
def detector(model_dir: Path) -> Detector:
    """The shipped lexicon's detector, trained on the synthetic corpus."""
    return Detector.for_lexicon(lexicon.load(), model_dir)


@pytest.fixture
def cached_model(model_dir: Path, detector: Detector, monkeypatch: pytest.MonkeyPatch
                 ) -> Iterator[Path]:
    """Point the settings at the session's model cache (already filled by ``detector``)."""
    monkeypatch.setenv("KZ_ONLINE_RECRUITMENT_MODEL_DIR", str(model_dir))
    get_settings.cache_clear()
    yield model_dir
    get_settings.cache_clear()
