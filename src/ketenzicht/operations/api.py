"""JSON routes of the operations domain under /api/v1/operations."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, status

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.formatting import format_megabytes
from ketenzicht.core.i18n import N_
from ketenzicht.operations import conversations, flows, personas, reads, service
from ketenzicht.operations.schemas import (
    ConversationCreate,
    ConversationRead,
    DraftUpdate,
    End,
    ExportIn,
    Extend,
    ImageUpload,
    ImportIn,
    MessageIn,
    MessageRead,
    OperationCreate,
    OperationRead,
    PersonaCreate,
    PersonaRead,
    VerifyRead,
)
from ketenzicht.signals.schemas import SignalCreate
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require

router = APIRouter(prefix="/operations", tags=["operations"])

Viewer = Annotated[Actor, Depends(require("operations.view"))]
Drafter = Annotated[Actor, Depends(require("operations.draft"))]
Operator = Annotated[Actor, Depends(require("operations.operate"))]
Issuer = Annotated[Actor, Depends(require("operations.issue"))]
NOT_BASE64 = N_("The content is not valid base64.")
_Conv = "/{operation_id}/conversations/{conversation_id}"


@router.get("", response_model=list[OperationRead])
def list_operations(session: SessionDep, actor: Viewer) -> list[OperationRead]:
    """The operations you are named on (nobody sees any other)."""
    return [reads.operation_read(o) for o in service.list_operations(session, actor=actor)]


@router.post("", response_model=OperationRead, status_code=status.HTTP_201_CREATED)
def create(session: SessionDep, data: OperationCreate, actor: Drafter) -> OperationRead:
    """Draft an operation and its order (a team leader)."""
    return reads.operation_read(service.create(session, actor=actor, data=data))


@router.get("/{operation_id}", response_model=OperationRead)
def get(session: SessionDep, operation_id: PathId, actor: Viewer) -> OperationRead:
    """One operation: its order, every version, and whether it is in force."""
    return reads.operation_read(service.get(session, actor=actor, operation_id=operation_id))


@router.put("/{operation_id}/draft", response_model=OperationRead)
def update_draft(session: SessionDep, operation_id: PathId, data: DraftUpdate,
                 actor: Drafter) -> OperationRead:
    """Change the draft order while it is a draft."""
    return reads.operation_read(service.update_draft(session, actor=actor,
                                                     operation_id=operation_id, data=data))


@router.post("/{operation_id}/issue", response_model=OperationRead)
def issue(session: SessionDep, operation_id: PathId, actor: Issuer) -> OperationRead:
    """Issue the written order (the named prosecutor)."""
    return reads.operation_read(service.issue(session, actor=actor, operation_id=operation_id))


@router.post("/{operation_id}/extend", response_model=OperationRead)
def extend(session: SessionDep, operation_id: PathId, data: Extend,
           actor: Issuer) -> OperationRead:
    """Extend the order: a new immutable version (the named prosecutor)."""
    return reads.operation_read(service.extend(session, actor=actor,
                                               operation_id=operation_id, data=data))


@router.post("/{operation_id}/end", response_model=OperationRead)
def end(session: SessionDep, operation_id: PathId, data: End, actor: Viewer) -> OperationRead:
    """End the order early (the prosecutor or the drafting team leader)."""
    return reads.operation_read(service.end(session, actor=actor, operation_id=operation_id,
                                            data=data))


@router.get("/{operation_id}/personas", response_model=list[PersonaRead])
def list_personas(session: SessionDep, operation_id: PathId, actor: Viewer
                  ) -> list[PersonaRead]:
    """The operation's personas."""
    op = service.get(session, actor=actor, operation_id=operation_id)
    return [reads.persona_read(p) for p in personas.of_operation(session, op)]


@router.post("/{operation_id}/personas", response_model=PersonaRead,
             status_code=status.HTTP_201_CREATED)
def create_persona(session: SessionDep, operation_id: PathId, data: PersonaCreate,
                   actor: Operator) -> PersonaRead:
    """Make a persona under the operation."""
    return reads.persona_read(personas.create(session, actor=actor, operation_id=operation_id,
                                              data=data))


@router.post("/{operation_id}/personas/{persona_id}/images", response_model=PersonaRead,
             status_code=status.HTTP_201_CREATED)
