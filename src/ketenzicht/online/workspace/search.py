"""Search networks and ads by phone (in any spelling), e-mail, handle, image, name or text.

A phone, e-mail or handle typed by the investigator goes through the same extraction stages
as the ads, so "06-123vier5678", "+31 6 1234 5678" and "zes een twee..." all find the
E.164 number the linker stored. An uploaded image is matched by perceptual hash (pHash,
Hamming distance), so a re-encoded or resized copy is still found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.auth.permissions import enforce
from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_
from ketenzicht.online import permissions as _permissions  # noqa: F401 - registers the grants
from ketenzicht.online.analysis.extraction.types import Ad
from ketenzicht.online.analysis.pipeline import Pipeline
from ketenzicht.online.collection.public import perceptual_hash
from ketenzicht.online.workspace import queries
from ketenzicht.online.workspace.networks.enums import IdentifierKind
from ketenzicht.online.workspace.networks.models import Network, NetworkAd, NetworkIdentifier

MAX_RESULTS = 100
# pHash distance at or below which two images count as the same photo: 64-bit hashes of
# re-encoded or resized copies differ in a few bits, different photos in about 32.
IMAGE_DISTANCE = 10
NOTHING_RECOGNISED = N_("No %(kind)s was recognised in '%(query)s'.")
NOT_AN_IMAGE = N_("The upload is not an image that can be read.")


class SearchKind(StrEnum):
    """What the query is."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    IMAGE = "image"
    NAME = "name"
    TEXT = "text"


@dataclass
class SearchResult:
    """Networks (of the latest linking run) and ads that match, and what was looked for."""

    kind: SearchKind
    query: str
    values: list[str] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    ads: list[NetworkAd] = field(default_factory=list)


_PIPELINE: list[Pipeline] = []


def _pipeline() -> Pipeline:
    if not _PIPELINE:
        _PIPELINE.append(Pipeline(["phones", "emails", "handles"]))
    return _PIPELINE[0]


def normalise(kind: SearchKind, query: str) -> list[str]:
    """The identifier values that the linker would have stored for ``query``."""
    if kind in (SearchKind.NAME, SearchKind.TEXT, SearchKind.IMAGE):
        return [query.strip()] if query.strip() else []
    result = _pipeline().run(Ad(id="search", text=query))
    if kind is SearchKind.PHONE:
        found = [p.e164 for p in result.phones]
        digits = "".join(ch for ch in query if ch.isdigit())
        if not found and query.strip().startswith("+") and len(digits) >= 8:
            found = [f"+{digits}"]  # a foreign number the validator does not know
        return list(dict.fromkeys(found))
    if kind is SearchKind.EMAIL:
        found = [e.value for e in result.emails]
        if not found and "@" in query:
            found = [query.strip().lower()]
        return list(dict.fromkeys(found))
    values: list[str] = []
    for handle in result.handles:
        platform = str(handle.get("platform") or "")
        values.extend([handle.value, f"{platform}:{handle.value}"] if platform
                      else [handle.value])
    bare = query.strip().lstrip("@").lower()
    if bare and " " not in bare:
        values.append(bare)
    return list(dict.fromkeys(values))


def _identifier_kind(kind: SearchKind) -> IdentifierKind:
    return IdentifierKind(kind.value)


def _hex(value: str) -> str | None:
    value = value.strip().lower()
    return value if 8 <= len(value) <= 64 and all(c in "0123456789abcdef" for c in value) else None


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes (a large number for malformed ones)."""
    try:
        return (int(a, 16) ^ int(b, 16)).bit_count()
    except ValueError:
        return 1 << 10


def search(session: Session, *, actor: Actor, kind: SearchKind, query: str = "",
           image: bytes | None = None) -> SearchResult:
    """Run one search over the latest linking run; the search itself is audited."""
    enforce(actor, "online.search")
    if kind is SearchKind.IMAGE:
        # An upload, or a hash as shown on a network page (the identifier's link).
        phash = perceptual_hash(image) if image else _hex(query)
        if phash is None:
            raise ValidationFailed(NOT_AN_IMAGE)
        result = SearchResult(kind, phash, [phash])
    else:
        query = query.strip()[:500]
        result = SearchResult(kind, query, normalise(kind, query))
        if not result.values:
            raise ValidationFailed(NOTHING_RECOGNISED, kind=kind.value, query=query[:80])
    run = queries.latest_run(session)
    if run is not None:
        _fill(session, result, run.id)
    audit.record(session, actor=actor, action="online.search", resource_type="online_network",
                 detail={"kind": kind.value, "values": result.values[:10],
                         "networks": [n.id for n in result.networks][:50]})
    return result


def _fill(session: Session, result: SearchResult, run_id: int) -> None:
    kind = result.kind
    if kind is SearchKind.IMAGE:
        rows = session.execute(select(NetworkIdentifier.value).join(
            Network, Network.id == NetworkIdentifier.network_id).where(
                Network.run_id == run_id, NetworkIdentifier.kind == IdentifierKind.IMAGE)
            .distinct())
        close = [v for (v,) in rows if hamming(v, result.values[0]) <= IMAGE_DISTANCE]
        result.networks = queries.networks_with(session, kind=IdentifierKind.IMAGE,
                                                values=close, run_id=run_id)
        return
    if kind in (SearchKind.PHONE, SearchKind.EMAIL, SearchKind.HANDLE):
        result.networks = queries.networks_with(session, kind=_identifier_kind(kind),
                                                values=result.values, run_id=run_id)
        return
    pattern = f"%{result.values[0]}%"
    column_filter = (NetworkAd.persona.ilike(pattern) if kind is SearchKind.NAME
                     else or_(NetworkAd.title.ilike(pattern), NetworkAd.text.ilike(pattern)))
    result.ads = list(session.scalars(
        select(NetworkAd).join(Network, Network.id == NetworkAd.network_id)
        .where(Network.run_id == run_id, column_filter)
        .order_by(NetworkAd.id.desc()).limit(MAX_RESULTS)))
    ids = list(dict.fromkeys(a.network_id for a in result.ads))
    if ids:
        result.networks = list(session.scalars(select(Network).where(Network.id.in_(ids))
                                               .order_by(Network.score.desc())))
