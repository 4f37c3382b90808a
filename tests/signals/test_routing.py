"""The routing table: who answers, by when, with the version and rule recorded."""

from __future__ import annotations

from typing import Any

import pytest

from ketenzicht.signals.enums import ExploitationForm
from ketenzicht.signals.routing import RoutingTableError, decide, parse, table


@pytest.mark.parametrize(("form", "minor", "acute", "rule", "targets", "hours"), [
    ("labour", False, False, "labour", ["arbeidsinspectie"], 72),
    ("sexual", False, False, "sexual", ["politie"], 72),
    ("criminal", False, False, "criminal", ["politie"], 72),
    ("labour", True, False, "minor", ["politie", "gemeente"], 24),
    ("sexual", None, False, "minor", ["politie", "gemeente"], 24),  # in doubt: a minor
    ("labour", False, True, "acute-labour", ["politie", "arbeidsinspectie"], 2),
    ("sexual", True, True, "acute-minor", ["politie", "gemeente"], 2),
    ("sexual", False, True, "acute", ["politie"], 2),
    ("forced_marriage", False, False, "marriage", ["politie", "gemeente"], 72),
    ("unknown", False, False, "other", ["comensha"], 72),
])
def test_decide(form: str, minor: bool | None, acute: bool, rule: str, targets: list[str],
                hours: int) -> None:
    decision = decide(table(), form=ExploitationForm(form), minor=minor, acute=acute,
                      region="amsterdam")
    assert decision.rule_id == rule
    assert [t.org_type for t in decision.targets] == targets
    assert {t.deadline_hours for t in decision.targets} == {hours}
    assert decision.version == table().version
    # Care and shelter next to the investigation: the care coordinator, else CoMensha.
    assert decision.care_candidates[0] in ("gemeente", "comensha")


def _table(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": "t", "default_deadline_hours": 72, "units": {},
        "rules": [{"id": "all", "when": {}, "targets": ["comensha"]}],
        "care": {"targets": ["gemeente"], "deadline_hours": 120},
        "escalation": {"target": "comensha", "deadline_hours": 24}, "regions": {}}
    base.update(changes)
    return base


@pytest.mark.parametrize("rules", [
    [{"id": "x", "when": {"colour": "red"}, "targets": ["politie"]},
     {"id": "all", "when": {}, "targets": ["comensha"]}],
    [{"id": "x", "when": {"form": "piracy"}, "targets": ["politie"]},
     {"id": "all", "when": {}, "targets": ["comensha"]}],
    [{"id": "x", "when": {"form": "labour"}, "targets": ["politie"]}],
    [{"id": "x", "when": {}, "targets": []}],
])
def test_a_malformed_table_is_refused(rules: list[dict[str, Any]]) -> None:
    with pytest.raises(RoutingTableError):
        parse(_table(rules=rules))
