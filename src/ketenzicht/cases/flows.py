"""Opening a case from signals: reads the signals domain, writes the cases domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service, visibility
from ketenzicht.cases.enums import FieldCategory, PersonRole
from ketenzicht.cases.models import Case
from ketenzicht.cases.schemas import CaseCreate, CaseFromSignals, PersonCreate
from ketenzicht.signals import service as signals


def open_from_signals(session: Session, *, actor: Actor, data: CaseFromSignals) -> Case:
    """Open a case from signals the actor may see; their persons become presumed victims."""
    found = [signals.get_signal(session, actor=actor, signal_id=i)
             for i in dict.fromkeys(data.signal_ids)]
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
                             signal_ids=[s.id for s in found])
    # A care professional's observations stay care or medical details, whoever opens the
    # case from them (the opener reads them in the signal, not every partner in the case).
    orgs = auth_service.directory(session)
    if data.summary_category is None and any(
            s.seen and s.owner_org_id in orgs
            and visibility.DEFAULT_FOR.get(orgs[s.owner_org_id].org_type) is FieldCategory.CARE
            for s in found):
        case.summary_category = FieldCategory.CARE
    return case
