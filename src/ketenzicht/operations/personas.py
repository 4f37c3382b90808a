"""Personas (lokprofielen) of an operation and their images.

A persona is made under an operation that is not ended or expired; it acts (opens and
records conversations) only while an order that lists it is in force. Images are stored
under their SHA-256 with a note saying they are synthetic or licensed: never the photo of
a real person who has not agreed to it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import REFUSED
from ketenzicht.auth.schemas import Actor
from ketenzicht.config import Settings, get_settings
from ketenzicht.core.errors import Forbidden, ValidationFailed
from ketenzicht.core.formatting import format_megabytes
from ketenzicht.core.i18n import N_
from ketenzicht.operations import service, store
from ketenzicht.operations.models import Operation, Persona, PersonaImage
from ketenzicht.operations.schemas import PersonaCreate

MAX_IMAGE = 10 * 1024 * 1024
TOO_LARGE = N_("The image is larger than %(mb)s MB; nothing was stored.")
NOT_IMAGE = N_("Only PNG, JPEG or WebP images are accepted; nothing was stored.")
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF")


def of_operation(session: Session, op: Operation) -> list[Persona]:
    """The personas made under an operation."""
    return list(session.scalars(select(Persona).where(Persona.operation_id == op.id)
                                .order_by(Persona.id)))


def load(session: Session, op: Operation, persona_id: int) -> Persona:
    """One persona of this operation; refused alike when it belongs elsewhere."""
    persona = session.get(Persona, persona_id)
    if persona is None or persona.operation_id != op.id:
        raise Forbidden(REFUSED)
    return persona


def create(session: Session, *, actor: Actor, operation_id: int,
           data: PersonaCreate) -> Persona:
    """Make a persona under an operation that has not ended or expired."""
    op = service.load(session, actor=actor, operation_id=operation_id,
                      action="operations.operate")
    service.check_writable(op)
    persona = Persona(operation_id=op.id, name=data.name, stated_age=data.stated_age,
                      description=data.description, handles=dict(data.handles),
                      created_by_user_id=actor.user_id)
    session.add(persona)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="operation_persona",
                 resource_id=persona.id, detail={"operation": op.id})
    return persona


def add_image(session: Session, *, actor: Actor, operation_id: int, persona_id: int,
              filename: str, provenance: str, note: str, content: bytes,
              settings: Settings | None = None) -> PersonaImage:
    """Store an image of a persona under its SHA-256, with its provenance note."""
    op = service.load(session, actor=actor, operation_id=operation_id,
                      action="operations.operate")
    service.check_writable(op)
    persona = load(session, op, persona_id)
    if len(content) > MAX_IMAGE:
        raise ValidationFailed(TOO_LARGE, mb=format_megabytes(MAX_IMAGE))
    if not content.startswith(_MAGIC):
        raise ValidationFailed(NOT_IMAGE)
    sha = store.put(store.root(settings or get_settings()), content)
    image = PersonaImage(persona_id=persona.id, sha256=sha, size=len(content),
                         filename=filename, provenance=provenance, note=note,
                         added_by_user_id=actor.user_id)
    session.add(image)
    session.flush()
    session.refresh(persona, ["images"])
    audit.record(session, actor=actor, action="create", resource_type="operation_image",
                 resource_id=image.id, detail={"persona": persona.id, "sha256": sha})
    return image
