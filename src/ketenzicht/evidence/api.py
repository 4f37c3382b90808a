"""JSON routes of the evidence domain under /api/v1/cases/{case_id}/evidence."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import Response

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.evidence import framework, reads, service
from ketenzicht.evidence.schemas import (
    ChargesIn,
    ItemCreate,
    ItemRead,
    ItemUpload,
    LinkCreate,
    LinkRead,
    MatrixRead,
    SettingIn,
    WageCheckIn,
    WageCheckRead,
)
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require

router = APIRouter(prefix="/cases/{case_id}/evidence", tags=["evidence"])

Viewer = Annotated[Actor, Depends(require("evidence.view"))]
Adder = Annotated[Actor, Depends(require("evidence.add"))]
Prosecutor = Annotated[Actor, Depends(require("evidence.charge"))]
NOT_BASE64 = N_("The content is not valid base64.")


@router.get("/items", response_model=list[ItemRead])
def list_items(session: SessionDep, case_id: PathId, actor: Viewer) -> list[ItemRead]:
    """The evidence items of a case you may see."""
    return [reads.item_read(i) for i in service.list_items(session, actor=actor, case_id=case_id)]


@router.post("/items", response_model=ItemRead, status_code=status.HTTP_201_CREATED)
def add_item(session: SessionDep, settings: SettingsDep, case_id: PathId, data: ItemUpload,
             actor: Adder) -> ItemRead:
    """Add an item; its content is stored under its SHA-256."""
    # Refuse an oversized body before decoding it (base64 is 4/3 of the bytes).
    if len(data.content_base64) > settings.evidence_max_upload_bytes * 4 // 3 + 4:
        raise ValidationFailed(service.TOO_LARGE,
                               mb=service.megabytes(settings.evidence_max_upload_bytes))
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(NOT_BASE64) from None
    meta = ItemCreate.model_validate(data.model_dump(exclude={"content_base64"}))
    item = service.add_item(session, actor=actor, case_id=case_id, data=meta, content=content,
                            settings=settings)
    return reads.item_read(item)


@router.get("/items/{item_id}", response_model=ItemRead)
def get_item(session: SessionDep, case_id: PathId, item_id: PathId, actor: Viewer) -> ItemRead:
    """One item: its chain of custody and links."""
    return reads.item_read(service.get_item(session, actor=actor, case_id=case_id, item_id=item_id))


@router.get("/items/{item_id}/content")
def content(session: SessionDep, settings: SettingsDep, case_id: PathId, item_id: PathId,
            actor: Viewer) -> Response:
    """The item's bytes, as a download that no browser will render or run."""
    item, data = service.item_content(session, actor=actor, case_id=case_id, item_id=item_id,
                                      settings=settings)
    return reads.attachment(data, f"item-{item.id}-{item.sha256[:12]}.bin")


@router.post("/items/{item_id}/links", response_model=list[LinkRead],
             status_code=status.HTTP_201_CREATED)
def link(session: SessionDep, case_id: PathId, item_id: PathId, data: LinkCreate,
         actor: Adder) -> list[LinkRead]:
    """Let an item support an element for one or more suspects."""
    rows = service.link_item(session, actor=actor, case_id=case_id, item_id=item_id, data=data)
    return [LinkRead.model_validate(r) for r in rows]


@router.get("/matrix", response_model=list[MatrixRead])
def matrix(session: SessionDep, case_id: PathId, actor: Viewer,
           framework_key: Annotated[str | None, Query(alias="framework", max_length=64)] = None
           ) -> list[MatrixRead]:
    """Per suspect: elements × items, gaps, alternative sources and the advice."""
    if framework_key is not None and framework_key not in framework.load().frameworks:
        raise ValidationFailed(service.UNKNOWN_FRAMEWORK, key=framework_key)
    return reads.matrices(session, actor=actor, case_id=case_id, framework_key=framework_key)


@router.put("/charges", response_model=ChargesIn)
def put_charges(session: SessionDep, case_id: PathId, data: ChargesIn, actor: Prosecutor
                ) -> ChargesIn:
    """The public prosecutor chooses the sub-clauses of art. 273f charged against a suspect."""
    chosen = service.set_charges(session, actor=actor, case_id=case_id, data=data)
    return ChargesIn(suspect_id=data.suspect_id, subclauses=chosen)


@router.put("/setting", response_model=SettingIn)
def put_setting(session: SessionDep, case_id: PathId, data: SettingIn, actor: Adder
                ) -> SettingIn:
    """Choose the framework (law in force or bill 36 547) and whether the victim is a minor."""
    row = service.set_setting(session, actor=actor, case_id=case_id, data=data)
    return SettingIn(framework=row.framework, victim_minor=row.victim_minor)


@router.post("/wage-check", response_model=WageCheckRead)
def wage_check(session: SessionDep, settings: SettingsDep, case_id: PathId, data: WageCheckIn,
               actor: Viewer) -> WageCheckRead:
    """Check pay against the minimum wage; ``save`` keeps it as an evidence item."""
    return reads.wage_check(session, actor=actor, case_id=case_id, data=data,
                            settings=settings)
