"""Hostile input lines are skipped with a message, never a crash (issue 24, item 16)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketenzicht.cli import app
from ketenzicht.online.collection import warc

runner = CliRunner()
DEEP = (b'{"id": "deep", "text": "hallo", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}\n")
GOOD = b'{"id": "ok", "text": "Nieuw in Utrecht, bel 0612345678"}\n'


@pytest.mark.parametrize("command", [["online", "extract", "-"], ["online", "link", "-"]])
def test_a_line_nested_a_thousand_deep_is_skipped(command: list[str]) -> None:
    result = runner.invoke(app, command, input=DEEP + GOOD)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0, result.stderr
    assert "line 1: JSON nested too deeply" in result.stderr


def test_online_import_skips_a_deeply_nested_line(tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    path = tmp_path / "ads.jsonl"
    path.write_bytes(DEEP)
    result = runner.invoke(app, ["online", "import", str(path), "--as", "nobody"])
    assert not isinstance(result.exception, RecursionError)
    assert "Traceback" not in result.output


def test_shelter_import_of_a_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    path = tmp_path / "figures.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary")
    result = runner.invoke(app, ["shelter", "import", str(path), "--as", "nobody"])
    assert result.exit_code == 2
    assert "not a UTF-8 text" in result.stderr
    assert not isinstance(result.exception, UnicodeDecodeError)


def test_warc_records_are_fsynced_before_they_are_indexed(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    monkeypatch.setattr(warc.os, "fsync", lambda fd: synced.append(fd))
    writer = warc.RotatingWarcWriter(tmp_path, prefix="t", max_bytes=10_000_000)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    for n in range(3):
        writer.write_response(url=f"https://example.test/{n}", status=200, reason="OK",
                              headers=[("Content-Type", "text/html")],
                              payload=io.BytesIO(b"<p>hi</p>").getvalue(), at=at)
    writer.close()
    assert len(synced) == 3
