"""KZ_BASE_URL: the absolute address e-mail links are built from, refused at start if not."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ketenzicht.cli import app
from ketenzicht.config import Settings


@pytest.mark.parametrize("bad", [
    "/signals", "ketenzicht.example.nl", "ftp://ketenzicht.example.nl", "https://",
    "https://ketenzicht.example.nl:port", "https://ketenzicht.example.nl/?next=/x",
    "https://ketenzicht.example.nl/#top", "https://user:secret@ketenzicht.example.nl",
    "https://keten zicht.example.nl",
])
def test_a_relative_or_malformed_base_url_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="KZ_BASE_URL must be the absolute address"):
        Settings(base_url=bad)


@pytest.mark.parametrize(("given", "kept"), [
    ("https://ketenzicht.example.nl/", "https://ketenzicht.example.nl"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("https://intra.example.nl/ketenzicht/", "https://intra.example.nl/ketenzicht"),
])
def test_a_good_base_url_loses_only_its_trailing_slash(given: str, kept: str) -> None:
    assert Settings(base_url=given).base_url == kept


def test_serve_refuses_to_start_with_a_relative_base_url(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("KZ_BASE_URL", "/ketenzicht")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "KZ_BASE_URL must be the absolute address" in result.output
