"""Intake, access, inbox (accept, forward, escalate), linkage across organisations, export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.service import flush_pending
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import User
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict, Forbidden, TooManyAttempts, ValidationFailed
from ketenzicht.notify.models import Notification
from ketenzicht.signals import export, inbox, service
from ketenzicht.signals.enums import LinkKind, RouteStatus, SignalStatus
from ketenzicht.signals.schemas import RouteDecision, RouteForward, SignalCreate
from tests.factories.auth import UserFactory, actor
from tests.factories.signals import make_signal, make_withheld
from tests.stale import stale


@pytest.fixture
def chain(db: Session) -> dict[str, User]:
    """One account in each organisation type that takes part; the regional ones are those
    of the signals' region Den Haag (Westland: Veilig Thuis Haaglanden) in chain.yaml."""
    users = {}
    codes = {OrgType.POLITIE: "politie-den-haag", OrgType.GEMEENTE: "gemeente-den-haag",
             OrgType.COMENSHA: "comensha", OrgType.ARBEIDSINSPECTIE: "nla"}
    for org_type in (OrgType.ZORG, OrgType.POLITIE, OrgType.ARBEIDSINSPECTIE, OrgType.GEMEENTE,
                     OrgType.COMENSHA, OrgType.OPVANG, OrgType.RAPPORTEUR):
        extra = {"organisation__code": codes[org_type]} if org_type in codes else {}
        users[org_type.value] = UserFactory(organisation__org_type=org_type, **extra)
    users["veilig_thuis"] = UserFactory(organisation__org_type=OrgType.GEMEENTE,
                                        organisation__code="vt-haaglanden")
    users["politie_other"] = UserFactory(organisation__org_type=OrgType.POLITIE)
    db.flush()
    return users


def _audit(db: Session, action: str, resource_type: str) -> list[AuditEntry]:
    flush_pending(db)
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action,
                                                    AuditEntry.resource_type == resource_type)))


def _org_types(db: Session, signal: object) -> set[str]:
    orgs = auth_service.directory(db)
    return {str(orgs[r.org_id].org_type) for r in signal.routes}  # type: ignore[attr-defined]


