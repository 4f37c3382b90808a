"""The public pages, at /selfcheck and at the Dutch alias /zelftest.

No login, no database, no logging of answers. Answers travel only in POST bodies
(never in URLs, which end up in server logs and browser history); changing the
language or the answers re-posts them, so nothing is lost without JavaScript.
"""

from __future__ import annotations

import re
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from ketenzicht.core import clock
from ketenzicht.core.errors import TooManyAttempts
from ketenzicht.selfcheck import flows
from ketenzicht.selfcheck import i18n as sc_i18n
from ketenzicht.selfcheck.assess import HEADLINES, Outcome
from ketenzicht.selfcheck.guard import SignalGuard
from ketenzicht.selfcheck.help import directory
from ketenzicht.selfcheck.privacy import PREFIXES, STATE_KEY, SelfcheckPrivacy, is_public_path
from ketenzicht.selfcheck.questions import SECTIONS
from ketenzicht.selfcheck.schemas import Parsed, parse_form
from ketenzicht.selfcheck.service import minimum_hourly, run_check, today
from ketenzicht.selfcheck.templating import render
from ketenzicht.selfcheck.wml import housing_cap_percent
from ketenzicht.signals.enums import AgeBand
from ketenzicht.web.assets import PublicGzip
from ketenzicht.web.deps import SessionDep
from ketenzicht.web.middleware import LANG_COOKIE, is_https

router = APIRouter(include_in_schema=False)
MAX_FIELDS = 60
LANG_MAX_AGE = 365 * 24 * 3600
# A town's name: letters, spaces, hyphens and apostrophes (no numbers, so no addresses).
_PLACE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '\-.])*$")
_GUARD_LOCK = threading.Lock()


def _base(request: Request) -> str:
    return next((p for p in PREFIXES if request.url.path.startswith(p)), PREFIXES[0])


def _language(request: Request, chosen: str | None = None) -> str:
    """Activate the chosen, remembered or browser language for this request."""
    if chosen not in sc_i18n.LOCALES:
        chosen = sc_i18n.choose(request.headers.get("accept-language"),
                                request.cookies.get(LANG_COOKIE),
                                request.app.state.settings.default_locale)
    sc_i18n.activate(chosen)
    setattr(request.state, STATE_KEY, chosen)
    return chosen


def _page(request: Request, name: str, context: dict[str, Any] | None = None, *,
          status_code: int = 200, remember: str | None = None) -> Response:
    base = _base(request)
    ctx: dict[str, Any] = {"base": base, "exit_url": request.app.state.settings.selfcheck_exit_url,
                           "here": request.url.path, "form_page": False,
                           "lang_action": f"{base}/questions"}
    ctx.update(context or {})
    response = render(request, f"selfcheck/{name}", ctx, status_code=status_code)
    if remember:
        _remember(request, response, remember)
    return response


def _remember(request: Request, response: Response, code: str) -> None:
    response.set_cookie(LANG_COOKIE, code, max_age=LANG_MAX_AGE, samesite="strict",
                        httponly=True, secure=is_https(request), path="/")


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    return {k: v for k, v in form.items() if isinstance(v, str)}


# The pages that touch the database are plain ``def`` (run in the thread pool); they get
# the answers read on the event loop by this dependency.
AnswersDep = Annotated[dict[str, str], Depends(_form)]


@router.get("")
async def start(request: Request) -> Response:
    """What the check is, that it is anonymous, and the way in."""
    _language(request)
    return _page(request, "start.html")


@router.get("/questions")
async def questions(request: Request) -> Response:
    """The questions, empty."""
    _language(request)
    return _page(request, "questions.html", {"parsed": parse_form({}), "sections": SECTIONS,
                                             "form_page": True})


@router.post("/questions")
async def questions_again(request: Request, lang: str | None = None) -> Response:
    """The questions with the posted answers: to change them, or in another language."""
    chosen = _language(request, lang)
    parsed = parse_form(await _form(request))
    shown = Parsed(parsed.answers, parsed.raw, {})
    return _page(request, "questions.html", {"parsed": shown, "sections": SECTIONS,
                                             "form_page": True},
                 remember=chosen if lang == chosen else None)


def _guard(request: Request) -> SignalGuard:
    """The app's token issuer and site-wide counter (made on first use, in memory)."""
    with _GUARD_LOCK:
        guard: SignalGuard | None = getattr(request.app.state, "selfcheck_guard", None)
        if guard is None:
            settings = request.app.state.settings
            guard = SignalGuard(settings.secret_key.get_secret_value(),
                                per_minute=settings.selfcheck_signals_per_minute)
            request.app.state.selfcheck_guard = guard
        return guard


def _age(parsed: Parsed) -> int | None:
    age = parsed.answers.number("age")
    return int(age) if age is not None else None


def _signal_offer(request: Request, session: SessionDep, parsed: Parsed,
                  outcome: Outcome) -> dict[str, Any]:
    """Whether the page offers to send a signal, and the form's token if it does."""
    if not outcome.problems:
        return {"signal": None, "signal_possible": True}
    actor = flows.signal_actor(session, request.app.state.settings.selfcheck_signal_account)
    if actor is None:
        return {"signal": None, "signal_possible": False}
    token = _guard(request).issue(clock.now().timestamp())
    band = flows.age_band(_age(parsed))
    return {"signal": {"token": token, "sectors": flows.SECTORS,
                       "age_band": None if band is AgeBand.UNKNOWN else str(band)},
            "signal_possible": True}


