"""Evidence items with their chain of custody, links to elements, settings and dossiers.

Every item belongs to a case, and the case decides access: only investigation partners
taking part in it (``evidence.*`` grants). A victim's statement is further limited to the
people named on it; for anyone else it does not exist (lists, matrix and dossier alike).
Items are never changed after they are added.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import REFUSED, authorize
from ketenzicht.auth.schemas import Actor
from ketenzicht.cases import service as cases_service
from ketenzicht.cases.enums import PersonRole
from ketenzicht.cases.service import Case, CasePerson
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import clock, formatting
from ketenzicht.core.errors import Conflict, Forbidden, ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.core.listing import ListQuery, ListSpec, Page, order, page_of
from ketenzicht.evidence import dossier, framework, store
from ketenzicht.evidence import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.evidence.enums import RESTRICTED_KINDS, ItemKind
from ketenzicht.evidence.models import EvidenceItem as EvidenceItem
from ketenzicht.evidence.models import EvidenceLink, EvidenceSetting
from ketenzicht.evidence.schemas import (
    CaptureCitation,
    ChargesIn,
    ItemCreate,
    LinkCreate,
    SettingIn,
)

TOO_LARGE = N_("The file is larger than the limit of %(mb)s MB; nothing was stored.")
EMPTY = N_("The file is empty; nothing was stored.")
MADE_BY_PLATFORM = N_("Items of kind '%(kind)s' are made by the platform (from a capture or "
                      "the wage check), not uploaded; nothing was stored.")
UNKNOWN_ELEMENT = N_("Unknown element '%(element)s'.")
UNKNOWN_FRAMEWORK = N_("Unknown legal framework '%(key)s'.")
UNKNOWN_SUBCLAUSE = N_("Sub-clause '%(key)s' is not in the framework '%(framework)s'.")
NOT_SUSPECT = N_("Person %(id)s is not a suspect in this case.")
NAMED_OUTSIDE = N_("Person %(id)s does not work at an investigating organisation taking "
                   "part in this case.")
ONLY_VICTIM = N_("Only a victim's statement can be restricted to named people.")
ALREADY_LINKED = N_("This item already supports that element for that suspect.")



def load_case(session: Session, *, actor: Actor, case_id: int,
              action: str = "evidence.view") -> Case:
    """A case whose evidence the actor may ``action``; refused alike when it does not exist."""
    return cases_service.load(session, actor=actor, case_id=case_id, action=action)


def suspects(case: Case) -> list[CasePerson]:
    """The suspects of a case (the matrix has a row set per suspect)."""
    return [p for p in case.persons if p.role is PersonRole.SUSPECT]


def may_see(item: EvidenceItem, actor: Actor) -> bool:
    """Whether the actor may see this item within a case they may see."""
    return item.kind not in RESTRICTED_KINDS or actor.user_id in item.restricted_to


def _items(session: Session, case_id: int) -> list[EvidenceItem]:
    return list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case_id)
                                .order_by(EvidenceItem.id)))


def visible_items(session: Session, *, actor: Actor, case: Case) -> list[EvidenceItem]:
    """The items of a case the actor may see (not audited: callers audit what they show)."""
    return [i for i in _items(session, case.id) if may_see(i, actor)]


ITEM_LINKED = ("yes", "no")


@lru_cache(maxsize=1)
def items_spec() -> ListSpec:
    """What the item list of a case may be filtered and sorted by; newest first."""
    return ListSpec(
        sorts={"added": (EvidenceItem.created_at, EvidenceItem.id),
               "obtained": (EvidenceItem.obtained_on, EvidenceItem.id),
               "title": (EvidenceItem.title, EvidenceItem.id)},
        default_sort="added", descending_by_default=frozenset({"added", "obtained"}),
        filters={"kind": frozenset(k.value for k in ItemKind),
                 "linked": frozenset(ITEM_LINKED), "q": None},
        per_page=25)


def page_items(session: Session, *, actor: Actor, case: Case, query: ListQuery,
               focus: int | None = None) -> Page[EvidenceItem]:
    """One page of a case's items the actor may see (not audited: the caller audits).

    Kind, words of the title or source, linked or not, and the order are said in SQL; who
    may see a victim's statement is a JSON list, so that check runs on the narrowed rows.
    ``focus``: an item id from the matrix; the page that holds it is shown.
    """
    f = query.filters
    stmt = select(EvidenceItem).where(EvidenceItem.case_id == case.id)
    if kind := f.get("kind"):
        stmt = stmt.where(EvidenceItem.kind == ItemKind(kind))
    linked = select(EvidenceLink.id).where(EvidenceLink.item_id == EvidenceItem.id).exists()
    if f.get("linked") == "yes":
        stmt = stmt.where(linked)
    elif f.get("linked") == "no":
        stmt = stmt.where(~linked)
    for word in (f.get("q") or "").split()[:8]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(EvidenceItem.title.ilike(pattern, escape="\\"),
                              EvidenceItem.source.ilike(pattern, escape="\\")))
    rows = [i for i in session.scalars(order(stmt, query, items_spec())) if may_see(i, actor)]
    if focus is not None:
        at = next((n for n, i in enumerate(rows) if i.id == focus), None)
        if at is not None:
            query = replace(query, page=at // query.per_page + 1)
    return page_of(rows, query)


def list_items(session: Session, *, actor: Actor, case_id: int) -> list[EvidenceItem]:
    """The items of a case the actor may see; the read is audited."""
    case = load_case(session, actor=actor, case_id=case_id)
    items = visible_items(session, actor=actor, case=case)
    audit.record_read(session, actor=actor, resource_type="evidence_item",
                      ids=[i.id for i in items])
    return items


def _item(session: Session, actor: Actor, case: Case, item_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, item_id)
    if item is None or item.case_id != case.id or not may_see(item, actor):
        raise Forbidden(REFUSED)
    return item


def get_item(session: Session, *, actor: Actor, case_id: int, item_id: int) -> EvidenceItem:
    """One item's description and links; the read is audited."""
    case = load_case(session, actor=actor, case_id=case_id)
    item = _item(session, actor, case, item_id)
    audit.record_read(session, actor=actor, resource_type="evidence_item", ids=[item.id])
    return item


