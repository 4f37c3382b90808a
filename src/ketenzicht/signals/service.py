"""Intake, reading and drafts of signals; routings are in ``inbox``, the export in ``export``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, String, Subquery, cast, func, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.permissions import (
    REFUSED,
    Resource,
    ResourceRef,
    authorize,
    enforce,
    where_allowed,
)
from ketenzicht.auth.schemas import Actor
from ketenzicht.core import clock
from ketenzicht.core.errors import Forbidden, TooManyAttempts, ValidationFailed
from ketenzicht.core.i18n import N_, get_locale, gettext
from ketenzicht.core.listing import ListQuery, ListSpec, Page, paginate
from ketenzicht.db.types import utc_year
from ketenzicht.signals import export, inbox, linkage
from ketenzicht.signals import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.signals import routing as routing_table
from ketenzicht.signals.catalogue import catalogue
from ketenzicht.signals.chain import chain
from ketenzicht.signals.enums import (
    MINOR_BANDS,
    AgeBand,
    ExploitationForm,
    LinkKind,
    SignalStatus,
)
from ketenzicht.signals.explain import explanation, headline
from ketenzicht.signals.links import KIND_NAMES, link_signal
from ketenzicht.signals.links import explain as explain_link
from ketenzicht.signals.models import Signal as Signal
from ketenzicht.signals.models import SignalDraft, SignalKey, SignalLink, SignalRoute
from ketenzicht.signals.routed import ANONYMISED, anonymised_for, route_signal
from ketenzicht.signals.routed import route_read as route_read  # the face reads routings
from ketenzicht.signals.schemas import (
    ContactRead,
    DraftSummary,
    EmergencyRead,
    EncodingsWrite,
    LinkMatch,
    LinkOrganisation,
    LinkRead,
    RegistrationRow,
    RouteWorklist,
    SignalCreate,
    SignalRead,
    SignalSummary,
    WorkRoute,
)
from ketenzicht.signals.screening import ScreeningInput, screen

if TYPE_CHECKING:
    from ketenzicht.auth.service import Organisation

LINK_FIELDS = (("pseudonym", LinkKind.PERSON), ("employer", LinkKind.EMPLOYER),
               ("address", LinkKind.ADDRESS), ("phone", LinkKind.PHONE),
               ("vehicle", LinkKind.VEHICLE))
IDENTIFYING = ("employer", "address", "phone", "vehicle")


# A signal belongs to its reporter and their organisation; the organisations it was
# routed to take part in it. One signal's page and the signal list both read this.
SIGNAL = Resource(kind="signal", owner_org=Signal.owner_org_id,
                  owner_user=Signal.reporter_user_id,
                  participants=((Signal.routes, SignalRoute.org_id),))


def signal_ref(signal: Signal) -> ResourceRef:
    """Authorisation facts of a signal: reporter, organisation and the organisations routed to."""
    return SIGNAL.ref(signal)


def band_of(age: int) -> AgeBand:
    """The registration age band of an age in years."""
    for limit, band in ((11, AgeBand.UNDER_12), (17, AgeBand.A12_17), (22, AgeBand.A18_22),
                        (29, AgeBand.A23_29), (49, AgeBand.A30_49)):
        if age <= limit:
            return band
    return AgeBand.A50_PLUS


def is_minor(age: int | None, band: AgeBand) -> bool | None:
    """True, False, or None when the age is unknown."""
    if age is not None:
        return age < 18
    if band is AgeBand.UNKNOWN:
        return None
    return band in MINOR_BANDS


def check_codes(indicators: list[str], items: list[str], control_methods: list[str]) -> None:
    """Refuse codes that are in none of the lists, naming them (422)."""
    unknown = catalogue().unknown_codes(indicators, items, control_methods)
    if unknown:
        raise ValidationFailed(N_("Unknown indicator or checklist codes: %(codes)s. "
                                  "GET /api/v1/signals/indicators lists the valid codes."),
                               codes=", ".join(unknown))


NO_FACT = N_("A signal needs at least one fact: a sign from the list, what you saw, or a "
             "place. Nothing was sent.")


def has_fact(data: SignalCreate) -> bool:
    """Whether the signal says anything a receiver could act on (issue 23: an empty form
    was once routed to three organisations, each with a deadline)."""
    return bool(data.indicators or data.checklist_items or data.control_methods
                or data.seen or data.place or data.region or data.address or data.employer
                or any(k.kind in (LinkKind.EMPLOYER, LinkKind.ADDRESS)
                       for k in data.encoded_keys))


def _check(data: SignalCreate) -> AgeBand:
    if not has_fact(data):
        raise ValidationFailed(NO_FACT)
    cat = catalogue()
    check_codes(data.indicators, data.checklist_items, data.control_methods)
    tbl = routing_table.table()
    if data.region is not None and data.region not in tbl.regions:
        raise ValidationFailed(N_("Unknown region '%(region)s'."), region=data.region)
    if data.recruiter_relation is not None and \
            data.recruiter_relation not in cat.recruiter_relations:
        raise ValidationFailed(N_("Unknown recruiter relation '%(value)s'."),
                               value=data.recruiter_relation)
    if data.sector_isic and data.sector_isic.isalpha() and \
            data.sector_isic not in cat.isic_sections:
        raise ValidationFailed(N_("Unknown ISIC section '%(value)s'."), value=data.sector_isic)
    band = data.age_band
    if data.age is not None:
        derived = band_of(data.age)
        if band not in (AgeBand.UNKNOWN, derived):
            raise ValidationFailed(N_("Age %(age)s does not fall in age band %(band)s."),
                                   age=data.age, band=band)
        band = derived
    return band


def check_rate(session: Session, *, actor: Actor, per_hour: int) -> None:
    """Refuse intake past ``per_hour`` signals by one account in the last hour."""
    since = clock.now() - timedelta(hours=1)
    recent = list(session.scalars(
        select(Signal.created_at).where(Signal.reporter_user_id == actor.user_id,
                                        Signal.created_at >= since)
        .order_by(Signal.created_at).limit(per_hour)))
    if len(recent) >= per_hour:
        wait = int((recent[0] + timedelta(hours=1) - clock.now()).total_seconds()) + 1
        raise TooManyAttempts(N_("You have reported %(n)s signals in the last hour. Wait "
                                 "%(seconds)s seconds, or call CoMensha if this is urgent."),
                              retry_after=max(wait, 1), n=per_hour, seconds=max(wait, 1))


WITHHELD_RAW = N_("Your organisation does not share identities, so a name, employer, address, "
                  "phone number or licence plate must be encoded on your own device before it "
                  "is sent. They arrived unencoded and nothing was stored. Turn on encoding "
                  "with your organisation's linkage key, or leave these fields empty.")


def raw_identities(data: SignalCreate) -> list[str]:
    """The identifying fields that hold a raw value (a name, a number), in form order."""
    return [field for field, _kind in LINK_FIELDS if getattr(data, field)]


def check_withheld(data: SignalCreate) -> None:
    """Refuse raw identities from an organisation that withholds them (422, nothing stored).

    The server used to encode such values itself with a key derived from its own secret
    (issue 22 retired that): the operator saw every identity in transit and held the key.
    Now they are encoded at the source (``signals.pprl``; the intake page in the browser) and
    only ``encoded_keys`` may arrive.
    """
    if not data.share_identities and raw_identities(data):
        raise ValidationFailed(WITHHELD_RAW)


def _keys(signal: Signal, data: SignalCreate) -> list[SignalKey]:
    out = []
    if data.share_identities:
        # Shared identities are stored raw anyway; the server encodes them for linking among
        # themselves (key version NULL: its own key, never compared with the organisations').
        key = linkage.link_key()
        for field, kind in LINK_FIELDS:
            raw = getattr(data, field)
            if not raw:
                continue
            made = linkage.make_key(kind, raw, key=key, share=True)
            if made is not None:
                out.append(SignalKey(signal_id=signal.id, org_id=signal.owner_org_id,
                                     kind=kind, norm=made.norm,
                                     bloom=linkage.to_hex(made.bloom)))
    for encoded in data.encoded_keys:
        out.append(SignalKey(signal_id=signal.id, org_id=signal.owner_org_id,
                             kind=encoded.kind, norm=None, bloom=encoded.bloom,
                             key_version=encoded.key_version))
    return out


def create_signal(session: Session, *, data: SignalCreate, actor: Actor,
                  per_hour: int = 60) -> Signal:
    """Record a signal, screen it, route it and link it; one transaction, fully audited."""
    enforce(actor, "signal.create")
    check_withheld(data)
    band = _check(data)
    check_rate(session, actor=actor, per_hour=per_hour)
    now = clock.now()
    minor = is_minor(data.age, band)
    result = screen(ScreeningInput(
        form=data.form, minor=minor, nationality=data.nationality,
        acute_danger=data.acute_danger, indicators=tuple(data.indicators),
        items=tuple(data.checklist_items), control_methods=tuple(data.control_methods)),
        catalogue())
    shared = data.share_identities
    signal = Signal(
        reporter_user_id=actor.user_id, owner_org_id=actor.organisation_id, form=data.form,
        seen=data.seen, indicators=sorted(set(data.indicators)),
        checklist_items=sorted(set(data.checklist_items)),
        control_methods=sorted(set(data.control_methods)),
        recruiter_relation=data.recruiter_relation, place=data.place, region=data.region,
        sector_isic=data.sector_isic, acute_danger=data.acute_danger,
        share_identities=shared, pseudonym=data.pseudonym if shared else None,
        age=data.age, age_band=band, gender=data.gender, nationality=data.nationality,
        language=data.language, indicators_present=result.indicators_present,
        registration_consent=data.registration_consent,
        profile_met=result.met_count > 0, screening=result.to_dict(), created_at=now,
        **{f: getattr(data, f) if shared else None for f in IDENTIFYING})
    session.add(signal)
    route_signal(session, signal, auth_service.directory(session), minor=minor, now=now)
    session.flush()
    keys = _keys(signal, data)
    session.add_all(keys)
    session.flush()
    links = link_signal(session, signal, keys, now)
    if data.draft_id is not None:
        draft = session.get(SignalDraft, data.draft_id)
        if draft is not None and draft.owner_user_id == actor.user_id:
            session.delete(draft)
    session.flush()
    audit.record(session, actor=actor, action="create", resource_type="signal",
                 resource_id=signal.id,
                 detail={"form": str(signal.form), "routes": [r.org_id for r in signal.routes],
                         "rule": signal.routing_rule, "links": links,
                         "acute": signal.acute_danger})
    for route in signal.routes:  # each receiving organisation is told after the commit
        inbox.announce(session, route)
    return signal


def add_encodings(session: Session, *, actor: Actor, signal_id: int,
                  data: EncodingsWrite) -> Signal:
    """Attach encodings made at the source to one of the organisation's own signals, and link.

    Only the owning organisation encodes its records (it alone holds the raw values); keys
    of the same kind and key version are replaced, so sending again does not double them.
    """
    signal = get_signal(session, actor=actor, signal_id=signal_id)
    if signal.owner_org_id != actor.organisation_id:
        raise Forbidden(REFUSED)
    sent = {(k.kind, k.key_version) for k in data.encoded_keys}
    for old in session.scalars(select(SignalKey).where(SignalKey.signal_id == signal.id)):
        if (old.kind, old.key_version) in sent:
            session.delete(old)
    session.flush()
    keys = [SignalKey(signal_id=signal.id, org_id=signal.owner_org_id, kind=k.kind, norm=None,
                      bloom=k.bloom, key_version=k.key_version) for k in data.encoded_keys]
    session.add_all(keys)
    session.flush()
    links = link_signal(session, signal, keys, clock.now())
    audit.record(session, actor=actor, action="encode", resource_type="signal",
                 resource_id=signal.id,
                 detail={"kinds": sorted(str(k.kind) for k in data.encoded_keys),
                         "key_versions": sorted({k.key_version for k in data.encoded_keys}),
                         "links": links})
    return signal


def get_signal(session: Session, *, actor: Actor, signal_id: int) -> Signal:
    """One signal; refused alike whether it is out of scope or does not exist."""
    signal = session.get(Signal, signal_id)
    if signal is None:
        raise Forbidden(REFUSED)
    enforce(actor, "signal.view", signal_ref(signal))
    audit.record_read(session, actor=actor, resource_type="signal", ids=[signal.id])
    return signal


@lru_cache(maxsize=1)
def signals_spec() -> ListSpec:
    """What the signal list may be filtered and sorted by; newest first."""
    return ListSpec(
        sorts={"received": (Signal.created_at, Signal.id)}, default_sort="received",
        descending_by_default=frozenset({"received"}),
        filters={"form": frozenset(f.value for f in ExploitationForm),
                 "region": frozenset(routing_table.table().regions),
                 "status": frozenset(s.value for s in SignalStatus),
                 "acute": frozenset({"1"}), "mine": frozenset({"1"})})


def page_signals(session: Session, *, actor: Actor, query: ListQuery) -> Page[Signal]:
    """One page of the signals the actor may see, by the database; the page is audited."""
    enforce(actor, "signal.list")
    f = query.filters
    stmt = select(Signal).where(where_allowed(actor, "signal.view", SIGNAL))
    if form := f.get("form"):
        stmt = stmt.where(Signal.form == ExploitationForm(form))
    if region := f.get("region"):
        stmt = stmt.where(Signal.region == region)
    if status := f.get("status"):
        stmt = stmt.where(Signal.status == SignalStatus(status))
    if f.get("acute"):
        stmt = stmt.where(Signal.acute_danger.is_(True))
    if f.get("mine"):
        stmt = stmt.where(Signal.reporter_user_id == actor.user_id)
    page: Page[Signal] = paginate(session, stmt, query, signals_spec())
    audit.record_read(session, actor=actor, resource_type="signal",
                      ids=[s.id for s in page.items])
    return page


def list_signals(session: Session, *, actor: Actor, limit: int = 100) -> list[Signal]:
    """Signals the actor may see, newest first; the read is audited."""
    enforce(actor, "signal.list")
    stmt = (select(Signal).where(where_allowed(actor, "signal.view", SIGNAL))
            .order_by(Signal.id.desc()).limit(limit))
    signals = list(session.scalars(stmt))
    audit.record_read(session, actor=actor, resource_type="signal", ids=[s.id for s in signals])
    return signals


def count_recent(session: Session, *, since: datetime) -> int:
    """How many signals arrived since ``since`` (no personal data)."""
    return int(session.scalar(select(func.count()).select_from(Signal)
                              .where(Signal.created_at >= since)) or 0)


# -- reading shapes ------------------------------------------------------------------------


def links_of(session: Session, *, actor: Actor, signal: Signal,
             orgs: dict[int, Organisation]) -> list[LinkRead]:
    """Per kind, how many other signals from which organisations, and why they are linked.

    The reasons speak of agreement only (same nationality, similar name), never of the other
    signal's values; its content is shown only to those who may read it.
    """
    rows = session.execute(
        select(SignalLink, Signal).join(Signal, Signal.id == SignalLink.other_signal_id)
        .where(SignalLink.signal_id == signal.id).order_by(SignalLink.kind, Signal.id)).all()
    grouped: dict[LinkKind, list[tuple[SignalLink, Signal]]] = defaultdict(list)
    for link, other in rows:
        grouped[link.kind].append((link, other))
    out = []
    for kind, pairs in grouped.items():
        others = {o.id: o for _l, o in pairs}
        org_ids = sorted({o.owner_org_id for o in others.values()})
        accessible = [o.id for o in others.values()
                      if authorize(actor, "signal.view", signal_ref(o)).allowed]
        summary = gettext(N_("%(n)s other signals from %(orgs)s organisations concern this "
                             "%(kind)s.")) % {"n": len(others), "orgs": len(org_ids),
                                             "kind": gettext(KIND_NAMES[kind])}
        out.append(LinkRead(
            kind=kind, other_signals=len(others),
            organisations=[LinkOrganisation(id=i, name=orgs[i].name,
                                            org_type=str(orgs[i].org_type)) for i in org_ids],
            methods=sorted({str(link.method) for link, _o in pairs}),
            accessible_signal_ids=accessible, summary=summary,
            matches=[LinkMatch(organisation=orgs[o.owner_org_id].name,
                               signal_id=o.id if o.id in accessible else None,
                               probability=link.score, method=str(link.method),
                               reasons=explain_link(kind, link.evidence or []))
                     for link, o in pairs]))
    return out


def emergency(signal: Signal) -> EmergencyRead | None:
    """The emergency path for a signal with acute danger."""
    if not signal.acute_danger:
        return None
    tbl = routing_table.table()
    region = tbl.regions.get(signal.region or "")
    unit = (gettext(N_("Police unit %(region)s, via 0900-8844")) % {"region": region.text(
        get_locale())} if region else gettext(N_("Police, via 0900-8844")))
    police = chain().police.get(signal.region or "")
    contact = ContactRead(function=police.contact.function, phone=police.contact.phone,
                          channel=police.contact.channel) if police else None
    return EmergencyRead(call="112", police_unit=unit, contact=contact, message=gettext(
        N_("Acute danger: call 112 now. Then tell the police unit; this signal has been sent "
           "to them as well.")))


def read_model(session: Session, *, actor: Actor, signal: Signal) -> SignalRead:
    """The full read shape of a signal the actor may see."""
    orgs = auth_service.directory(session)
    cat = catalogue()
    result: dict[str, Any] = signal.screening
    fields = {k: getattr(signal, k) for k in SignalRead.model_fields
              if hasattr(signal, k) and k not in ("routes", "links", "screening")}
    hidden = anonymised_for(actor, signal)
    if hidden:
        fields |= dict.fromkeys(ANONYMISED, None) | {"seen": "", "place": ""}
    return SignalRead(
        **fields, emergency=emergency(signal), headline=headline(result), b8=result["b8"],
        explanation=explanation(result, cat), screening=result, anonymised=hidden,
        routes=[route_read(r, orgs) for r in signal.routes],
        links=[] if hidden else links_of(session, actor=actor, signal=signal, orgs=orgs))


def summary(signal: Signal, actor: Actor | None = None) -> SignalSummary:
    """A signal in a list; without its place for a reader informed without consent."""
    shape = SignalSummary.model_validate(signal, from_attributes=True)
    if actor is not None and anonymised_for(actor, signal):
        shape.place = ""
    return shape


# -- drafts ------------------------------------------------------------------------------


def save_draft(session: Session, *, actor: Actor, payload: dict[str, Any],
               draft_id: int | None = None) -> SignalDraft:
    """Keep what was typed; only its author can read it back."""
    enforce(actor, "signal.create")
    clean = {str(k)[:64]: v for k, v in payload.items() if k not in ("csrf_token",)}
    draft = None
    if draft_id is not None:
        draft = session.get(SignalDraft, draft_id)
        if draft is None or draft.owner_user_id != actor.user_id:
            raise Forbidden(REFUSED)
        draft.payload = clean
    else:
        draft = SignalDraft(owner_user_id=actor.user_id, owner_org_id=actor.organisation_id,
                            payload=clean)
        session.add(draft)
    session.flush()
    audit.record(session, actor=actor, action="save", resource_type="signal_draft",
                 resource_id=draft.id)
    return draft


def get_draft(session: Session, *, actor: Actor, draft_id: int) -> SignalDraft:
    """One of the actor's own drafts."""
    draft = session.get(SignalDraft, draft_id)
    if draft is None:
        raise Forbidden(REFUSED)
    enforce(actor, "signal.create", ResourceRef("signal_draft", draft.id, draft.owner_org_id,
                                                draft.owner_user_id))
    audit.record_read(session, actor=actor, resource_type="signal_draft", ids=[draft.id])
    return draft


