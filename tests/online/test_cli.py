"""``ketenzicht online extract`` on good and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ketenzicht.online.analysis.extraction.intake import MAX_TEXT_CHARS
from ketenzicht.online.cli import app

runner = CliRunner()

GOOD = {"id": "a1", "title": "Anna in Utrecht", "text": "Bel nul zes 12345678, 22 jaar",
        "posted_at": "2025-03-01", "unknown_field": [1, 2]}


def _run(data: bytes, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["extract", "-", *args], input=data)


def _line(record: object) -> bytes:
    return json.dumps(record).encode() + b"\n"


def test_good_ad_gives_one_record_with_the_interface_fields() -> None:
    result = _run(_line(GOOD))
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1
    record = records[0]
    assert list(record)[:10] == ["id", "phones", "phone_obfuscation", "emails", "handles",
                                 "ages", "cities", "prices", "origins", "language"]
    assert record["id"] == "a1"
    assert record["phones"] == ["+31612345678"]
    assert record["phone_obfuscation"][0]["styles"] == ["spelled_words"]
    assert record["ages"] == [22]
    assert record["cities"][0]["code"] == "GM0344"
    assert {"code", "weight", "evidence"} <= set(record["indicators"][0])


def test_region_of_the_ad_and_default_region() -> None:
    lines = _line({"id": 1, "text": "call 0412 345 678", "region": "au"}) + _line(
        {"id": 2, "text": "call 0412 345 678"})
    result = _run(lines, "--region", "AU")
    assert [json.loads(x)["phones"] for x in result.stdout.splitlines()] == [
        ["+61412345678"], ["+61412345678"]]


def test_bad_lines_are_reported_by_number_and_skipped() -> None:
    data = b"".join([
        _line(GOOD),
        b"this is not json\n",
        b'{"id": "x", "text": "caf\xe9 \xff"}\n',  # Latin-1, not UTF-8
        _line({"id": "e", "text": "   "}),
        _line({"text": "no id here"}),
        _line({"id": "big", "text": "a" * (MAX_TEXT_CHARS + 1)}),
        _line({"id": "huge", "text": "a" * 1_200_000}),
        _line(["not", "an", "object"]),
        b"\n",
        _line({"id": "b2", "text": "mail anna@example.nl"}),
    ])
    result = _run(data)
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a1", "b2"]
    err = result.stderr
    assert "line 2: not JSON" in err
    assert "line 3: not valid UTF-8 (byte 0xe9" in err
    assert "line 4: ad 'e': empty text" in err
    assert "line 5: missing or invalid 'id'" in err
    assert "line 6: ad 'big': text is 100,001 characters, over the 100,000 limit" in err
    assert "line 7: line longer than" in err
    assert "line 8: expected a JSON object, got list" in err
    assert "2 ads processed, 7 lines skipped" in err


def test_exit_code_is_non_zero_only_when_nothing_could_be_processed() -> None:
    result = _run(b"garbage\n\xff\xfe\n")
    assert result.exit_code == 1
    assert "0 ads processed, 2 lines skipped" in result.stderr
    empty = _run(b"")  # empty input: nothing to do is a mistake, not a success (issue 24)
    assert empty.exit_code == 1 and "no ads" in empty.stderr


def test_reads_a_file_and_writes_an_output_file(tmp_path: Path) -> None:
    source = tmp_path / "ads.jsonl"
    source.write_bytes(_line(GOOD) + _line({"id": 2, "text": "06-87654321"}))
    target = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(source), "-o", str(target), "--stats"])
    assert result.exit_code == 0, result.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    assert "phones/found: 2" in result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_help_lists_the_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.stdout
