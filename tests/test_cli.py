"""The ketenzicht command on a fresh SQLite database under a temporary var/."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from ketenzicht.auth.enums import OrgType
from ketenzicht.cli import app
from ketenzicht.config import get_settings
from ketenzicht.demo import cli as demo_cli
from ketenzicht.demo.cli import crawl_demo_site

runner = CliRunner()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def migrated() -> None:
    assert run("db", "upgrade")[0] == 0


def test_org_and_user_create(migrated: None) -> None:
    code, out, _ = run("org", "create", "zorg-a", "--name", "Zorg A", "--type", "zorg")
    assert code == 0 and json.loads(out)["code"] == "zorg-a"
    code, _, err = run("org", "create", "zorg-a", "--name", "Zorg B", "--type", "zorg")
    assert code == 2 and "already exists" in err
    code, out, _ = run("user", "create", "piet", "--org", "zorg-a", "--role", "medewerker",
                       "--role", "coordinator", "--password-stdin",
                       input="a-long-enough-password\n")
    assert code == 0, out
    assert json.loads(out)["roles"] == ["coordinator", "medewerker"]


def test_token_for_a_system_account(migrated: None) -> None:
    run("org", "create", "koppel", "--name", "Koppeling", "--type", "beheer")
    run("user", "create", "systeem", "--org", "koppel", "--role", "beheerder", "--system")
    code, out, _ = run("user", "token", "systeem", "--name", "test")
    assert code == 0
    assert json.loads(out)["token"].startswith("kz_")
    run("user", "create", "mens", "--org", "koppel", "--role", "beheerder",
        "--password-stdin", input="a-long-enough-password\n")
    code, _, err = run("user", "token", "mens", "--name", "test")
    assert code == 2
    assert "system accounts" in err


@pytest.mark.parametrize(("args", "message"), [
    (("user", "create", "x", "--org", "nergens", "--role", "medewerker", "--system"),
     "no organisation"),
    (("user", "create", "Bad Name!", "--org", "zorg-a", "--role", "medewerker", "--system"),
     "username"),
    (("user", "create", "kort", "--org", "zorg-a", "--role", "medewerker",
      "--password-stdin"), "password"),
])
def test_bad_input_exits_2_with_a_message(migrated: None, args: tuple[str, ...],
                                          message: str) -> None:
    run("org", "create", "zorg-a", "--name", "Zorg A", "--type", "zorg")
    code, _, err = run(*args, input="short\n")
    assert code == 2
    assert message in err and "Traceback" not in err


def test_audit_verify_passes_then_detects_tampering(migrated: None) -> None:
    run("org", "create", "om-a", "--name", "OM A", "--type", "om")
    run("org", "create", "om-b", "--name", "OM B", "--type", "om")
    code, out, _ = run("audit", "verify")
    assert code == 0 and "2 entries" in out
    path = get_settings().database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_entry_no_update")
        conn.execute("UPDATE audit_entry SET detail = '{}' WHERE id = 1")
    code, _, err = run("audit", "verify")
    assert code == 1 and "BROKEN at entry 1" in err


def test_demo_seed_prints_one_account_per_organisation_type() -> None:
    assert run("demo", "accounts")[0] == 2  # not seeded yet: a clear message
    code, out, _ = run("demo", "seed")
    assert code == 0 and "seeded" in out
    code, out, _ = run("demo", "seed")
    assert "nothing seeded" in out
    code, out, _ = run("demo", "accounts")
    accounts = json.loads(out)
    assert sorted(a["organisation_type"] for a in accounts) == sorted(t.value for t in OrgType)
    assert set(accounts[0]) == {"username", "password", "organisation", "organisation_type",
                                "roles"}
    assert run("audit", "verify")[0] == 0


def test_make_demo_crawls_the_demo_site_once() -> None:
    """``make demo`` serves the synthetic ad site and crawls it with Scrapy (issue: Online I)."""
    assert run("demo", "seed")[0] == 0
    police = next(a["username"] for a in json.loads(run("demo", "accounts")[1])
                  if a["organisation_type"] == OrgType.POLITIE.value)
    assert crawl_demo_site(police) == 0
    code, out, _ = run("online", "runs")
    latest = json.loads(out.splitlines()[0])
    assert code == 0 and latest["status"] == "finished"
    # robots.txt, listing pages and images come only from a real crawl, not from the seeder.
    assert latest["stats"]["captures"] > demo_cli.DEMO_SITE_ADS
    assert latest["stats"]["ads/new"] + latest["stats"]["ads/changed"] \
        + latest["stats"]["ads/unchanged"] > 0


def test_the_demo_serves_with_the_deadline_job(monkeypatch: pytest.MonkeyPatch) -> None:
    # The seed leaves signal routings overdue on purpose; only the scheduler escalates them.
    assert run("demo", "seed")[0] == 0
    started: list[str] = []
    monkeypatch.setattr(demo_cli.scheduler, "start", lambda settings: started.append("job"))
    monkeypatch.setattr(demo_cli.server, "run",
                        lambda settings, host=None, port=None: started.append("server"))
    code, out, _ = run("demo")
    assert code == 0 and "Serving on" in out
    assert started == ["job", "server"]


def test_production_refuses_demo_and_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZ_ENV", "production")
    get_settings.cache_clear()
    code, _, err = run("demo", "seed")
    assert code == 2 and "refused" in err
    code, _, err = run("serve")
    assert code == 2 and "KZ_SECRET_KEY" in err