def item_content(session: Session, *, actor: Actor, case_id: int, item_id: int,
                 settings: Settings | None = None) -> tuple[EvidenceItem, bytes]:
    """An item's stored bytes, checked against its hash; every download is audited."""
    case = load_case(session, actor=actor, case_id=case_id)
    item = _item(session, actor, case, item_id)
    data = store.get(store.root(settings or get_settings()), item.sha256)
    audit.record(session, actor=actor, action="download", resource_type="evidence_item",
                 resource_id=item.id, detail={"case": case.id, "sha256": item.sha256})
    return item, data


def _check_named(session: Session, actor: Actor, case: Case, user_ids: Sequence[int]) -> None:
    ref = cases_service.case_ref(case)
    for uid in user_ids:
        # Read as the person who names them: the audit log shows who looked the account up.
        user = auth_service.member(session, uid, actor=actor)
        if user is None:
            raise ValidationFailed(NAMED_OUTSIDE, id=uid)
        named = auth_service.actor_for(user)
        if not (user.is_active and authorize(named, "evidence.view", ref).allowed):
            raise ValidationFailed(NAMED_OUTSIDE, id=uid)


def nameable(session: Session, *, actor: Actor, case: Case, text: str
             ) -> list[tuple[int, str]]:
    """People who may be named on a victim's statement, found by name: (user id, label).

    The same scope as :func:`_check_named`: active people of the case's organisations who
    may see its evidence. Only the accounts found are read, audited under ``actor``.
    """
    ref = cases_service.case_ref(case)
    org_ids = sorted({*(ref.participant_org_ids), *([ref.owner_org_id] if ref.owner_org_id
                                                     else [])})
    found = auth_service.search_members(session, org_ids, text, actor=actor, limit=20)
    out: list[tuple[int, str]] = []
    for user in found:
        if user.id == actor.user_id:
            continue  # the one who adds a statement is always named on it
        if authorize(auth_service.actor_for(user), "evidence.view", ref).allowed:
            out.append((user.id, person_label(session, user)))
    return out[:10]


def person_label(session: Session, user: auth_service.User) -> str:
    """'Name (organisation)': how a page names a person."""
    org = auth_service.organisation(session, user.organisation_id)
    return f"{user.display_name} ({org.name})" if org else user.display_name


def people_names(session: Session, *, actor: Actor, user_ids: Sequence[int]
                 ) -> dict[int, str]:
    """Names of the people an evidence page mentions (who added, who may see), audited."""
    out: dict[int, str] = {}
    for uid in sorted(set(user_ids)):
        user = auth_service.member(session, uid, actor=actor)
        if user is not None:
            out[uid] = person_label(session, user)
    return out


def megabytes(limit: int) -> str:
    """A byte limit as MB for a message, in the reader's notation ("25", "0,5")."""
    return formatting.format_megabytes(limit)