@router.post("/result")
def result(request: Request, session: SessionDep, answers: AnswersDep,
           lang: str | None = None) -> Response:
    """The outcome; or the questions again, with friendly corrections, if an answer is wrong."""
    chosen = _language(request, lang)
    remember = chosen if lang == chosen else None
    parsed, outcome = run_check(answers)
    if outcome is None:
        return _page(request, "questions.html", {"parsed": parsed, "sections": SECTIONS,
                                                 "form_page": True},
                     status_code=422, remember=remember)
    return _page(request, "result.html", {"parsed": parsed, "outcome": outcome,
                                          "outcome_text": HEADLINES[outcome.level],
                                          "help": directory(), "form_page": True,
                                          "lang_action": f"{_base(request)}/result",
                                          **_signal_offer(request, session, parsed, outcome)},
                 remember=remember)


@router.post("/signal")
def send_signal(request: Request, session: SessionDep, form: AnswersDep,
                lang: str | None = None) -> Response:
    """Send the anonymous signal the person chose to send; refuse stale or forged forms."""
    _language(request, lang)
    guard, now = _guard(request), clock.now().timestamp()
    refused = {"help": directory()}
    token = form.get("token", "")
    if not guard.valid(token, now):
        return _page(request, "signal_refused.html", {**refused, "reason": "token"},
                     status_code=400)
    settings = request.app.state.settings
    actor = flows.signal_actor(session, settings.selfcheck_signal_account)
    parsed, outcome = run_check(form)
    if actor is None or outcome is None or not outcome.problems:
        return _page(request, "signal_refused.html", {**refused, "reason": "unavailable"},
                     status_code=400)
    if not guard.allow(now):
        response = _page(request, "signal_refused.html", {**refused, "reason": "busy"},
                         status_code=429)
        response.headers["Retry-After"] = str(guard.retry_after(now))
        return response
    if not guard.consume(token, now):
        return _page(request, "signal_refused.html", {**refused, "reason": "token"},
                     status_code=400)
    place = form.get("place", "").strip()[:80]
    sector = form.get("sector", "")
    try:
        flows.send_signal(session, actor=actor, outcome=outcome, age=_age(parsed),
                          sector=sector if sector in flows.SECTORS else None,
                          place=place if _PLACE.match(place) else None,
                          per_hour=max(settings.signals_intake_per_hour,
                                       settings.selfcheck_signals_per_minute * 60))
    except TooManyAttempts:
        response = _page(request, "signal_refused.html", {**refused, "reason": "busy"},
                         status_code=429)
        response.headers["Retry-After"] = "60"
        return response
    return _page(request, "signal_sent.html", {"help": directory()})


@router.get("/signal")
async def signal_without_answers(request: Request) -> Response:
    """A reloaded confirmation has nothing to send: go to the questions."""
    return RedirectResponse(f"{_base(request)}/questions", status_code=303)


@router.get("/result")
async def result_without_answers(request: Request) -> Response:
    """A reloaded or bookmarked result has no answers: go to the questions."""
    return RedirectResponse(f"{_base(request)}/questions", status_code=303)


@router.get("/help")
async def help_page(request: Request) -> Response:
    """Where to get help, with phone numbers and opening hours."""
    _language(request)
    return _page(request, "help.html", {"help": directory()})


@router.get("/rights")
async def rights(request: Request) -> Response:
    """Your rights at work in the Netherlands, with today's minimum wage."""
    _language(request)
    on = today()
    ages = [(age, minimum_hourly(on, age)) for age in range(15, 22)]
    return _page(request, "rights.html", {"on": on, "ages": ages,
                                          "cap": housing_cap_percent(on)})


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    """Remember the chosen language (the only cookie) and go back to the page."""
    base = _base(request)
    target = next if next and any(next == p or next.startswith(p + "/") for p in PREFIXES) \
        and "//" not in next and "\\" not in next else base
    response = RedirectResponse(target, status_code=303)
    if code in sc_i18n.LOCALES:
        _remember(request, response, code)
    return response


def install(app: FastAPI) -> None:
    """Mount the public selfcheck at its English path and Dutch alias, behind its privacy layer.

    ``create_app`` calls this after the app-wide middleware is installed, so the privacy
    layer is added last and wraps them all.
    """
    for prefix in PREFIXES:
        app.include_router(router, prefix=prefix)
        # Errors under a public prefix keep the public layout and the quick exit.
        app.state.public_error_pages = {**getattr(app.state, "public_error_pages", {}),
                                        prefix: error_page}
    app.add_middleware(SelfcheckPrivacy, lang_cookie=LANG_COOKIE)
    app.add_middleware(PublicGzip, is_public=is_public_path)
def error_page(request: Request, status: int) -> Response:
    """An error under the selfcheck, in its own layout with the quick exit (never the
    professionals' header); registered with the web shell's error handlers by install."""
    _language(request)
    return _page(request, "error.html", {"status": status}, status_code=status)
