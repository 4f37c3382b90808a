"""Opening a case from signals: reads the signals domain, writes the cases domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service, visibility
from ketenzicht.cases.enums import FieldCategory, PersonRole
from ketenzicht.cases.models import Case
from ketenzicht.cases.schemas import CaseCreate, CaseFromSignals, PersonCreate
from ketenzicht.core.errors import Conflict
from ketenzicht.core.i18n import N_
from ketenzicht.signals import service as signals

ALREADY_A_CASE = N_("A case was already opened from this signal (case %(ids)s). Look at it "
                    "first; open a second case only when your organisation needs one of its "
                    "own, and confirm that you do.")


def open_from_signals(session: Session, *, actor: Actor, data: CaseFromSignals) -> Case:
    """Open a case from signals the actor may see; their persons become presumed victims.

    A signal that already has a case is refused with 409 unless ``confirm_related``: two
    organisations should not work the same signal apart unknowingly. A confirmed second
    case is linked to the same signals, which is the relation both case pages show, and
    the audit entry names the cases it relates to.
    """
    found = [signals.get_signal(session, actor=actor, signal_id=i)
             for i in dict.fromkeys(data.signal_ids)]
    related = service.case_ids_of_signals(session, [s.id for s in found])
    if related and not data.confirm_related:
        raise Conflict(ALREADY_A_CASE, ids=", ".join(str(i) for i in related))
    persons = {}
    for s in found:
        if s.pseudonym and s.pseudonym not in persons:
            persons[s.pseudonym] = PersonCreate(
                role=PersonRole.PRESUMED_VICTIM, pseudonym=s.pseudonym,
                exploitation_form=str(s.form), nationality=s.nationality,
                locations=[s.place] if s.place else [],
                employers=[s.employer] if s.employer else [])
    create = CaseCreate(
        title=data.title, summary="\n\n".join(s.seen for s in found if s.seen)[:10_000],
        summary_category=data.summary_category,
        region=next((s.region for s in found if s.region), None),
        acute_danger=any(s.acute_danger for s in found), persons=list(persons.values()),
        participants=data.participants, template_key=data.template_key)
    case = service.open_case(session, data=create, actor=actor,
                             signal_ids=[s.id for s in found], related_case_ids=related)
    # A care professional's observations stay care or medical details, whoever opens the
    # case from them (the opener reads them in the signal, not every partner in the case).
    orgs = auth_service.directory(session)
    if data.summary_category is None and any(
            s.seen and s.owner_org_id in orgs
            and visibility.DEFAULT_FOR.get(orgs[s.owner_org_id].org_type) is FieldCategory.CARE
            for s in found):
        case.summary_category = FieldCategory.CARE
    return case
