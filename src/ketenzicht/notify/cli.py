"""``ketenzicht notify``: deliver the e-mail outbox over SMTP."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ketenzicht.config import get_settings
from ketenzicht.core import context
from ketenzicht.db.session import default_session_factory, unit_of_work
from ketenzicht.notify import delivery, service

app = typer.Typer(help="Notifications: deliver queued e-mail.", no_args_is_help=True)


@app.command("deliver")
def deliver(
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Most mails to try.")] = 500,
) -> None:
    """Send queued notification e-mails to KZ_SMTP_URL (run from cron, e.g. every minute)."""
    context.new_request_id()
    settings = get_settings()
    factory = default_session_factory(settings)
    url = settings.smtp_url.get_secret_value()
    if not url:
        with unit_of_work(factory) as session:
            waiting = service.queued_count(session)
        typer.echo(f"KZ_SMTP_URL is not set: {waiting} e-mail(s) stay queued in the outbox.")
        return
    try:
        config = delivery.parse_smtp_url(url)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        with delivery.smtp_transport(config) as transport, unit_of_work(factory) as session:
            counts = delivery.deliver(session, transport=transport, sender=settings.smtp_from,
                                      max_attempts=settings.notify_max_attempts, limit=limit)
    except OSError as exc:
        typer.echo(f"error: cannot reach the SMTP server ({exc}); mail stays queued", err=True)
        raise typer.Exit(1) from exc
    typer.echo(json.dumps(counts))
