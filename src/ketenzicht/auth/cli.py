"""``ketenzicht org`` and ``ketenzicht user``: organisations, accounts and API tokens.

Operator actions from a shell: audited without a user (``actor=None``), each command in a
transaction of its own.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from ketenzicht.auth import credentials
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import OrganisationCreate, TokenCreate, UserCreate
from ketenzicht.config import get_settings
from ketenzicht.core import context
from ketenzicht.core.errors import DomainError
from ketenzicht.db.session import default_session_factory, unit_of_work

org_app = typer.Typer(help="Organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


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
        with unit_of_work(default_session_factory()) as session:
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
        with unit_of_work(default_session_factory()) as session:
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
        with unit_of_work(default_session_factory()) as session:
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
