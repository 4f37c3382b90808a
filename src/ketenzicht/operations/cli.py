"""``ketenzicht operations``: the expiry job, chain verification, the legal frame."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ketenzicht.config import get_settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.operations import chain, frame, notices
from ketenzicht.operations.models import Conversation

app = typer.Typer(help="Undercover operations: expiry warnings, chain checks, legal frame.",
                  no_args_is_help=True)


@app.command("tick")
def tick() -> None:
    """Send the 7-day and 1-day expiry warnings and mark expired orders (cron or scheduler)."""
    factory = make_session_factory(make_engine(get_settings().database_url))
    with unit_of_work(factory) as session:
        counts = notices.warn_due(session)
    typer.echo(json.dumps(counts))


@app.command("verify")
def verify(conversation_id: Annotated[int, typer.Argument(min=1, help="Conversation id.")]
           ) -> None:
    """Verify one conversation's hash chain; exit 1 naming the first altered message."""
    factory = make_session_factory(make_engine(get_settings().database_url))
    with unit_of_work(factory) as session:
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            typer.echo(f"error: no conversation {conversation_id}", err=True)
            raise typer.Exit(2)
        result = chain.verify(session, conv)
    if result.ok:
        typer.echo(f"OK: conversation {conversation_id}: {result.checked} messages, unaltered.")
        return
    typer.echo(f"BROKEN: message {result.first_broken_seq} (id {result.first_broken_id}): "
               f"{result.reason}")
    raise typer.Exit(1)


@app.command("frame")
def show_frame() -> None:
    """Print the legal frame: each power, its article and its verification status."""
    law = frame.load()
    for p in law.powers.values():
        mark = " [NEEDS CHECK]" if p.needs_check else ""
        typer.echo(f"{p.key}\t{p.article}\t{p.title}{mark}")
    typer.echo(f"tallon\t{law.tallon['citation']}")
