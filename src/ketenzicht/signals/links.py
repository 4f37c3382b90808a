"""Linking a new signal to earlier ones, and saying in words why two signals are linked.

Person, employer and address are linked probabilistically (``matching``, splink); phone
numbers and plates, normalised to one notation, are linked when they are equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ketenzicht.audit import service as audit
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.signals import linkage, matching, notices
from ketenzicht.signals.enums import AgeBand, Gender, LinkKind, LinkMethod
from ketenzicht.signals.models import Signal, SignalKey, SignalLink

KIND_NAMES = {LinkKind.PERSON: N_("person"), LinkKind.EMPLOYER: N_("employer"),
              LinkKind.ADDRESS: N_("address"), LinkKind.PHONE: N_("phone number"),
              LinkKind.VEHICLE: N_("vehicle")}

# What each level of the identifying value means, for someone who cannot see the other value.
VALUE_TEXT = {
    "same": N_("%(kind)s: the same, once spelling, name order and notation are evened out."),
    "dice_90": N_("%(kind)s: nearly the same (a letter or two differs)."),
    "dice_80": N_("%(kind)s: similar, as with a typing error or another transliteration."),
    "dice_70": N_("%(kind)s: somewhat similar."),
}
# Finer levels of the model share the wording of the band they fall in.
VALUE_TEXT |= {"dice_95": VALUE_TEXT["dice_90"], "dice_875": VALUE_TEXT["dice_80"],
               "dice_85": VALUE_TEXT["dice_80"], "jw_97": VALUE_TEXT["dice_90"],
               "jw_95": VALUE_TEXT["dice_90"], "jw_92": VALUE_TEXT["dice_80"],
               "jw_90": VALUE_TEXT["dice_80"], "jw_85": VALUE_TEXT["dice_70"]}
# How common the agreeing value is in the register (splink's term-frequency adjustment).
FREQUENCY_TEXT = {
    "rare": N_("%(kind)s: rare in the register, so agreeing on it weighs more."),
    "common": N_("%(kind)s: common in the register (namesakes are likely), so agreeing on it "
                 "weighs less."),
}
CONTEXT_TEXT = {
    ("nationality", "same"): N_("Same nationality."),
    ("nationality", "different"): N_("Different nationality: this speaks against a match."),
    ("nationality", "unknown"): N_("Nationality is missing in one of the two signals."),
    ("gender", "same"): N_("Same gender."),
    ("gender", "different"): N_("Different gender: this speaks against a match."),
    ("gender", "unknown"): N_("Gender is missing in one of the two signals."),
    ("age_band", "same"): N_("Same age band."),
    ("age_band", "near"): N_("Neighbouring age band: this speaks a little against a match, "
                             "but an age is often guessed."),
    ("age_band", "different"): N_("Different age band: this speaks against a match, unless "
                                  "an age was guessed."),
    ("age_band", "unknown"): N_("Age is missing in one of the two signals."),
    ("region", "same"): N_("Same region."),
    ("region", "different"): N_("Different region: this speaks against a match."),
    ("region", "unknown"): N_("Region is missing in one of the two signals."),
    ("sector", "same"): N_("Same sector."),
    ("sector", "different"): N_("Different sector: this speaks against a match."),
    ("sector", "unknown"): N_("Sector is missing in one of the two signals."),
}


# What the model weighs besides the value, read as columns (not whole signals: their JSON
# screening would be decoded for every candidate at every intake).
_CONTEXT_COLUMNS = (Signal.nationality, Signal.gender, Signal.age_band, Signal.region,
                    Signal.sector_isic)


@dataclass(frozen=True)
class _Facts:
    nationality: str | None
    gender: Gender | None
    age_band: AgeBand | None
    region: str | None
    sector_isic: str | None


def _facts(signal: Signal) -> _Facts:
    return _Facts(signal.nationality, signal.gender, signal.age_band, signal.region,
                  signal.sector_isic)


def _context(kind: LinkKind, facts: _Facts) -> dict[str, str | None]:
    if kind is LinkKind.PERSON:
        return {"nationality": facts.nationality,
                "gender": None if facts.gender in (Gender.UNKNOWN, None) else str(facts.gender),
                "age_band": None if facts.age_band in (AgeBand.UNKNOWN, None)
                else str(facts.age_band)}
    if kind is LinkKind.EMPLOYER:
        return {"region": facts.region, "sector": facts.sector_isic}
    return {"region": facts.region}


def _record(key: SignalKey, facts: _Facts) -> matching.Record:
    return matching.Record(key.id, linkage.from_hex(key.bloom), _context(key.kind, facts),
                           norm=key.norm)


def _rows(session: Session, *conditions: Any) -> list[tuple[SignalKey, _Facts]]:
    rows = session.execute(select(SignalKey, *_CONTEXT_COLUMNS).join(
        Signal, Signal.id == SignalKey.signal_id).where(*conditions)).all()
    return [(row[0], _Facts(*row[1:])) for row in rows]


# (key of the new or left signal, key of the other, match probability, evidence per field)
Hit = tuple[SignalKey, SignalKey, float, list[dict[str, Any]]]


def _evidence(match: matching.Match) -> list[dict[str, Any]]:
    return [{"field": e.field, "level": e.level, "bayes_factor": round(e.bayes_factor, 4)}
            for e in match.evidence]


def _matches(kind: LinkKind, mine: Sequence[SignalKey], signal: Signal,
             others: Sequence[tuple[SignalKey, _Facts]]
             ) -> list[Hit]:
    """(new key, other key, probability, evidence) for every pair taken to match."""
    by_id = {k.id: k for k in mine} | {k.id: k for k, _s in others}
    if kind in matching.CONTEXT:
        # One signal against the stored ones: the model's own scoring (``matching.score``,
        # held equal to splink's by a test) without starting DuckDB for a few pairs. The
        # register (its size and how often each encoding occurs) includes the new signal,
        # as splink's would.
        facts = _facts(signal)
        new = [_record(a, facts) for a in mine]
        stored = [_record(b, f) for b, f in others]
        register = matching.Register.of(kind, [*new, *stored])
        # Only pairs whose values are at least "dice_70" alike are scored: below it the value
        # level is "different", and no agreement on the context lifts such a pair to the
        # threshold (held by a test). Scoring every stored key cost 0.15 s per key at 10k.
        floor = matching.VALUE_LEVELS[-1][1]
        found = [matching.score(kind, a, b, register) for a in new for b in stored
                 if linkage.dice(a.bloom, b.bloom) >= floor]
        return [(by_id[m.left], by_id[m.right], m.probability, _evidence(m))
                for m in found if m.probability >= matching.THRESHOLD]
    same = [{"field": "value", "level": "same", "bayes_factor": None}]
    return [(a, b, 1.0, same) for a in mine for b, _s in others if a.bloom == b.bloom]


def _store(session: Session, kind: LinkKind, hit: Hit, now: datetime) -> None:
    """A link in both directions, so each signal's page finds it."""
    a, b, probability, evidence = hit
    method = LinkMethod.PLAIN if a.norm is not None and b.norm is not None else LinkMethod.BLOOM
    for left, right in ((a.signal_id, b.signal_id), (b.signal_id, a.signal_id)):
        session.add(SignalLink(signal_id=left, other_signal_id=right, kind=kind, method=method,
                               score=round(probability, 4), evidence=evidence, created_at=now))


