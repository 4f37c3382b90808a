"""``ketenzicht cases``: the reminder and escalation job, and the process templates."""

from __future__ import annotations

import json

import typer

from ketenzicht.cases import escalation, service
from ketenzicht.cases.procedures import regional
from ketenzicht.cases.process import templates
from ketenzicht.core import clock
from ketenzicht.db.session import cli_unit_of_work

app = typer.Typer(help="Cases: reminders and escalations, process templates.",
                  no_args_is_help=True)


@app.command("escalate")
def escalate() -> None:
    """Remind and escalate overdue tasks and unanswered referrals (cron, e.g. every 15 min)."""
    with cli_unit_of_work() as session:
        counts = escalation.run(session)
        counts.update(regional.escalate(session, now=clock.now()))
    typer.echo(json.dumps(counts))


@app.command("remind")
def remind() -> None:
    """Remind coordinators of overdue tasks and escalate them (run from cron, e.g. hourly)."""
    with cli_unit_of_work() as session:
        counts = service.remind(session)
    typer.echo(json.dumps(counts))


@app.command("templates")
def templates_cmd() -> None:
    """Load and check the process templates; print their tasks and deadlines."""
    typer.echo(json.dumps({key: {"version": t.version, "tasks": [
        {"key": task.key, "owner_role": task.owner_role, "trigger": str(task.trigger),
         "due": vars(task.due), "escalate_after": vars(task.escalate_after),
         "regional_after": vars(task.regional_after) if task.regional_after else None}
        for task in t.tasks]} for key, t in templates().items()}, indent=2))