def add_item(session: Session, *, actor: Actor, case_id: int, data: ItemCreate,
             content: bytes | BinaryIO, settings: Settings | None = None,
             facts: dict[str, object] | None = None, capture: CaptureCitation | None = None
             ) -> EvidenceItem:
    """Store the content under its SHA-256 and record the item with who added it.

    ``content`` is the bytes, or an open file (an upload, spooled to disk by the server)
    that is streamed into the store in chunks, never read whole into memory.
    """
    settings = settings or get_settings()
    limit = settings.evidence_max_upload_bytes
    case = load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    if isinstance(content, bytes):
        if len(content) > limit:
            raise ValidationFailed(TOO_LARGE, mb=megabytes(limit))
        if not content:
            raise ValidationFailed(EMPTY)
    # These kinds are made by the platform itself, with what proves them (the capture's WARC
    # record and hash, the wage check's computed facts); an upload may not claim them.
    if (data.kind is ItemKind.ONLINE_CAPTURE and capture is None) or (
            data.kind is ItemKind.WAGE_CHECK and facts is None):
        raise ValidationFailed(MADE_BY_PLATFORM, kind=str(data.kind))
    restricted: list[int] = []
    if data.kind in RESTRICTED_KINDS:
        restricted = sorted({actor.user_id, *data.restricted_to})
        _check_named(session, actor, case, [u for u in restricted if u != actor.user_id])
    elif data.restricted_to:
        raise ValidationFailed(ONLY_VICTIM)
    if isinstance(content, bytes):
        sha, size = store.put(store.root(settings), content), len(content)
    else:
        try:
            sha, size = store.put_stream(store.root(settings), content, limit=limit)
        except store.TooLarge:
            raise ValidationFailed(TOO_LARGE, mb=megabytes(limit)) from None
        if size == 0:
            raise ValidationFailed(EMPTY)
    item = EvidenceItem(
        case_id=case.id, kind=data.kind, title=data.title, source=data.source,
        obtained_on=data.obtained_on, added_by_user_id=actor.user_id,
        added_by_org_id=actor.organisation_id, sha256=sha, size=size,
        filename=data.filename, note=data.note, restricted_to=restricted,
        facts=dict(facts or {}),
        capture_id=capture.capture_id if capture else None,
        warc_record_id=capture.warc_record_id if capture else None,
        capture_sha256=capture.sha256 if capture else None)
    session.add(item)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="evidence_item",
                 resource_id=item.id, detail={"case": case.id, "kind": str(item.kind),
                                              "sha256": sha, "size": item.size,
                                              "capture": item.capture_id})
    return item


def link_item(session: Session, *, actor: Actor, case_id: int, item_id: int,
              data: LinkCreate) -> list[EvidenceLink]:
    """Let an item support an element for suspects, with a strength and a note."""
    case = load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    item = _item(session, actor, case, item_id)
    if data.element not in framework.load().element_keys():
        raise ValidationFailed(UNKNOWN_ELEMENT, element=data.element)
    suspect_ids = {p.id for p in suspects(case)}
    for sid in data.suspect_ids:
        if sid not in suspect_ids:
            raise ValidationFailed(NOT_SUSPECT, id=sid)
    existing = {(lk.element, lk.suspect_id) for lk in item.links}
    if any((data.element, sid) in existing for sid in data.suspect_ids):
        raise Conflict(ALREADY_LINKED)
    rows = [EvidenceLink(item_id=item.id, element=data.element, suspect_id=sid,
                         strength=data.strength, note=data.note, added_by_user_id=actor.user_id)
            for sid in dict.fromkeys(data.suspect_ids)]
    item.links.extend(rows)
    session.flush()
    audit.record(session, actor=actor, action="link", resource_type="evidence_item",
                 resource_id=item.id, detail={"case": case.id, "element": data.element,
                                              "suspects": list(data.suspect_ids),
                                              "strength": str(data.strength)})
    return rows


def setting_of(session: Session, case_id: int) -> EvidenceSetting:
    """The case's evaluation setting (the framework in force and 'minor unknown' if unset)."""
    row = session.get(EvidenceSetting, case_id)
    return row or EvidenceSetting(case_id=case_id, framework=framework.DEFAULT_FRAMEWORK,
                                  victim_minor=None, charged={})


def charged_of(setting: EvidenceSetting, suspect_id: int) -> list[str]:
    """The sub-clauses charged against one suspect, in the framework's order."""
    return list((setting.charged or {}).get(str(suspect_id), []))


