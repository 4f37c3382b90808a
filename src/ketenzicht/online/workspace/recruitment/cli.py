"""``ketenzicht online recruitment import|purge``: investigators' exports in, old posts out.

The import reads the shape of ``online recruitment score`` plus ``author``, ``url``,
``images`` and ``reach``; the platform is named on the command line (a line may name its
own). Lines that are replies to a post are dropped before anything is stored, and reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

from ketenzicht.auth import service as auth_service
from ketenzicht.config import get_settings
from ketenzicht.core import context
from ketenzicht.core.errors import DomainError
from ketenzicht.db.session import default_session_factory, unit_of_work
from ketenzicht.online.analysis.extraction.intake import iter_lines
from ketenzicht.online.analysis.recruitment.cli import load_detector
from ketenzicht.online.analysis.recruitment.intake import BadPost, RawPost, parse_post
from ketenzicht.online.workspace.recruitment import service

PLATFORM = r"^[a-z][a-z0-9_-]{1,39}$"


def import_posts(
    file: Annotated[Path, typer.Argument(help="JSON-lines export of public posts.",
                                         exists=True, dir_okay=False)],
    platform: Annotated[str, typer.Option(help="The platform the posts were exported from "
                                               "(telegram, snapchat, instagram, …).")],
    username: Annotated[str, typer.Option("--as", help="The account to act as (police, KMar "
                                                       "or labour inspectorate).")],
) -> None:
    """Store investigators' exports of public posts (JSON lines) for one platform."""
    if not re.match(PLATFORM, platform):
        typer.echo(f"error: {platform!r} is not a platform name (lower case, a-z 0-9 _ -)",
                   err=True)
        raise typer.Exit(2)
    context.new_request_id()
    factory = default_session_factory()
    with factory() as session:
        user = auth_service.find_user(session, username)
        if user is None:
            typer.echo(f"error: no account {username!r}", err=True)
            raise typer.Exit(2)
        actor = auth_service.actor_for(user, via="cli")
    posts: list[RawPost] = []
    bad = 0
    with file.open("rb") as fh:
        for lineno, raw in iter_lines(fh):
            try:
                post = parse_post(raw)
            except BadPost as exc:
                bad += 1
                typer.echo(f"line {lineno}: {exc}", err=True)
                continue
            if post is not None:
                posts.append(post)
    detector = load_detector()
    try:
        with unit_of_work(factory) as session:
            result = service.ingest(session, posts=posts, source=f"import:{platform}",
                                    platform=platform, detector=detector, actor=actor)
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(result.to_json() | {"bad_lines": bad}))
    if not posts:
        raise typer.Exit(1)


def purge() -> None:
    """Delete recruitment posts past the retention period that no signal used."""
    settings = get_settings()
    with unit_of_work(default_session_factory()) as session:
        counts = service.purge(session, retention_days=settings.online_recruitment_retention_days)
    typer.echo(json.dumps(counts))
