"""``ketenzicht online link``: the JSON-lines interface, bad input, and ``--db``."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from ketenzicht.cli import app
from ketenzicht.config import get_settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory
from ketenzicht.online.analysis.synthetic import corpus
from ketenzicht.online.workspace.networks.models import LinkRun, Network, NetworkAd
from tests.factories import auth as auth_factories

runner = CliRunner()
FIELDS = ["network", "ads", "phones", "names", "cities", "first_seen", "last_seen",
          "trajectory"]


def _input(n: int = 60, seed: int = 3) -> bytes:
    return b"".join(json.dumps(a.ad).encode() + b"\n" for a in corpus.generate(n, seed=seed))


def test_every_ad_is_in_exactly_one_network_line() -> None:
    result = runner.invoke(app, ["online", "link", "-"], input=_input())
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(list(r)[:8] == FIELDS and {"score", "reasons"} <= set(r) for r in records)
    ads = [ad for r in records for ad in r["ads"]]
    assert sorted(ads) == sorted(f"ad-3-{i}" for i in range(60))
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    top = records[0]
    assert {"city", "from", "to"} <= set(top["trajectory"][0])
    assert {"code", "weight", "fact", "evidence"} <= set(top["reasons"][0])
    assert "60 ads in" in result.stderr


def test_bad_lines_are_named_and_skipped() -> None:
    bad = (b"not json\n" + b'{"text": "no id"}\n' + b'{"id": "u", "text": "\xff\xfe"}\n'
           + b'{"id": "e", "text": "  "}\n'
           + json.dumps({"id": "big", "text": "x" * 2_000_000}).encode() + b"\n")
    result = runner.invoke(app, ["online", "link", "-"], input=_input(10) + bad)
    assert result.exit_code == 0
    for lineno, words in ((11, "not JSON"), (12, "'id'"), (13, "UTF-8"), (14, "empty text"),
                          (15, "bytes")):
        assert any(line.startswith(f"line {lineno}:") and words in line
                   for line in result.stderr.splitlines()), (lineno, result.stderr)
    assert sum(len(json.loads(line)["ads"]) for line in result.stdout.splitlines()) == 10


def test_duplicate_id_is_reported_once() -> None:
    line = json.dumps({"id": "d", "text": "Lieve dame in Zwolle, bel 0641234567"}).encode()
    result = runner.invoke(app, ["online", "link", "-"], input=line + b"\n" + line + b"\n")
    assert result.exit_code == 0
    assert "line 2: ad 'd': duplicate id (first on line 1)" in result.stderr
    assert [json.loads(x)["ads"] for x in result.stdout.splitlines()] == [["d"]]


def test_nothing_processed_exits_non_zero() -> None:
    result = runner.invoke(app, ["online", "link", "-"], input=b"[1, 2]\n{}\n")
    assert result.exit_code == 1
    assert "line 1:" in result.stderr and "line 2:" in result.stderr
    empty = runner.invoke(app, ["online", "link", "-"], input=b"")
    assert empty.exit_code == 1 and "no ads" in empty.stderr  # nothing to link is an error


def test_db_option_stores_the_run_as_the_given_investigator() -> None:
    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        auth_factories.bind(session)
        auth_factories.UserFactory(username="agent")
        session.commit()
    result = runner.invoke(app, ["online", "link", "-", "--db", "--as", "agent"],
                           input=_input(40))
    assert result.exit_code == 0, result.stderr
    assert "stored as linking run" in result.stderr
    with factory() as session:
        run = session.scalars(select(LinkRun)).one()
        assert run.ads == 40 and run.started_by is not None
        assert session.scalar(select(func.count()).select_from(NetworkAd)) == 40
        assert session.scalar(select(func.count()).select_from(Network)) == run.networks
    refused = runner.invoke(app, ["online", "link", "-", "--db", "--as", "nobody"],
                            input=_input(5))
    assert refused.exit_code == 2 and "no account" in refused.stderr
