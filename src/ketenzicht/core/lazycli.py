"""Command groups whose sub-commands are imported on first use (Click's lazy loading).

``ketenzicht --help`` lists every command from its :class:`~ketenzicht.core.manifest.CliCommand`
(name and help line) without importing one; ``ketenzicht estimate`` imports the estimator
and no web app, ORM or linkage library (issue 25); ``ketenzicht online extract`` imports the
extraction pipeline only (issue 16). Typer sits on Click, so the group is a
:class:`typer.core.TyperGroup` whose ``get_command`` resolves a dotted path the first time a
command is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import typer
import typer.core
import typer.main

# Typer (0.29) carries its own copy of Click; its groups and commands are of that copy.
from typer import _click as click

from ketenzicht.core.manifest import CliCommand, resolve


def to_click(name: str, target: Any) -> click.Command:
    """The Click command that ``add_typer(target, name=name)`` (for a Typer app) or
    ``command(name)(target)`` (for a function) would have registered."""
    if isinstance(target, click.Command):
        return target
    outer = typer.Typer()
    if isinstance(target, typer.Typer):
        outer.add_typer(target, name=name)
    else:
        outer.command(name)(target)
        # A lone command is returned as such; give it a sibling to get the group back.
        outer.command("_")(lambda: None)
    group = typer.main.get_command(outer)
    assert isinstance(group, typer.core.TyperGroup)
    command = group.commands[name]
    return command


class LazyGroup(typer.core.TyperGroup):
    """A group that imports each lazy sub-command only when it is run or its help is asked.

    Subclasses set :attr:`lazy` (see :func:`lazy_group`); commands registered on the Typer
    app itself (``@app.command()``) are eager as usual and listed first.
    """

    lazy: ClassVar[tuple[CliCommand, ...]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False

    def _entries(self) -> dict[str, CliCommand]:
        return {entry.name: entry for entry in self.lazy}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Eager commands in their order, then the lazy ones in theirs."""
        eager = list(super().list_commands(ctx))
        return eager + [name for name in self._entries() if name not in eager]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, imported now; while listing, a stand-in that carries its help."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        entry = self._entries().get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            return typer.core.TyperCommand(entry.name, help=entry.help,
                                           short_help=entry.help)
        command = to_click(entry.name, resolve(entry.target))
        self.add_command(command, entry.name)
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Print the help with each lazy command's declared line: nothing is imported."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(commands: Iterable[CliCommand]) -> type[LazyGroup]:
    """A :class:`LazyGroup` class for ``typer.Typer(cls=...)`` holding ``commands``."""
    entries = tuple(commands)
    names = [entry.name for entry in entries]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"commands declared twice: {duplicates}")
    return type("LazyCommands", (LazyGroup,), {"lazy": entries})
