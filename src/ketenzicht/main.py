"""The application factory: ``create_app(settings)`` mounts every domain's routes."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht import __version__
from ketenzicht.audit import api as audit_api
from ketenzicht.audit import views as audit_views
from ketenzicht.auth import api as auth_api
from ketenzicht.auth import views as auth_views
from ketenzicht.cases import api as cases_api
from ketenzicht.cases import views as cases_views
from ketenzicht.config import Settings, get_settings
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.evidence import api as evidence_api
from ketenzicht.evidence import views as evidence_views
from ketenzicht.monitor import api as monitor_api
from ketenzicht.monitor import views as monitor_views
from ketenzicht.notify import api as notify_api
from ketenzicht.notify import views as notify_views
from ketenzicht.online.collection import views as crawl_views
from ketenzicht.online.workspace import api as online_api
from ketenzicht.online.workspace import views as online_views
from ketenzicht.operations import api as operations_api
from ketenzicht.operations import views as operations_views
from ketenzicht.selfcheck import privacy as selfcheck_privacy
from ketenzicht.selfcheck import views as selfcheck_views
from ketenzicht.shelter import api as shelter_api
from ketenzicht.shelter import views as shelter_views
from ketenzicht.signals import api as signals_api
from ketenzicht.signals import views as signals_views
from ketenzicht.web import errors, middleware
from ketenzicht.web import views as shell_views

STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
API_PREFIX = "/api/v1"


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    """Build the web app; refuses an insecure configuration outside development."""
    settings = settings or get_settings()
    settings.check_secure()
    logging.basicConfig(level=settings.log_level.upper())
    app = FastAPI(
        title="Ketenzicht",
        version=__version__,
        summary="Platform voor de keten tegen mensenhandel / for the chain against trafficking",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads assets from a CDN; our CSP forbids that.
        redoc_url=None,
    )
    app.state.settings = settings
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url))
    app.state.session_factory = session_factory

    middleware.install(app)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.include_router(shell_views.router)
    app.include_router(auth_views.router)
    app.include_router(audit_views.router)
    app.include_router(shelter_views.router)
    app.include_router(signals_views.router)
    app.include_router(cases_views.router)
    app.include_router(monitor_views.router)
    app.include_router(evidence_views.router)
    app.include_router(notify_views.router)
    app.include_router(crawl_views.router)
    app.include_router(online_views.router)
    app.include_router(operations_views.router)
    # The public selfcheck, at its English path and its Dutch alias; its privacy layer
    # is added last so that it wraps the app-wide middleware.
    for prefix in selfcheck_privacy.PREFIXES:
        app.include_router(selfcheck_views.router, prefix=prefix)
    app.add_middleware(selfcheck_privacy.SelfcheckPrivacy, lang_cookie=middleware.LANG_COOKIE)
    app.include_router(auth_api.router, prefix=API_PREFIX)
    app.include_router(audit_api.router, prefix=API_PREFIX)
    app.include_router(shelter_api.router, prefix=API_PREFIX)
    app.include_router(signals_api.router, prefix=API_PREFIX)
    app.include_router(cases_api.router, prefix=API_PREFIX)
    app.include_router(monitor_api.router, prefix=API_PREFIX)
    app.include_router(evidence_api.router, prefix=API_PREFIX)
    app.include_router(notify_api.router, prefix=API_PREFIX)
    app.include_router(online_api.router, prefix=API_PREFIX)
    app.include_router(operations_api.router, prefix=API_PREFIX)
    return app