# -- counts for the monitor (aggregates only: no row leaves this domain) --------------------


def count_by_year_form(session: Session) -> dict[tuple[int, str], int]:
    """Signals per UTC year and exploitation form, counted in SQL."""
    year = utc_year(Signal.created_at)
    return {(int(y), str(f)): int(n) for y, f, n in session.execute(
        select(year, Signal.form, func.count()).group_by(year, Signal.form))}


def registration_counts(session: Session, *, year: int | None
                        ) -> list[tuple[str, str, str, int, int]]:
    """Registered presumed victims (signals with indicators present), counted in SQL.

    One row per (form, age band, nationality or "unknown", owning organisation id) with
    its count; one UTC year, or every year when ``year`` is None.
    """
    nationality = func.coalesce(Signal.nationality, "unknown")
    query = (select(Signal.form, Signal.age_band, nationality, Signal.owner_org_id, func.count())
             .where(Signal.indicators_present.is_(True))
             .group_by(Signal.form, Signal.age_band, nationality, Signal.owner_org_id))
    if year is not None:
        query = query.where(utc_year(Signal.created_at) == year)
    return [(str(f), str(b), str(nat) or "unknown", int(org), int(n))
            for f, b, nat, org, n in session.execute(query)]


def years(session: Session) -> set[int]:
    """The UTC years in which signals were made."""
    return {int(y) for y in session.scalars(select(utc_year(Signal.created_at)).distinct())}


