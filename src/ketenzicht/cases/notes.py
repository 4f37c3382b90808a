"""Case notes per field category, and links from a case to other domains' records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import access, visibility
from ketenzicht.cases.enums import FieldCategory
from ketenzicht.cases.models import CaseLink, CaseNote
from ketenzicht.cases.schemas import LinkIn, NoteIn
from ketenzicht.cases.service import load
from ketenzicht.core import clock
from ketenzicht.core.errors import Conflict
from ketenzicht.core.i18n import N_

NOT_YOURS = access.NOT_YOURS


def add_note(session: Session, *, actor: Actor, case_id: int, data: NoteIn) -> CaseNote:
    """Write a note in a category the actor's organisation type works with."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    access.check_writable(session, actor=actor, case=case, category=data.category)
    row = CaseNote(case_id=case.id, category=data.category, text=data.text,
                   author_user_id=actor.user_id, author_org_id=actor.organisation_id,
                   at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="add_note", resource_type="case",
                 resource_id=case.id, detail={"note": row.id, "category": str(data.category)})
    return row


def notes_visible(session: Session, case_id: int, categories: frozenset[FieldCategory]
                  ) -> list[CaseNote]:
    """The notes of a case in ``categories``, oldest first."""
    if not categories:
        return []
    return list(session.scalars(select(CaseNote).where(
        CaseNote.case_id == case_id, CaseNote.category.in_(sorted(categories)))
        .order_by(CaseNote.id)))


def add_link(session: Session, *, actor: Actor, case_id: int, data: LinkIn) -> CaseLink:
    """Link the case to another domain's record (e.g. an online network) by its id."""
    case = load(session, actor=actor, case_id=case_id, action="case.update")
    access.check_writable(session, actor=actor, case=case,
                          category=visibility.LINK_CATEGORY[data.kind])
    if session.scalar(select(CaseLink.id).where(CaseLink.case_id == case.id,
                                                CaseLink.kind == data.kind,
                                                CaseLink.ref_id == data.ref_id)) is not None:
        raise Conflict(N_("The case is already linked to this record."))
    row = CaseLink(case_id=case.id, kind=data.kind, ref_id=data.ref_id, note=data.note,
                   created_by_user_id=actor.user_id, at=clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="add_link", resource_type="case",
                 resource_id=case.id, detail={"kind": str(data.kind), "ref": data.ref_id})
    return row


def links_visible(session: Session, case_id: int, categories: frozenset[FieldCategory]
                  ) -> list[CaseLink]:
    """The links of a case whose category the reader sees."""
    kinds = [k for k, c in visibility.LINK_CATEGORY.items() if c in categories]
    if not kinds:
        return []
    return list(session.scalars(select(CaseLink).where(CaseLink.case_id == case_id,
                                                       CaseLink.kind.in_(kinds))
                                .order_by(CaseLink.id)))


def cases_linked_to(session: Session, *, kind: str, ref_id: int) -> list[int]:
    """Ids of the cases linked to a record (for the domain that owns the record)."""
    return list(session.scalars(select(CaseLink.case_id).where(CaseLink.kind == kind,
                                                               CaseLink.ref_id == ref_id)))
