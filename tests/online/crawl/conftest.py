"""Crawl subprocesses against a scratch database of the backend under test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ketenzicht.config import Settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from tests.factories import auth as auth_factories

KZ = [str(Path(sys.executable).parent / "ketenzicht")]


@pytest.fixture
def env(tmp_path: Path, scratch_url: str) -> dict[str, str]:
    """Settings for the crawl subprocesses: a scratch database of the backend under test."""
    values = {k: v for k, v in os.environ.items() if not k.startswith("KZ_")}
    values |= {
        "KZ_VAR_DIR": str(tmp_path / "var"), "KZ_DATABASE_URL": scratch_url,
        "KZ_ONLINE_CRAWL_DELAY": "0",
        "KZ_ONLINE_CRAWL_AUTOTHROTTLE": "false", "KZ_ONLINE_CRAWL_TIMEOUT": "2",
        "KZ_ONLINE_CRAWL_RETRIES": "1", "KZ_ONLINE_CRAWL_BACKOFF_SECONDS": "0.05",
        "KZ_ONLINE_CRAWL_MAX_PAGE_BYTES": "1000000", "KZ_LOG_LEVEL": "error",
    }
    (tmp_path / "var").mkdir()
    with make_session_factory(make_engine(scratch_url))() as session:
        auth_factories.bind(session)
        auth_factories.UserFactory(username="agent")
        session.commit()
    return values


@pytest.fixture
def settings_of(env: dict[str, str], tmp_path: Path) -> Settings:
    """The settings the subprocesses see, for reading what they stored."""
    return Settings(var_dir=tmp_path / "var", database_url=env["KZ_DATABASE_URL"])


def crawl_cli(env: dict[str, str], start: str, *extra: str, exit_code: int = 0
              ) -> dict[str, Any]:
    """Run ``ketenzicht online crawl`` of the demo profile; its printed run, as JSON."""
    done = subprocess.run([*KZ, "online", "crawl", "--profile", "demo", "--as", "agent",
                           "--start-url", start, *extra], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == exit_code, done.stderr.decode()[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    result["stderr"] = done.stderr.decode()
    return result