def set_charges(session: Session, *, actor: Actor, case_id: int, data: ChargesIn
                ) -> list[str]:
    """The prosecutor's choice of sub-clauses for one suspect, under the case's framework."""
    case = load_case(session, actor=actor, case_id=case_id, action="evidence.charge")
    if data.suspect_id not in {p.id for p in suspects(case)}:
        raise ValidationFailed(NOT_SUSPECT, id=data.suspect_id)
    row = session.get(EvidenceSetting, case.id)
    if row is None:
        row = EvidenceSetting(case_id=case.id, framework=framework.DEFAULT_FRAMEWORK,
                              victim_minor=None, charged={})
        session.add(row)
    keys = [s.key for s in framework.load().frameworks[row.framework].subclauses]
    unknown = [s for s in data.subclauses if s not in keys]
    if unknown:
        raise ValidationFailed(UNKNOWN_SUBCLAUSE, key=unknown[0], framework=row.framework)
    chosen = [k for k in keys if k in set(data.subclauses)]
    # A new dict, so that the JSON column's change is seen and written.
    row.charged = {**(row.charged or {}), str(data.suspect_id): chosen}
    session.flush()
    audit.record(session, actor=actor, action="evidence_charges", resource_type="case",
                 resource_id=case.id, detail={"suspect_id": data.suspect_id,
                                              "subclauses": chosen})
    return chosen


def set_setting(session: Session, *, actor: Actor, case_id: int, data: SettingIn
                ) -> EvidenceSetting:
    """Choose the framework to evaluate under and say whether the victim is a minor."""
    case = load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    if data.framework not in framework.load().frameworks:
        raise ValidationFailed(UNKNOWN_FRAMEWORK, key=data.framework)
    row = session.get(EvidenceSetting, case.id)
    if row is None:
        row = EvidenceSetting(case_id=case.id, framework=data.framework,
                              victim_minor=data.victim_minor)
        session.add(row)
    else:
        row.framework, row.victim_minor = data.framework, data.victim_minor
    session.flush()
    audit.record(session, actor=actor, action="evidence_setting", resource_type="case",
                 resource_id=case.id, detail={"framework": data.framework,
                                              "victim_minor": data.victim_minor})
    return row


def add_online_items(session: Session, *, actor: Actor, case_id: int,
                     captures: Sequence[CaptureCitation], report: bytes, report_name: str,
                     note: str) -> list[EvidenceItem]:
    """Add an online network report plus one item per cited capture to a case's evidence.

    The caller (``online``) looks the captures up: evidence knows a capture only by the
    citation it is handed, so it never imports the crawler.
    """
    load_case(session, actor=actor, case_id=case_id, action="evidence.add")
    captures = list({c.capture_id: c for c in captures}.values())
    today = clock.now().date()
    name = report_name[:200] or "netwerkrapport"
    items = [add_item(session, actor=actor, case_id=case_id, content=report, data=ItemCreate(
        kind=ItemKind.DOCUMENT, title=f"Online netwerkrapport: {name}"[:200],
        source="Ketenzicht online-werkruimte", obtained_on=today, filename=name,
        note=note[:5000]))]
    for c in captures:
        # The stored content is the capture's citation; the page itself stays in its WARC
        # file, whose payload hash is kept here so that a replay can be checked against it.
        cite = json.dumps({"capture_id": c.capture_id, "url": c.url, "captured_at": c.captured_at
                           .isoformat(), "warc_file": c.warc_file, "warc_offset": c.warc_offset,
                           "warc_record_id": c.warc_record_id, "sha256": c.sha256},
                          sort_keys=True).encode()
        items.append(add_item(session, actor=actor, case_id=case_id, content=cite,
                              capture=c, data=ItemCreate(
                                  kind=ItemKind.ONLINE_CAPTURE,
                                  title=f"Capture {c.capture_id}: {c.url}"[:200],
                                  source=f"Crawl, WARC {c.warc_record_id}"[:300],
                                  obtained_on=c.captured_at.date(),
                                  filename=f"capture-{c.capture_id}.json", note=note[:5000])))
    return items


def verify_dossier(data: bytes, *, public_keys: Sequence[Ed25519PublicKey],
                   settings: Settings | None = None, tsa_cert: bytes | None = None
                   ) -> dossier.Verification:
    """Check a dossier ZIP against published keys (and, for format 1, the server's HMAC key).

    Reads and changes nothing stored. Without ``settings`` no secret is used at all: what
    a court or the defence runs with only the organisation's public key.
    """
    return dossier.verify_zip(data, public_keys=public_keys, tsa_cert=tsa_cert,
                              hmac_key=dossier.signing_key(settings) if settings else None)
