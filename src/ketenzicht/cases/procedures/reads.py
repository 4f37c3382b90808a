"""Procedures for display: each step with its title, the legal basis and the deadlines.

Access was decided once (``cases.access.CaseAccess``): a meldcode is care content and is
left out, with ``meldcode_hidden``, for a reader who does not see care details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ketenzicht.cases.access import CaseAccess
from ketenzicht.cases.enums import FieldCategory
from ketenzicht.cases.procedures import b8, common, legal, meldcode, plans
from ketenzicht.cases.procedures.enums import (
    B8_MACHINE,
    AgeGroup,
    B8State,
    PlanKind,
    ProcedureKind,
)
from ketenzicht.cases.procedures.models import CaseProcedure, ProcedureStep
from ketenzicht.cases.procedures.schemas import (
    DeadlineRead,
    PlanRead,
    ProcedureRead,
    ProceduresRead,
    StepRead,
)
from ketenzicht.cases.schemas import CaseRead, TimelineItem
from ketenzicht.core import clock
from ketenzicht.core.i18n import get_locale
from ketenzicht.core.i18n import gettext as _
from ketenzicht.core.labels import label

if TYPE_CHECKING:
    from ketenzicht.auth.service import Organisation

pick = legal.pick


def _b8_title(item: ProcedureStep) -> str:
    frame, locale = legal.b8(), get_locale()
    text = label("b8_state", item.step)
    if "decision" in item.detail:
        text += f": {pick(frame.decisions[str(item.detail['decision'])].title, locale)}"
    if "end_reason" in item.detail:
        text += f": {pick(frame.end_reasons[str(item.detail['end_reason'])].title, locale)}"
    return text


def _meldcode_title(item: ProcedureStep) -> str:
    frame, locale = legal.meldcode(), get_locale()
    number = frame.step_keys.index(item.step) + 1
    text = f"{number}. {pick(frame.step(item.step).title, locale)}"
    if "outcome" in item.detail:
        text += f": {pick(frame.outcomes[str(item.detail['outcome'])], locale)}"
    elif "advice" in item.detail:
        text += " — " + _("advice: %(advice)s") % {
            "advice": pick(frame.outcomes[str(item.detail["advice"])], locale)}
    return text


def _steps(rows: list[ProcedureStep], kind: ProcedureKind, names: dict[int, str]
           ) -> list[StepRead]:
    title = _b8_title if kind is ProcedureKind.B8 else _meldcode_title
    return [StepRead(id=s.id, step=s.step, title=title(s), from_state=s.from_state,
                     happened_at=s.happened_at, recorded_at=s.recorded_at,
                     actor_user_id=s.actor_user_id, actor_org_id=s.actor_org_id,
                     actor_org_name=names.get(s.actor_org_id, "?"), note=s.note,
                     detail=dict(s.detail)) for s in rows]


def _b8_read(row: CaseProcedure, steps: list[ProcedureStep], person: str,
             names: dict[int, str]) -> ProcedureRead:
    frame, locale = legal.b8(), get_locale()
    variant = frame.variants[row.variant]
    basis = [f"{frame.citation}: {pick(frame.summary, locale)}", pick(variant.rule, locale),
             pick(frame.offer_rule, locale)]
    warnings = [] if variant.applies else [pick(variant.rule, locale)]
    if row.age_group != AgeGroup.ADULT:
        basis.append(pick(frame.minors_rule, locale))
        warnings.append(pick(frame.minors_rule, locale))
        if row.age_group == AgeGroup.UNKNOWN:
            warnings.append(pick(frame.unknown_age_rule, locale))
    if row.outcome:
        decision = frame.decisions[row.outcome]
        basis.append(pick(decision.next or decision.title, locale))
    deadlines = []
    if row.ends_at is not None:
        deadlines.append(DeadlineRead(
            what=_("End of the reflection period"), due_at=row.ends_at,
            source=f"{frame.citation}; {pick(variant.title, locale)}",
            overdue=B8State(row.state) in (B8State.ACCEPTED, B8State.RUNNING)
            and row.ends_at < clock.now()))
    return _read(row, steps, person, names, label("b8_state", row.state),
                 pick(variant.title, locale), sorted(B8_MACHINE.allowed(B8State(row.state))),
                 basis, warnings, deadlines)


def _meldcode_read(session: Session, row: CaseProcedure, steps: list[ProcedureStep],
                   person: str, names: dict[int, str]) -> ProcedureRead:
    frame, locale = legal.meldcode(), get_locale()
    basis = [f"{g.citation}: {pick(g.text, locale)}" for g in frame.grounds]
    following = meldcode.next_step(session, row)
    return _read(row, steps, person, names, label("meldcode_state", row.state), "",
                 [following] if following and row.state == "open" else [], basis, [], [])


def _read(row: CaseProcedure, steps: list[ProcedureStep], person: str, names: dict[int, str],
          state_label: str, variant_title: str, allowed: list[str], basis: list[str],
          warnings: list[str], deadlines: list[DeadlineRead]) -> ProcedureRead:
    return ProcedureRead(
        id=row.id, kind=row.kind, case_id=row.case_id, person_id=row.person_id, person=person,
        signal_id=row.signal_id, state=row.state, state_label=state_label, variant=row.variant,
        variant_title=variant_title, age_group=row.age_group, org_id=row.org_id,
        org_name=names.get(row.org_id, "?"), started_at=row.started_at, ends_at=row.ends_at,
        outcome=row.outcome, legal_version=row.legal_version, version=row.version,
        allowed=[str(a) for a in allowed], basis=basis, warnings=warnings,
        deadlines=deadlines, steps=_steps(steps, row.kind, names))


def procedures_read(session: Session, *, access: CaseAccess, names: dict[int, str]
                    ) -> ProceduresRead:
    """The B8 periods, meldcodes and plans of the case that ``access`` lets the reader see."""
    case = access.case
    persons = {p.id: p.pseudonym for p in case.persons}
    sees_care = FieldCategory.CARE in access.categories
    b8_rows = b8.of_case(session, case.id)
    meld_rows = meldcode.of_case(session, case.id) if sees_care else []
    by_proc: dict[int, list[ProcedureStep]] = {}
    for s in common.steps_of(session, [r.id for r in (*b8_rows, *meld_rows)]):
        by_proc.setdefault(s.procedure_id, []).append(s)
    return ProceduresRead(
        b8=[_b8_read(r, by_proc.get(r.id, []), persons.get(r.person_id or 0, ""), names)
            for r in b8_rows],
        meldcode=[_meldcode_read(session, r, by_proc.get(r.id, []),
                                 persons.get(r.person_id or 0, ""), names)
                  for r in meld_rows],
        plans=[PlanRead.model_validate(p)
               for p in plans.plans_visible(session, case.id, access.categories)],
        meldcode_hidden=not sees_care)


def page_context(session: Session, *, access: CaseAccess, orgs: dict[int, Organisation]
                 ) -> dict[str, Any]:
    """What the case page's procedures section needs: the procedures and the choices of
    its forms, in the reader's language."""
    b8_frame, code, locale = legal.b8(), legal.meldcode(), get_locale()
    org_type = str(access.actor.org_type)
    return {
        "procedures": procedures_read(session, access=access,
                                      names={i: o.name for i, o in orgs.items()}),
        "may_offer_b8": access.may_work and org_type in b8_frame.offered_by,
        "may_meldcode": access.may_work and org_type in {str(t) for t in
                                                         meldcode.CARE_PROFESSIONS},
        "may_goals_plan": access.may_work and plans.PLAN_CATEGORY[PlanKind.GOALS]
        in access.categories,
        "b8_victims": [(p.id, p.pseudonym) for p in access.case.persons
                       if p.role == "presumed_victim" and p.nationality
                       and p.nationality != "NL"],
        "age_groups": [(a.value, label("age_group", a.value)) for a in AgeGroup],
        "b8_decisions": [(k, pick(e.title, locale)) for k, e in b8_frame.decisions.items()],
        "b8_end_reasons": [(k, pick(e.title, locale)) for k, e in b8_frame.end_reasons.items()],
        "meldcode_steps": {s.key: pick(s.title, locale) for s in code.steps},
        "meldcode_questions": [(q.key, pick(q.text, locale)) for q in code.questions],
        "meldcode_consulted": [(k, pick(v, locale)) for k, v in code.consulted.items()],
        "meldcode_outcomes": [(k, pick(v, locale)) for k, v in code.outcomes.items()],
        "plan_kinds": [(k.value, label("plan_kind", k.value)) for k in PlanKind
                       if plans.PLAN_CATEGORY[k] in access.categories],
        "case_signal_ids": [s.signal_id for s in access.case.signal_links],
        "meldcode_persons": [(p.id, p.pseudonym) for p in access.case.persons],
        "b8_frame_rule": pick(b8_frame.offer_rule, locale),
        "my_org_id": access.actor.organisation_id,
    }


def timeline_items(procs: ProceduresRead) -> list[TimelineItem]:
    """The B8 and meldcode steps as lines of the case's main timeline (issue 18).

    Only what ``procs`` already holds for this reader: a meldcode is there only for readers
    with the care category, so its lines carry that category. The step's own note stays in
    the procedures section; the timeline says what happened, for whom and by which
    organisation.
    """
    items: list[TimelineItem] = []
    for kind, rows, category in ((ProcedureKind.B8, procs.b8, FieldCategory.GENERAL),
                                 (ProcedureKind.MELDCODE, procs.meldcode, FieldCategory.CARE)):
        for row in rows:
            whom = f"{row.person}: " if row.person else ""
            items += [TimelineItem(at=step.happened_at, kind=str(kind), category=category,
                                   text=f"{whom}{step.title} ({step.actor_org_name})")
                      for step in row.steps]
    return items


def with_procedures(view: CaseRead, procs: ProceduresRead) -> CaseRead:
    """``view`` with the procedure steps merged into its timeline, in order of time."""
    merged = sorted([*view.timeline, *timeline_items(procs)], key=lambda i: i.at)
    return view.model_copy(update={"timeline": merged})
