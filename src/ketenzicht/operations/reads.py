"""Read shapes of operations for the API and the pages."""

from __future__ import annotations

from ketenzicht.core import clock
from ketenzicht.core.i18n import gettext
from ketenzicht.operations import service
from ketenzicht.operations.models import Operation, Persona
from ketenzicht.operations.schemas import OperationRead, PersonaRead, VersionRead


def blocked_text(op: Operation) -> str | None:
    """Why nothing can be done as the decoy now, in the reader's language; None if in force."""
    reason = service.blocked(op, acting=True)
    if reason is None:
        return None
    template, params = reason
    translated = gettext(template)
    return translated % params if params else translated


def operation_read(op: Operation) -> OperationRead:
    """An operation with its versions and whether it is in force now."""
    now = clock.now()
    return OperationRead(
        id=op.id, title=op.title, status=op.status,
        effective_status=service.effective_status(op, now), in_force=service.in_force(op, now),
        blocked_reason=blocked_text(op), owner_org_id=op.owner_org_id,
        drafted_by_user_id=op.drafted_by_user_id, prosecutor_user_id=op.prosecutor_user_id,
        case_id=op.case_id, version=op.version, draft=op.draft,
        versions=[VersionRead.model_validate(v) for v in op.versions])


def persona_read(p: Persona) -> PersonaRead:
    """A persona with its images' hashes and provenance (never the bytes)."""
    return PersonaRead(id=p.id, operation_id=p.operation_id, name=p.name,
                       stated_age=p.stated_age, description=p.description,
                       handles=p.handles,
                       images=[{"id": i.id, "sha256": i.sha256, "size": i.size,
                                "provenance": str(i.provenance), "note": i.note}
                               for i in p.images])
