"""``ketenzicht online recruitment score`` on good and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ketenzicht.online.cli import app

runner = CliRunner()


def _line(record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


def test_score_writes_one_line_per_post_and_names_bad_lines(cached_model: Path) -> None:
    data = b"".join([
        _line({"id": "a", "text": "Snel geld verdienen? Runner nodig, vanaf 16. DM 💸",
               "platform": "telegram", "posted_at": "2026-11-01"}),
        b"not json\n",
        _line({"id": "b"}),
        _line({"id": 7, "text": "Wie heeft de huiswerkopdracht?"}),
    ])
    result = runner.invoke(app, ["recruitment", "score", "-"], input=data)
    assert result.exit_code == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "7"]
    assert out[0]["score"] > 0.8 > out[1]["score"]
    assert out[0]["min_age"] == 16
    assert all({"code", "weight", "evidence"} <= set(r) for r in out[0]["reasons"])
    assert "line 2: not JSON" in result.stderr
    assert "line 3: post 'b': 'text' must be a string" in result.stderr


def test_no_posts_at_all_is_an_error(cached_model: Path) -> None:
    result = runner.invoke(app, ["recruitment", "score", "-"], input=b"[1]\n")
    assert result.exit_code == 1
    assert "line 1: expected a JSON object" in result.stderr
