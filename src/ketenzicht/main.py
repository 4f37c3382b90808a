"""The application factory: ``create_app(settings)`` mounts every domain's routes."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from ketenzicht import __version__, domains
from ketenzicht.config import Settings, get_settings
from ketenzicht.core import events, ports
from ketenzicht.core.manifest import resolve
from ketenzicht.db.session import default_session_factory
from ketenzicht.web import assets, errors, middleware
from ketenzicht.web import views as shell_views

STATIC_DIR = assets.STATIC_DIR
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
        session_factory = default_session_factory(settings)
    app.state.session_factory = session_factory
    events.install(domains.subscriptions())  # the manifests' subscribers, once each
    ports.install(domains.ports())  # questions a domain answers for those that cannot import it

    middleware.install(app)
    errors.install(app)
    app.mount("/static", assets.static_app(), name="static")

    app.include_router(shell_views.router)
    # Every domain's pages in the order of ``domains.DOMAINS``, then its own wiring (the
    # public selfcheck: its two prefixes behind its privacy layer, added after the
    # app-wide middleware so that it wraps them), then every JSON API.
    for manifest, routers in domains.pages():
        for router in routers:
            app.include_router(router)
        if manifest.mount:
            resolve(manifest.mount)(app)
    for router in domains.api_routers():
        app.include_router(router, prefix=API_PREFIX)
    domains.register_grants()
    return app