def _same_version(version: str | None) -> Any:
    """Keys encoded under ``version`` (None: by the server, of shared identities)."""
    return SignalKey.key_version.is_(None) if version is None \
        else SignalKey.key_version == version


def link_signal(session: Session, signal: Signal, keys: Sequence[SignalKey],
                now: datetime) -> int:
    """Store links from ``signal`` to earlier signals sharing an identifying value; how many.

    Only encodings of the same key version are compared: under another key (another year,
    or the server's own for shared identities) the same name gives unrelated bits, and any
    agreement would be chance.
    """
    made = 0
    for kind in sorted({k.kind for k in keys}):
        best: dict[int, Hit] = {}
        for version in sorted({k.key_version or "" for k in keys if k.kind is kind}):
            mine = [k for k in keys if k.kind is kind and (k.key_version or "") == version]
            others = _rows(session, SignalKey.kind == kind, SignalKey.signal_id != signal.id,
                           _same_version(version or None))
            for hit in _matches(kind, mine, signal, others):
                other_id = hit[1].signal_id
                if hit[2] > best.get(other_id, (None, None, -1.0, []))[2]:
                    best[other_id] = hit
        for hit in best.values():
            _store(session, kind, hit, now)
        made += len(best)
    return made


def _batch(kind: LinkKind, keyed: Sequence[tuple[SignalKey, _Facts]]) -> list[Hit]:
    """Every matching pair among keys of one kind and one key version."""
    by_id = {k.id: k for k, _s in keyed}
    if kind in matching.CONTEXT:
        return [(by_id[m.left], by_id[m.right], m.probability, _evidence(m)) for m in
                matching.dedupe(kind, [_record(k, s) for k, s in keyed])]
    same = [{"field": "value", "level": "same", "bayes_factor": None}]
    groups: dict[str, list[SignalKey]] = defaultdict(list)
    for k, _s in keyed:
        groups[k.bloom].append(k)
    return [(a, b, 1.0, same) for group in groups.values() for a, b in combinations(group, 2)]


