"""The ``ketenzicht`` command: serve, database, organisations, users, audit and demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht import scheduler
from ketenzicht.audit import service as audit_service
from ketenzicht.auth import credentials
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.permissions import policy_markdown
from ketenzicht.auth.schemas import OrganisationCreate, TokenCreate, UserCreate
from ketenzicht.cases import cli as cases_cli
from ketenzicht.config import InsecureSettingsError, get_settings
from ketenzicht.core import context
from ketenzicht.core.errors import DomainError
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.demo import cli as demo_cli
from ketenzicht.evidence import cli as evidence_cli
from ketenzicht.monitor import cli as monitor_cli
from ketenzicht.notify import cli as notify_cli
from ketenzicht.online import cli as online_cli
from ketenzicht.operations import cli as operations_cli
from ketenzicht.shelter import cli as shelter_cli
from ketenzicht.signals import cli as signals_cli
from ketenzicht.web import server

app = typer.Typer(help="Ketenzicht: platform for the chain against human trafficking.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(demo_cli.app, name="demo")
# The estimator is a top-level command (`ketenzicht estimate FILE.csv`), as analysts use it.
app.command("estimate")(monitor_cli.estimate_command)
app.add_typer(monitor_cli.figures_app, name="monitor")
app.add_typer(online_cli.app, name="online")
app.add_typer(shelter_cli.app, name="shelter")
app.add_typer(signals_cli.app, name="signals")
app.add_typer(cases_cli.app, name="cases")
app.add_typer(evidence_cli.app, name="evidence")
app.add_typer(operations_cli.app, name="operations")
app.add_typer(notify_cli.app, name="notify")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the web app (uvicorn)."""
    try:
        scheduler.start(get_settings())  # deadline job; off at KZ_CASES_ESCALATE_MINUTES=0
        server.run(get_settings(), host=host, port=port)
    except InsecureSettingsError as exc:
        raise fail(str(exc)) from exc


@app.command("permissions")
def permissions_table() -> None:
    """Print the need-to-know policy of every domain as Markdown."""
    typer.echo(policy_markdown(), nl=False)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "heads",
) -> None:
    """Apply the migrations up to ``revision``."""
    settings = get_settings()
    upgrade(settings.database_url, revision)
    typer.echo(f"database at {revision}: {make_engine(settings.database_url).url!r}")


@org_app.command("create")
def org_create(
    code: Annotated[str, typer.Argument(help="Short unique code, e.g. politie-ob.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    org_type: Annotated[OrgType, typer.Option("--type", help="Organisation type.")],
) -> None:
    """Register an organisation (operator action, audited without a user)."""
    context.new_request_id()
    try:
        data = OrganisationCreate(code=code, name=name, org_type=org_type)
        with unit_of_work(_factory()) as session:
            org = auth_service.create_organisation(session, data=data, actor=None)
            typer.echo(json.dumps({"id": org.id, "code": org.code, "name": org.name}))
    except ValidationError as exc:
        raise fail("; ".join(e["msg"] for e in exc.errors())) from exc
    except DomainError as exc:
        raise fail(exc.message) from exc


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="Login name (lower case).")],
    organisation: Annotated[str, typer.Option("--org", help="Organisation code.")],
    role: Annotated[list[Role], typer.Option("--role", help="Role; repeat for several.")],
    display_name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    system: Annotated[bool, typer.Option("--system", help="A system account for API tokens.")]
    = False,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input.")] = False,
) -> None:
    """Create an account; the password is asked for (or read from stdin), never an argument."""
    context.new_request_id()
    password = None
    if not system:
        password = (sys.stdin.readline().rstrip("\n") if password_stdin else
                    typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        with unit_of_work(_factory()) as session:
            org = auth_service.find_organisation(session, organisation)
            if org is None:
                raise fail(f"no organisation with code {organisation!r}")
            data = UserCreate(username=username, display_name=display_name or username,
                              organisation_id=org.id, roles=role, password=password,
                              is_system=system)
            user = auth_service.create_user(session, data=data, actor=None)
            typer.echo(json.dumps({"id": user.id, "username": user.username,
                                   "organisation": org.code, "roles": sorted(user.roles)}))
    except ValidationError as exc:
        raise fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors())) from exc
    except DomainError as exc:
        raise fail(exc.message) from exc


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="A system account.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")],
    days: Annotated[int | None, typer.Option(help="Validity in days.")] = None,
) -> None:
    """Issue an API token for a system account; the secret is printed once."""
    context.new_request_id()
    settings = get_settings()
    try:
        with unit_of_work(_factory()) as session:
            user = auth_service.find_user(session, username)
            if user is None:
                raise fail(f"no account {username!r}")
            secret, row = credentials.issue_token(
                session, actor=None, data=TokenCreate(name=name, user_id=user.id, days=days),
                default_days=settings.api_token_days)
            typer.echo(json.dumps({"id": row.id, "user": username, "token": secret,
                                   "expires_at": row.expires_at.isoformat()}))
    except ValidationError as exc:
        raise fail("; ".join(e["msg"] for e in exc.errors())) from exc
    except DomainError as exc:
        raise fail(exc.message) from exc


@audit_app.command("verify")
def audit_verify() -> None:
    """Prove that the hash chain of the audit log is unbroken (exit 1 if it is not)."""
    session = _factory()()
    try:
        result = audit_service.verify(session)
    finally:
        session.close()
    if result.ok:
        typer.echo(f"ok: {result.checked} entries, chain unbroken")
        return
    typer.echo(f"BROKEN at entry {result.first_broken_id}: {result.reason} "
               f"({result.checked} entries verified before it)", err=True)
    raise typer.Exit(1)


def _factory() -> sessionmaker[Session]:
    return make_session_factory(make_engine(get_settings().database_url))


def main() -> None:
    """Entry point of the console script."""
    Path(get_settings().var_dir).mkdir(parents=True, exist_ok=True)
    app()