def add_image(session: SessionDep, settings: SettingsDep, operation_id: PathId,
              persona_id: PathId, data: ImageUpload, actor: Operator) -> PersonaRead:
    """Add an image (stored under its SHA-256, with its synthetic/licensed note)."""
    if len(data.content_base64) > personas.MAX_IMAGE * 4 // 3 + 4:
        raise ValidationFailed(personas.TOO_LARGE, mb=format_megabytes(personas.MAX_IMAGE))
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(NOT_BASE64) from None
    image = personas.add_image(session, actor=actor, operation_id=operation_id,
                               persona_id=persona_id, filename=data.filename,
                               provenance=data.provenance, note=data.note, content=content,
                               settings=settings)
    op = service.load(session, actor=actor, operation_id=operation_id)
    return reads.persona_read(personas.load(session, op, image.persona_id))


@router.get("/{operation_id}/conversations", response_model=list[ConversationRead])
def list_conversations(session: SessionDep, operation_id: PathId, actor: Viewer
                       ) -> list[ConversationRead]:
    """The operation's conversations with their chains' heads."""
    op = service.get(session, actor=actor, operation_id=operation_id)
    return [ConversationRead.model_validate(c) for c in conversations.of_operation(session, op)]


@router.post("/{operation_id}/conversations", response_model=ConversationRead,
             status_code=status.HTTP_201_CREATED)
def open_conversation(session: SessionDep, operation_id: PathId, data: ConversationCreate,
                      actor: Operator) -> ConversationRead:
    """Open a conversation of an allowed persona with one counterpart."""
    return ConversationRead.model_validate(conversations.open_conversation(
        session, actor=actor, operation_id=operation_id, data=data))


@router.get(f"{_Conv}/messages", response_model=list[MessageRead])
def list_messages(session: SessionDep, operation_id: PathId, conversation_id: PathId,
                  actor: Viewer) -> list[MessageRead]:
    """The conversation's messages in chain order, with the guard's checks."""
    _op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                   conversation_id=conversation_id)
    return [MessageRead.model_validate(m) for m in conversations.messages(session, conv)]


@router.post(f"{_Conv}/messages", response_model=MessageRead,
             status_code=status.HTTP_201_CREATED)
def record(session: SessionDep, settings: SettingsDep, operation_id: PathId,
           conversation_id: PathId, data: MessageIn, actor: Operator) -> MessageRead:
    """Record a message; a flagged decoy message is refused (409) without ``confirm_reason``."""
    return MessageRead.model_validate(conversations.record(
        session, actor=actor, operation_id=operation_id, conversation_id=conversation_id,
        data=data, settings=settings))


@router.post(f"{_Conv}/import", response_model=ConversationRead)
def import_export(session: SessionDep, operation_id: PathId, conversation_id: PathId,
                  data: ImportIn, actor: Operator) -> ConversationRead:
    """Append a JSON or CSV chat export, or a crawler's WARC capture (base64), all or nothing."""
    content: str | bytes = data.content
    if data.format == "warc":
        try:
            content = base64.b64decode(data.content, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(conversations.NOT_BASE64) from None
    conversations.import_export(session, actor=actor, operation_id=operation_id,
                                conversation_id=conversation_id, fmt=data.format,
                                content=content)
    _op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                   conversation_id=conversation_id)
    return ConversationRead.model_validate(conv)


@router.get(f"{_Conv}/verify", response_model=VerifyRead)
def verify(session: SessionDep, operation_id: PathId, conversation_id: PathId,
           actor: Viewer) -> VerifyRead:
    """Verify the conversation's hash chain; names the first message that breaks it."""
    result = conversations.verify(session, actor=actor, operation_id=operation_id,
                                  conversation_id=conversation_id)
    return VerifyRead(ok=result.ok, checked=result.checked,
                      first_broken_seq=result.first_broken_seq,
                      first_broken_id=result.first_broken_id, reason=result.reason)


@router.post(f"{_Conv}/export", response_model=ConversationRead)
def export(session: SessionDep, settings: SettingsDep, operation_id: PathId,
           conversation_id: PathId, data: ExportIn, actor: Operator) -> ConversationRead:
    """Add the conversation, with its chain, to a case's evidence."""
    flows.export_to_evidence(session, actor=actor, operation_id=operation_id,
                             conversation_id=conversation_id, case_id=data.case_id,
                             settings=settings)
    _op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                   conversation_id=conversation_id)
    return ConversationRead.model_validate(conv)


@router.post(f"{_Conv}/signal", response_model=ConversationRead)
def signal(session: SessionDep, operation_id: PathId, conversation_id: PathId,
           data: SignalCreate, actor: Operator) -> ConversationRead:
    """Report a signal that came out of the conversation."""
    flows.raise_signal(session, actor=actor, operation_id=operation_id,
                       conversation_id=conversation_id, data=data)
    _op, conv = conversations.load(session, actor=actor, operation_id=operation_id,
                                   conversation_id=conversation_id)
    return ConversationRead.model_validate(conv)
