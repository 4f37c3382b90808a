"""HTML routes of recruitment: the accounts, one account with why it scored, the hand-over."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from ketenzicht.auth.schemas import Actor
from ketenzicht.core.errors import ValidationFailed
from ketenzicht.core.i18n import N_, gettext
from ketenzicht.online.workspace.params import BAD_FILTER
from ketenzicht.online.workspace.recruitment import flows, service
from ketenzicht.online.workspace.recruitment.models import RecruitmentPost
from ketenzicht.web.deps import FormDep, PathId, SessionDep, require
from ketenzicht.web.templating import render

router = APIRouter(include_in_schema=False)
View = Annotated[Actor, Depends(require("online.recruitment.view"))]
Handover = Annotated[Actor, Depends(require("online.recruitment.handover"))]

# The reason codes in words (the lexicon's signs, the quotation and the text classifier).
REASONS: Final = {
    "money_hook": N_("money hook"), "task": N_("task words"), "low_bar": N_("low bar"),
    "secrecy": N_("secrecy or moving off the platform"), "emoji": N_("emoji code for cash "
                                                                     "or drugs"),
    "age_target": N_("aimed at young people"), "warning": N_("warning words (lower the score)"),
    "news": N_("news or quotation words (lower the score)"),
    "job_legit": N_("ordinary job wording (lowers the score)"),
    "quoted": N_("the hooks stand in quotation marks"),
    "text_model": N_("text classifier (character n-grams)"),
}
CHANNELS: Final = {"handle": N_("Handles"), "phone": N_("Phone numbers"),
                   "pay_tag": N_("Payment tags"), "text": N_("Reused text"),
                   "image": N_("Reused images")}


def reason_label(code: str) -> str:
    """A reason code in the reader's language (an analyst's own sign shows its code)."""
    return gettext(REASONS[code]) if code in REASONS else code


def marked(post: RecruitmentPost) -> list[dict[str, Any]]:
    """The post's text cut into pieces, the spans that raised the score marked."""
    spans = sorted({(int(a), int(b), str(r["code"])) for r in post.reasons
                    if float(r.get("weight", 0)) > 0 and r["code"] not in ("quoted",)
                    for a, b in r.get("spans", []) if 0 <= a < b <= len(post.text)})
    out: list[dict[str, Any]] = []
    at = 0
    for a, b, code in spans:
        if a < at:
            continue
        if a > at:
            out.append({"text": post.text[at:a], "code": None})
        out.append({"text": post.text[a:b], "code": reason_label(code)})
        at = b
    if at < len(post.text):
        out.append({"text": post.text[at:], "code": None})
    return out


@router.get("/online/recruitment")
def accounts_page(request: Request, session: SessionDep, actor: View) -> Response:
    """Recruiter accounts, highest score first."""
    rows = service.list_accounts(session, actor=actor)
    return render(request, "online/recruitment/accounts.html", {"rows": rows})


@router.get("/online/recruitment/accounts/{account_id}")
def account_page(request: Request, session: SessionDep, actor: View,
                 account_id: PathId) -> Response:
    """One account: posts with why they scored, contact channels, time line, reach."""
    d = service.account_detail(session, actor=actor, account_id=account_id)
    if d.account.id != account_id:
        return RedirectResponse(flows.account_link(d.account.id), status_code=303)
    return render(request, "online/recruitment/account.html", {
        "d": d, "a": d.account, "marked": {p.id: marked(p) for p in d.posts},
        "reason_label": reason_label,
        "channel_label": lambda kind: gettext(CHANNELS[kind]) if kind in CHANNELS else kind})


@router.post("/online/recruitment/accounts/{account_id}/signal")
def make_signal(session: SessionDep, actor: Handover, account_id: PathId,
                raw: FormDep) -> Response:
    """One click: a signal of criminal exploitation, "minor: likely", with the posts."""
    case_raw = raw.get("case_id")
    case_id = None
    if isinstance(case_raw, str) and case_raw.strip():
        try:
            case_id = int(case_raw)
        except ValueError as exc:
            raise ValidationFailed(BAD_FILTER, name="case_id") from exc
    made = flows.make_signal(session, actor=actor, account_id=account_id, case_id=case_id)
    return RedirectResponse(f"/signals/{made.signal.id}", status_code=303)