def form_of_signal() -> Subquery:
    """Each signal's exploitation form as text: columns ``id`` and ``form``.

    A subquery other domains join in SQL (cases count cases by their first signal's form)
    without naming this domain's tables.
    """
    return select(Signal.id.label("id"), cast(Signal.form, String(32)).label("form")).subquery()


def registration_export(session: Session, *, actor: Actor | None,
                        pseudonymised: bool) -> list[RegistrationRow]:
    """The registration export (see ``export.registration``); audited there."""
    return export.registration(session, actor=actor, pseudonymised=pseudonymised)


# -- a person's own drafts and the start page (issue 18) -----------------------------------


def _draft_summary(draft: SignalDraft) -> DraftSummary:
    payload = draft.payload or {}

    def text(key: str, size: int) -> str:
        value = payload.get(key)
        return str(value)[:size] if isinstance(value, str) else ""

    return DraftSummary(id=draft.id, updated_at=draft.updated_at, form=text("form", 32),
                        place=text("place", 200), seen=text("seen", 160))


def _my_drafts(actor: Actor) -> Select[SignalDraft]:
    return select(SignalDraft).where(SignalDraft.owner_user_id == actor.user_id)


def list_drafts(session: Session, *, actor: Actor, limit: int = 100) -> list[DraftSummary]:
    """The actor's own drafts, last changed first; only their author ever sees them."""
    enforce(actor, "signal.create")
    rows = list(session.scalars(_my_drafts(actor).order_by(SignalDraft.updated_at.desc(),
                                                           SignalDraft.id.desc()).limit(limit)))
    if rows:
        audit.record_read(session, actor=actor, resource_type="signal_draft",
                          ids=[d.id for d in rows])
    return [_draft_summary(d) for d in rows]


def worklist(session: Session, *, actor: Actor, limit: int = 5) -> RouteWorklist:
    """The signals part of the actor's start page: routings waiting for their organisation
    (most urgent first, counted) and how many drafts they left."""
    rows, open_total, overdue_total = inbox.worklist(session, actor=actor, limit=limit)
    now = clock.now()
    drafts = 0
    if authorize(actor, "signal.create").allowed:
        drafts = int(session.scalar(select(func.count()).select_from(
            _my_drafts(actor).subquery())) or 0)
    return RouteWorklist(
        routes=[WorkRoute(route_id=r.id, signal_id=r.signal_id, form=str(r.signal.form),
                          place=r.signal.place, acute_danger=r.signal.acute_danger,
                          deadline_at=r.deadline_at, overdue=r.deadline_at < now)
                for r in rows],
        open_total=open_total, overdue_total=overdue_total, drafts_total=drafts)
