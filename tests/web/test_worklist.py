"""The start page is each person's worklist (issue 18): routed signals with deadlines, open
tasks by deadline, hand-overs to accept, coordinated cases, watchlist hits and expiring
emergency access; each a count, the first few, a link to the work, "nothing" in words
when empty, and only what the person may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.cases import coordination, emergency, service
from ketenzicht.cases.enums import CaseStatus
from ketenzicht.cases.schemas import EmergencyIn, HandoverIn, TaskAssign
from ketenzicht.core import clock
from ketenzicht.online.workspace.enums import WatchKind
from ketenzicht.online.workspace.models import Watch, WatchHit
from ketenzicht.signals.models import SignalRoute
from tests.cases.conftest import open_team_case
from tests.cases.conftest import team as team  # the fixture
from tests.factories.auth import OrganisationFactory, UserFactory, actor, login
from tests.factories.signals import make_signal


def _home(app: FastAPI, username: str) -> str:
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Accept-Language"] = "en"
    login(client, username)
    page = client.get("/")
    assert page.status_code == 200
    return page.text


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start:page.index("</section>", start)]


def test_an_empty_worklist_says_so_in_words(app: FastAPI, db: Session) -> None:
    user = UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE),
                       roles=(Role.MEDEWERKER,))
    db.flush()
    page = _home(app, user.username)
    assert "Signals routed to your organisation: 0" in page
    assert "No signals are waiting for your organisation." in page
    assert "No open tasks." in page and "No hand-over waits for your organisation." in page
    assert "Your organisation coordinates no open case." in page
    assert "No new hits on your watchlist." in page
    assert "You have no running emergency access." in page


def test_each_person_sees_their_own_work(app: FastAPI, db: Session,
                                         team: dict[str, Any]) -> None:
    o = team["orgs"]
    police_org = o[OrgType.POLITIE]
    case = open_team_case(db, team, title="Casus Lotus")
    task = service.tasks_of(db, case.id)[0]
    service.assign_task(db, actor=actor(team["coord"]), case_id=case.id, task_id=task.id,
                        data=TaskAssign(version=task.version, owner_org_id=police_org.id))
    coordination.propose_handover(db, actor=actor(team["coord"]), case_id=case.id,
                                  data=HandoverIn(to_org_id=police_org.id, reason="Opsporing"))
    signal = make_signal(db, team["care"], place="Heerlen")
    for route in list(signal.routes):
        db.delete(route)
    late = SignalRoute(signal_id=signal.id, org_id=police_org.id, purpose="investigate",
                       deadline_at=clock.now() - timedelta(hours=1))
    db.add(late)
    watch = Watch(owner_user_id=team["police"].id, owner_org_id=police_org.id,
                  kind=WatchKind.PHONE, value="+31612345678")
    db.add(watch)
    db.flush()
    db.add(WatchHit(watch_id=watch.id, ad_key="ad-1", title="Nieuwe massages Lotus",
                    city="Heerlen", matched="phone:+31612345678"))
    other = open_team_case(db, team, title="Casus Anders")
    emergency.break_glass(db, actor=actor(team["outsider"]), case_id=other.id,
                          data=EmergencyIn(reason="Slachtoffer acuut in gevaar, nu nodig"))
    db.flush()

    page = _home(app, team["police"].username)
    signals = _section(page, "worklist-signals")
    assert "Signals routed to your organisation: 1" in signals and "1 overdue" in signals
    assert f'href="/signals/{signal.id}"' in signals and "Heerlen" in signals
    assert 'href="/signals/inbox"' in signals
    tasks = _section(page, "worklist-tasks")
    assert "Open tasks of your organisation: 1" in tasks
    assert f'href="/cases/{case.id}#task-{task.id}"' in tasks and "Casus Lotus" in tasks
    handovers = _section(page, "worklist-handovers")
    assert "Hand-overs to accept: 1" in handovers and f'href="/cases/{case.id}' in handovers
    assert "Your organisation coordinates no open case." in page  # the gemeente does
    hits = _section(page, "worklist-hits")
    assert "Watchlist hits of the last week: 1" in hits and "Nieuwe massages Lotus" in hits

    # The gemeente coordinates both cases; the police routing and watch are not its own.
    page = _home(app, team["coord"].username)
    coordinated = _section(page, "worklist-coordinated")
    assert "Cases your organisation coordinates: 2" in coordinated
    assert f'href="/cases/{case.id}"' in coordinated
    assert "Heerlen" not in page and "Nieuwe massages Lotus" not in page
    assert "Hand-overs to accept: 0" in page

    # Another police organisation sees none of it, except its own emergency access.
    page = _home(app, team["outsider"].username)
    assert "Casus Lotus" not in page and "Heerlen" not in page
    assert "Nieuwe massages Lotus" not in page and "Signals routed to your organisation: 0" in page
    glass = _section(page, "worklist-emergency")
    assert "Your emergency access: 1" in glass and f'href="/cases/{other.id}"' in glass
    assert "Casus Anders" not in glass  # the case's title is not on the start page

    # Care workers have no inbox and no watchlist: those sections are not shown at all.
    page = _home(app, team["care"].username)
    assert 'id="worklist-signals"' not in page and 'id="worklist-hits"' not in page


def test_a_closed_case_leaves_the_worklist(app: FastAPI, db: Session,
                                           team: dict[str, Any]) -> None:
    case = open_team_case(db, team, title="Casus Dicht")
    case.status = CaseStatus.AFGESLOTEN
    db.flush()
    page = _home(app, team["coord"].username)
    assert "Casus Dicht" not in page
