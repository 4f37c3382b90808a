"""Friendly error answers: JSON under /api, an HTML page elsewhere, never a stack trace."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ketenzicht.core.errors import DomainError, NotAuthenticated, TooManyAttempts
from ketenzicht.core.i18n import gettext as _
from ketenzicht.db.retry import is_transient
from ketenzicht.web import validation
from ketenzicht.web.templating import render

log = logging.getLogger("ketenzicht.web")


def wants_json(request: Request) -> bool:
    """API routes, and clients that ask for JSON, get JSON errors."""
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    ).split(",")[0]


def answer(request: Request, status: int, message: str, errors: list[str] | None = None,
           headers: dict[str, str] | None = None) -> Response:
    """An error answer in the request's format (for middleware that answers by itself)."""
    return _answer(request, status, message, errors, headers)


def _answer(request: Request, status: int, message: str, errors: list[str] | None = None,
            headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        body: dict[str, object] = {"detail": message}
        if errors:
            body["errors"] = errors
        return JSONResponse(body, status_code=status, headers=headers)
    # A public part (the selfcheck) answers in its own layout, with its quick exit: a
    # worker who mistypes a link must not land on the professionals' header.
    pages = getattr(request.app.state, "public_error_pages", {})
    page = next((fn for prefix, fn in pages.items()
                 if request.url.path == prefix or request.url.path.startswith(prefix + "/")),
                None)
    response: Response
    if page is not None:
        response = page(request, status)
    else:
        response = render(request, "error.html",
                          {"status": status, "message": message, "errors": errors or []},
                          status_code=status)
    if headers:
        response.headers.update(headers)
    return response


def _field_errors(exc: RequestValidationError) -> list[str]:
    return validation.messages(exc.errors())


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""

    @app.exception_handler(NotAuthenticated)
    async def _not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.localized()}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(TooManyAttempts)
    async def _too_many(request: Request, exc: TooManyAttempts) -> Response:
        return _answer(request, 429, exc.localized(), headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return _answer(request, exc.status_code, exc.localized())

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> Response:
        return _answer(request, 409, _("This record was changed by someone else. Reload and "
                                       "try again."))

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, exc: OperationalError) -> Response:
        # SQLite's writer lock, or a PostgreSQL serialisation failure or deadlock,
        # that outlasted the retries: the request did nothing, and trying again will work.
        if not is_transient(exc):
            raise exc
        return _answer(request, 503, _("The database is busy. Nothing was saved; try again."),
                       headers={"Retry-After": "1"})

    @app.exception_handler(PoolTimeout)
    async def _no_connection(request: Request, exc: PoolTimeout) -> Response:
        # Every connection of the pool was taken for db_pool_timeout seconds: the server
        # is overloaded, not broken. Nothing was done; the client may come back.
        return _answer(request, 503, _("The server is busy. Nothing was saved; try again in a "
                                       "moment."), headers={"Retry-After": "2"})

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> Response:
        # The last line of defence for input the schemas let through but the
        # database cannot hold (e.g. NUL bytes in PostgreSQL text). Nothing was saved.
        return _answer(request, 422, _("The input contains characters or values that cannot "
                                       "be stored. Nothing was saved."))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _answer(request, 422, _("Some input is not valid."), _field_errors(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: _("This page does not exist."), 405: _("This method is not allowed here.")}
        if exc.status_code == 413:
            # The body is unread; tell the client not to send the rest on this connection.
            return _answer(request, 413, str(exc.detail), headers={"Connection": "close"})
        text = messages.get(exc.status_code, validation.request_problem(str(exc.detail)))
        return _answer(request, exc.status_code, text, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _answer(request, 500, _("Something went wrong on our side. Nothing was saved. "
                                       "Quote this reference when you report it: %(rid)s")
                       % {"rid": getattr(request.state, "request_id", "?")})
