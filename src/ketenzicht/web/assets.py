"""Static files compressed and cached by content hash.

A page names each stylesheet and script as ``/static/<path>?v=<hash>`` (``asset_url``),
the first 12 hex of the SHA-256 of the file's bytes. An answer for the current hash may
be cached for a year and never revalidated (``immutable``): a changed file gets a new
URL. Any other request is answered ``no-cache``. Only static files are gzipped (the
professionals' pages carry CSRF tokens, which compression next to reflected input could
leak: BREACH),
and the public selfcheck pages, which hold no secret: a selfcheck page and everything
it loads cost a phone under 60 KB instead of about 630 KB.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ketenzicht.web import cssbundle

STATIC_DIR = Path(__file__).resolve().parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


@lru_cache(maxsize=256)
def content_hash(path: str) -> str:
    """The first 12 hex of the SHA-256 of a static file (read once per process)."""
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def asset_url(path: str) -> str:
    """The URL of a static file with its content hash."""
    return f"/static/{path}?v={content_hash(path)}"


class HashedStaticFiles(StaticFiles):
    """StaticFiles that lets a browser keep a file for good when its URL names its hash."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file, with long-lived caching when the ``v`` query is its current hash."""
        query = scope.get("query_string", b"").decode("latin-1")
        wanted = dict(p.partition("=")[::2] for p in query.split("&") if p).get("v")
        if path.startswith("bundle/"):
            return self._bundle(path, wanted)
        response = await super().get_response(path, scope)
        try:
            current = content_hash(path) if wanted and response.status_code == 200 else None
        except OSError:
            current = None
        response.headers["Cache-Control"] = IMMUTABLE if wanted and wanted == current \
            else "no-cache"
        return response

    @staticmethod
    def _bundle(path: str, wanted: str | None) -> Response:
        """A trimmed stylesheet bundle (:mod:`.cssbundle`), built in memory."""
        name = path.removeprefix("bundle/").removesuffix(".css")
        if name not in cssbundle.BUNDLES or not path.endswith(".css"):
            return PlainTextResponse("Not Found", status_code=404)
        body = cssbundle.build(name)
        fresh = wanted is not None and wanted == cssbundle.bundle_hash(name)
        return Response(body, media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": IMMUTABLE if fresh else "no-cache"})


def static_app() -> ASGIApp:
    """The ``/static`` mount, with hashed caching (``PublicGzip`` compresses it)."""
    return HashedStaticFiles(directory=STATIC_DIR)


class PublicGzip:
    """Gzip for static files and the pages ``is_public`` names, nothing else.

    The public selfcheck pages hold no secret (no session, no CSRF token), so compressing
    them cannot leak one; the professionals' pages stay uncompressed.
    """

    def __init__(self, app: ASGIApp, is_public: Callable[[str], bool]) -> None:
        self.app = app
        self.is_public = is_public
        self.gzip = GZipMiddleware(app, minimum_size=500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route through gzip when the path is public or static."""
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith("/static/") or self.is_public(path)):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