def test_labour_signal_is_screened_routed_and_audited(db: Session,
                                                      chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"])
    assert signal.indicators_present and signal.profile_met
    assert signal.routing_rule == "labour+care+inform"
    # Investigation by the labour inspectorate, care by the municipality's care coordinator,
    # and CoMensha informed of a presumed victim.
    assert _org_types(db, signal) == {"arbeidsinspectie", "gemeente", "comensha"}
    assert {r.purpose for r in signal.routes} == {"investigate", "care", "inform"}
    assert signal.screening["b8"] == "offer"
    assert _audit(db, "create", "signal")[0].resource_id == str(signal.id)


def test_minor_goes_to_police_and_youth_protection(db: Session, chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"], form="sexual", age=15, indicators=["CR_VIOLENCE"])
    assert signal.routing_rule == "sexual+minor+minor-youth+inform"
    assert {r.org_id for r in signal.routes} == {
        chain["politie"].organisation_id, chain["veilig_thuis"].organisation_id,
        chain["comensha"].organisation_id}


def test_unknown_codes_get_a_clear_refusal(db: Session, chain: dict[str, User]) -> None:
    with pytest.raises(ValidationFailed, match="XX_NOPE"):
        make_signal(db, chain["zorg"], indicators=["XX_NOPE"])


def test_free_text_is_stored_as_given(db: Session, chain: dict[str, User]) -> None:
    text = "<script>alert('x')</script> & \"quotes\"\nregel twee"
    assert make_signal(db, chain["zorg"], seen=text).seen == text


def test_intake_is_rate_limited(db: Session, chain: dict[str, User]) -> None:
    data = SignalCreate(form="unknown", seen="Werkt elke dag tot laat.")  # type: ignore[arg-type]
    for _ in range(3):
        service.create_signal(db, data=data, actor=actor(chain["opvang"]), per_hour=3)
    with pytest.raises(TooManyAttempts) as caught:
        service.create_signal(db, data=data, actor=actor(chain["opvang"]), per_hour=3)
    assert caught.value.retry_after > 0


def test_reporter_routed_party_and_outsiders(db: Session, chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"])
    sid = signal.id
    assert service.get_signal(db, actor=actor(chain["zorg"]), signal_id=sid) is signal
    assert service.get_signal(db, actor=actor(chain["arbeidsinspectie"]), signal_id=sid)
    colleague = UserFactory(organisation=chain["zorg"].organisation, roles=(Role.MEDEWERKER,))
    for outsider in (chain["politie_other"], chain["opvang"], colleague):
        with pytest.raises(Forbidden):
            service.get_signal(db, actor=actor(outsider), signal_id=sid)
    with pytest.raises(Forbidden):  # a missing signal is refused the same way
        service.get_signal(db, actor=actor(chain["zorg"]), signal_id=987654)
    assert [s.id for s in service.list_signals(db, actor=actor(chain["opvang"]))] == []
    assert sid in [s.id for s in service.list_signals(db, actor=actor(chain["gemeente"]))]
    assert _audit(db, "read", "signal")


def test_inbox_accept_and_stale_version(db: Session, chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"])
    nla = actor(chain["arbeidsinspectie"])
    (route,) = inbox.list_inbox(db, actor=nla)
    assert route.signal_id == signal.id
    with pytest.raises(Forbidden):  # another organisation cannot decide for it
        inbox.accept(db, actor=actor(chain["politie"]), route_id=route.id,
                     data=RouteDecision(version=route.version))
    inbox.accept(db, actor=nla, route_id=route.id, data=RouteDecision(version=1))
    assert route.status is RouteStatus.ACCEPTED
    with pytest.raises(Conflict, match=stale(2, 1)):
        inbox.accept(db, actor=nla, route_id=route.id, data=RouteDecision(version=1))
    assert inbox.list_inbox(db, actor=nla) == []
    assert _audit(db, "accept", "signal_route")


def test_forward_needs_a_reason_and_a_handling_organisation(db: Session,
                                                            chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"])
    nla = actor(chain["arbeidsinspectie"])
    (route,) = inbox.list_inbox(db, actor=nla)
    with pytest.raises(ValidationFailed):
        inbox.forward(db, actor=nla, route_id=route.id, data=RouteForward(
            version=route.version, to_org_id=chain["opvang"].organisation_id, reason="opvang"))
    police = chain["politie"].organisation_id
    inbox.forward(db, actor=nla, route_id=route.id, data=RouteForward(
        version=route.version, to_org_id=police, reason="seksuele uitbuiting, niet arbeid"))
    assert route.status is RouteStatus.FORWARDED
    (moved,) = inbox.list_inbox(db, actor=actor(chain["politie"]))
    assert moved.signal_id == signal.id and moved.previous_route_id == route.id


def test_overdue_routings_escalate(db: Session, chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"])
    later = clock.now() + timedelta(hours=200)
    # Before the deadline nothing moves.
    assert inbox.escalate_due(db, clock.now() + timedelta(hours=1)) == 0
    with clock.frozen(later):
        assert inbox.escalate_due(db, later) == 2
        assert inbox.escalate_due(db, later) == 0  # idempotent
        escalated = [r for r in inbox.list_inbox(db, actor=actor(chain["comensha"]))
                     if r.previous_route_id is not None]  # not its own "inform" routing
        assert [r.signal_id for r in escalated] == [signal.id, signal.id]
        assert {r.purpose for r in escalated} == {"escalation"}
        # Escalation adds a party: the original organisations keep theirs, open.
        (kept,) = inbox.list_inbox(db, actor=actor(chain["arbeidsinspectie"]))
        assert kept.status is RouteStatus.OPEN and kept.escalated_at == later
    assert signal.status is SignalStatus.OPEN
    assert _audit(db, "escalate", "signal_route")
    db.commit()  # the notifications follow the commit
    # CoMensha's people hear of each, by number and link, without content.
    notes = list(db.scalars(select(Notification).where(
        Notification.user_id == chain["comensha"].id,
        Notification.kind == "signals.escalated")))
    assert len(notes) == 2
    for note in notes:
        assert note.link == f"/signals/{signal.id}" and str(signal.id) in note.subject
        assert signal.seen not in note.body


def test_signals_about_the_same_employer_link_across_organisations(
    db: Session, chain: dict[str, User]
) -> None:
    # Three organisations that withhold identities encode at the source with their shared key.
    first = make_withheld(db, chain["zorg"], employer="Kas Vers B.V.", pseudonym="Ion Popescu")
    make_withheld(db, chain["politie"], employer="kas vers", pseudonym="Popescu Ion")
    third = make_withheld(db, chain["opvang"], employer="KAS VERS BV", pseudonym="Mara Ionescu")
    assert third.employer is None and third.pseudonym is None  # not shared: not stored raw
    # A shared signal about it is encoded by the server under its own key: it links with
    # the other shared signals, never with encodings of the organisations' key.
    make_signal(db, chain["politie"], employer="Kas Vers", pseudonym="Ion Popescu")
    view = service.read_model(db, actor=actor(chain["zorg"]), signal=first)
    links = {link.kind: link for link in view.links}
    assert links[LinkKind.EMPLOYER].other_signals == 2
    assert len(links[LinkKind.EMPLOYER].organisations) == 2
    assert "bloom" in links[LinkKind.EMPLOYER].methods
    assert links[LinkKind.EMPLOYER].accessible_signal_ids == []  # count and contact only
    assert links[LinkKind.PERSON].other_signals == 1


def test_registration_export_and_its_pseudonymised_variant(db: Session,
                                                           chain: dict[str, User]) -> None:
    make_signal(db, chain["zorg"], pseudonym="Ion Popescu")
    make_signal(db, chain["politie"], pseudonym="Popescu Ion", form="sexual")
    make_signal(db, chain["opvang"], form="unknown", indicators=[], pseudonym=None)
    rows = export.registration(db, actor=actor(chain["comensha"]), pseudonymised=False)
    assert len(rows) == 2 and all(r.signal_id for r in rows)
    assert {r.reporting_org_type for r in rows} == {"zorg", "politie"}
    pseudo = export.registration(db, actor=actor(chain["rapporteur"]), pseudonymised=True)
    assert all(r.signal_id is None for r in pseudo)
    assert len({r.person_key for r in pseudo}) == 1  # the same person on two lists
    with pytest.raises(Forbidden):
        export.registration(db, actor=actor(chain["rapporteur"]), pseudonymised=False)
    assert "reporting_org_type" in export.to_csv(pseudo).splitlines()[0]
    assert _audit(db, "export", "signal")


def test_drafts_are_private_to_their_author(db: Session, chain: dict[str, User]) -> None:
    draft = service.save_draft(db, actor=actor(chain["zorg"]), payload={"seen": "half"})
    assert service.get_draft(db, actor=actor(chain["zorg"]), draft_id=draft.id).payload == {
        "seen": "half"}
    colleague = UserFactory(organisation=chain["zorg"].organisation)
    with pytest.raises(Forbidden):
        service.get_draft(db, actor=actor(colleague), draft_id=draft.id)


def test_reading_an_inbox_does_not_escalate(db: Session, chain: dict[str, User]) -> None:
    signal = make_signal(db, chain["zorg"])
    with clock.frozen(clock.now() + timedelta(hours=200)):
        routes = inbox.list_inbox(db, actor=actor(chain["arbeidsinspectie"]))
        assert [r.signal_id for r in routes] == [signal.id]
        assert all(r.status is RouteStatus.OPEN for r in signal.routes)
        assert [r.purpose for r in inbox.list_inbox(db, actor=actor(chain["comensha"]))] == [
            "inform"]  # informed at intake, nothing escalated
    assert not _audit(db, "escalate", "signal_route")
