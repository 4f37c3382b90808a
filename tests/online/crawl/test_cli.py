"""``ketenzicht online import / export / runs / due`` in process, on each backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketenzicht.auth.enums import OrgType
from ketenzicht.cli import app
from ketenzicht.config import get_settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from tests.factories import auth as auth_factories
from tests.factories.online import ad_fields


@pytest.fixture
def cli_db(scratch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's database: a scratch one of the backend under test."""
    monkeypatch.setenv("KZ_DATABASE_URL", scratch_url)
    get_settings.cache_clear()
    get_settings().var_dir.mkdir(parents=True, exist_ok=True)
    with make_session_factory(make_engine(scratch_url))() as session:
        auth_factories.bind(session)
        auth_factories.UserFactory(username="agent")
        auth_factories.UserFactory(
            username="carer", organisation=auth_factories.OrganisationFactory(
                org_type=OrgType.ZORG))
        session.commit()


def test_import_versions_and_deduplicates_then_exports(cli_db: None, tmp_path: Path) -> None:
    lines = [
        ad_fields(1) | {"site": "other", "url": "https://x.example/1", "id": "a1"},
        ad_fields(1, text="Bewerkt.") | {"site": "other", "url": "https://x.example/1"},
        ad_fields(1, text="Bewerkt.") | {"site": "other", "url": "https://x.example/1"},
        ad_fields(2) | {"site": "other", "url": "https://x.example/2"},
        ad_fields(2) | {"site": "other", "url": "https://x.example/2-repost"},
        {"site": "other"},
    ]
    source = tmp_path / "ads.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    runner = CliRunner()
    result = runner.invoke(app, ["online", "import", str(source), "--as", "agent"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts == {"new": 2, "changed": 1, "unchanged": 1, "duplicate": 1, "skipped": 1,
                      "bad_lines": 1}
    exported = runner.invoke(app, ["online", "export", "-"]).stdout.strip().splitlines()
    rows = [json.loads(line) for line in exported if line.startswith("{")]
    assert [r["text"] for r in rows if r["url"].endswith("/1")] == [
        "Hoi, ik ben Anna. Advertentie 1.", "Bewerkt."]


def test_only_investigators_may_import(cli_db: None, tmp_path: Path) -> None:
    source = tmp_path / "ads.jsonl"
    source.write_text(json.dumps(ad_fields() | {"site": "s", "url": "https://x.example/"}))
    result = CliRunner().invoke(app, ["online", "import", str(source), "--as", "carer"])
    assert result.exit_code == 2


def test_runs_lists_nothing_before_a_crawl(cli_db: None) -> None:
    result = CliRunner().invoke(app, ["online", "runs"])
    assert result.exit_code == 0 and result.stdout == ""


def test_due_lists_profiles_never_crawled(cli_db: None) -> None:
    result = CliRunner().invoke(app, ["online", "due"])
    assert result.exit_code == 0 and "demo" in result.stdout.split()


def test_recruitment_import_stores_the_recruiter_side_and_names_bad_lines(
        cli_db: None, cached_model: Path, tmp_path: Path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "1", "text": "Snel geld verdienen? Runner nodig, vanaf 15. "
                                       "Alleen snap: cash_1", "author": "cash_1"}),
        json.dumps({"id": "2", "text": "ik wil wel, ik ben 14", "in_reply_to": "1"}),
        "not json"]) + "\n")
    runner = CliRunner()
    result = runner.invoke(app, ["online", "recruitment", "import", str(source),
                                 "--platform", "snapchat", "--as", "agent"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["stored"] == 1 and counts["replies_dropped"] == 1 and counts["bad_lines"] == 1
    assert "line 3: not JSON" in result.stderr
    refused = runner.invoke(app, ["online", "recruitment", "import", str(source),
                                  "--platform", "snapchat", "--as", "carer"])
    assert refused.exit_code == 2