def relink(session: Session, now: datetime) -> int:
    """Recompute every link with splink over all stored keys; returns how many pairs.

    Run after the model's parameters or threshold change (``ketenzicht signals relink``):
    intake links one signal at a time, this links the whole register the same way at once.
    """
    rows = _rows(session)
    session.execute(delete(SignalLink))
    made = 0
    for kind in LinkKind:
        best: dict[tuple[int, int], Hit] = {}
        for version in sorted({k.key_version or "" for k, _s in rows if k.kind is kind}):
            keyed = [(k, s) for k, s in rows
                     if k.kind is kind and (k.key_version or "") == version]
            for a, b, probability, evidence in _batch(kind, keyed):
                pair = (min(a.signal_id, b.signal_id), max(a.signal_id, b.signal_id))
                if pair[0] != pair[1] and probability > best.get(pair, (a, b, -1.0, []))[2]:
                    best[pair] = (a, b, probability, evidence)
        for hit in best.values():
            _store(session, kind, hit, now)
        made += len(best)
    session.flush()
    audit.record(session, actor=None, action="relink", resource_type="signal_link",
                 resource_id=None, detail={"pairs": made})
    return made


def explain(kind: LinkKind, evidence: Sequence[dict[str, Any]]) -> list[str]:
    """Why two signals are linked, one sentence per field, in the reader's language."""
    name = gettext(KIND_NAMES[kind]).capitalize()
    out = []
    for item in evidence:
        field, level = str(item.get("field")), str(item.get("level"))
        if field in ("value", "frequency"):
            text = (VALUE_TEXT if field == "value" else FREQUENCY_TEXT).get(level)
            if text is not None:
                out.append(gettext(text) % {"kind": name})
        elif (field, level) in CONTEXT_TEXT:
            out.append(gettext(CONTEXT_TEXT[(field, level)]))
    return out


def drop_server_encodings(session: Session) -> dict[int, list[int]]:
    """Drop what the server once encoded of withheld identities, with notice (issue 22).

    Those encodings (``key_version`` NULL and no normalised value) were made with a key the
    server derived from its own secret: they cannot be re-keyed without the raw values, which
    were never stored, and they must not link with encodings made at the source. Their keys
    and the links they made go; shared identities keep theirs. Each owning organisation is
    told which signals to encode again. Returns {organisation id: signal ids}.
    """
    rows = session.execute(select(SignalKey.id, SignalKey.signal_id, SignalKey.kind,
                                  Signal.owner_org_id)
                           .join(Signal, Signal.id == SignalKey.signal_id)
                           .where(SignalKey.key_version.is_(None), SignalKey.norm.is_(None))
                           ).all()
    if not rows:
        return {}
    by_org: dict[int, set[int]] = defaultdict(set)
    pairs = {(signal_id, kind) for _k, signal_id, kind, _o in rows}
    for _k, signal_id, _kind, org_id in rows:
        by_org[org_id].add(signal_id)
    links = 0
    for signal_id, kind in sorted(pairs):
        links += len(session.scalars(select(SignalLink.id).where(
            SignalLink.kind == kind, (SignalLink.signal_id == signal_id)
            | (SignalLink.other_signal_id == signal_id))).all())
        session.execute(delete(SignalLink).where(
            SignalLink.kind == kind, (SignalLink.signal_id == signal_id)
            | (SignalLink.other_signal_id == signal_id)))
    session.execute(delete(SignalKey).where(SignalKey.id.in_([r[0] for r in rows])))
    session.flush()
    out = {org: sorted(ids) for org, ids in sorted(by_org.items())}
    audit.record(session, actor=None, action="drop_server_encodings",
                 resource_type="signal_key", resource_id=None,
                 detail={"keys": len(rows), "links": links,
                         "signals": {str(org): ids for org, ids in out.items()}})
    for org, ids in out.items():
        notices.reencode(session, org_id=org, signal_ids=ids)
    return out
