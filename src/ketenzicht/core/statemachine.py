"""State machines as tables: a status enum plus the set of allowed transitions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    """Allowed transitions of one status enum, declared as data."""

    name: str
    transitions: Mapping[S, frozenset[S]] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, name: str, pairs: Iterable[tuple[S, S]]) -> StateMachine[S]:
        """Build the table from ``(from, to)`` pairs."""
        table: dict[S, set[S]] = {}
        for source, target in pairs:
            table.setdefault(source, set()).add(target)
        return cls(name=name, transitions={k: frozenset(v) for k, v in table.items()})

    def allowed(self, source: S) -> frozenset[S]:
        """The statuses reachable from ``source`` in one step."""
        return self.transitions.get(source, frozenset())

    def check(self, source: S, target: S) -> None:
        """Raise ``ValidationFailed`` with the allowed targets when the step is not allowed."""
        if target not in self.allowed(source):
            options = ", ".join(sorted(str(s) for s in self.allowed(source))) or "none"
            raise ValidationFailed(
                N_("%(machine)s: transition %(source)s -> %(target)s is not allowed "
                   "(allowed: %(options)s)"),
                machine=self.name, source=source, target=target, options=options)
