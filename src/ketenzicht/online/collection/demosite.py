"""A synthetic ad site on 127.0.0.1 to crawl: listings, varied ad pages, images, traps.

Its ads come from the seeded generator in ``ketenzicht.online.analysis.synthetic`` (the one the
analysis benchmarks use). ``epoch`` 2 is "a few days later": some ads are edited and some
are removed (404, and off the listings), so a second crawl has something to find.

Paths: ``/robots.txt`` (disallows ``/private/``), ``/ads?page=N`` (10 per page, ``rel=next``),
``/ad/<n>`` (two HTML templates, ETag and ``304``), ``/img/<n>-<k>.png``, and the traps
``/broken/500``, ``/broken/slow``, ``/broken/badenc``, ``/broken/huge``, ``/broken/offsite``,
``/loop?page=N`` (endless pagination) and ``/private/vip`` (must never be fetched).

``failure`` breaks the site on purpose, for the tests of a crawl that must end as failed:
``"5xx"`` answers 503 to everything but robots.txt, ``"ads_5xx"`` to every ad page,
``"robots_5xx"`` to robots.txt only, ``"listing_page_2"`` to the second listing page.
``unlist_only`` makes a removal that only takes the ad off the listings (its page still
answers 200), as many real sites do; ``dangling`` are ads still listed whose page answers 410.
"""

from __future__ import annotations

import hashlib
import html
import io
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ketenzicht.online.analysis.synthetic import ads as synthetic_ads

PER_PAGE = 10
@dataclass
class DemoSite:
    """The site's content and state; ``epoch`` may be changed while it is served."""

    n_ads: int = 30
    seed: int = 7
    epoch: int = 1
    slow_seconds: float = 5.0
    failure: str | None = None
    unlist_only: bool = False
    dangling: set[int] = field(default_factory=set)
    ads: list[dict[str, Any]] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.ads:
            generated = synthetic_ads.generate(self.n_ads, seed=self.seed)
            rng = random.Random(self.seed)  # noqa: S311 - synthetic demo data
            for i, synthetic in enumerate(generated):
                ad = dict(synthetic.ad)
                ad["n"] = i
                ad["city"] = str(ad["title"]).rsplit(" ", 1)[-1]
                ad["age"] = str(rng.randint(19, 45))
                ad["posted_at"] = f"2026-11-{1 + i % 27:02d}"
                ad["images"] = rng.randint(0, 2)
                self.ads.append(ad)

    def removed(self, n: int) -> bool:
        """Ads removed between the two epochs: every seventh."""
        return self.epoch >= 2 and n % 7 == 3

    def edited(self, n: int) -> bool:
        """Ads edited between the two epochs: every fifth."""
        return self.epoch >= 2 and n % 5 == 1

    def visible(self) -> list[dict[str, Any]]:
        """Ads currently listed."""
        return [a for a in self.ads if not self.removed(int(a["n"]))]


def _png(n: int, k: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(n * 31 + k)  # noqa: S311 - synthetic demo data
    image = Image.new("RGB", (64, 64), (rng.randrange(256), rng.randrange(256), 80))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(64), rng.randrange(64)
        draw.rectangle((x, y, x + 12, y + 12), fill=(rng.randrange(256), 0, rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _ad_html(site: DemoSite, ad: dict[str, Any]) -> str:
    n = int(ad["n"])
    title, text = html.escape(str(ad["title"])), html.escape(str(ad["text"]))
    if site.edited(n):
        text += " Nieuw: nu ook in het weekend!"
    imgs = "".join(f'<img class="photo" src="/img/{n}-{k}.png" alt="">'
                   for k in range(int(ad["images"])))
    city = str(ad["city"]).upper() if n % 4 == 0 else str(ad["city"])
    if n % 2:
        return (f"<html><head><meta charset=utf-8><title>{title}</title></head><body>"
                f"<h1>{title}</h1><time datetime=\"{ad['posted_at']}\">{ad['posted_at']}</time>"
                f"<p class=city>{html.escape(city)}</p><p class=age>{ad['age']}</p>"
                f"<div class=ad-body><p>{text}</p></div>{imgs}</body></html>")
    # The second template: other markup, unclosed tags, Dutch field names.
    return (f"<html><body><div class=ad-title>{title}<table><tr><td data-field=stad>"
            f"{html.escape(city)}<td data-field=leeftijd>{ad['age']}</table>"
            f"<time datetime=\"{ad['posted_at']}\"></time>"
            f"<section class=beschrijving>{text}</section>{imgs}")


def _listing(site: DemoSite, page: int) -> str:
    ads = site.visible()
    chunk = ads[(page - 1) * PER_PAGE: page * PER_PAGE]
    links = "".join(f'<li><a class="ad-link" href="/ad/{a["n"]}">{html.escape(str(a["title"]))}'
                    f"</a></li>" for a in chunk)
    if page == 1:
        links += ('<li><a class="ad-link" href="/private/vip">VIP</a></li>'
                  '<li><a class="ad-link" href="/broken/500">x</a></li>'
                  '<li><a class="ad-link" href="/broken/badenc">x</a></li>'
                  '<li><a class="ad-link" href="/broken/huge">x</a></li>'
                  '<li><a class="ad-link" href="/broken/offsite">x</a></li>'
                  '<li><a class="ad-link" href="/broken/slow">x</a></li>')
    more = page * PER_PAGE < len(ads)
    nxt = f'<a rel="next" href="/ads?page={page + 1}">volgende</a>' if more else ""
    return f"<html><body><ul>{links}</ul>{nxt}</body></html>"


def make_handler(site: DemoSite) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to ``site``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the crawler logs enough."""

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            """Serve the demo site."""
            parts = urlsplit(self.path)
            site.hits.append(parts.path)
            query = parse_qs(parts.query)
            path = parts.path
            broken = site.failure
            if (broken == "5xx" and path != "/robots.txt") or (
                    broken == "ads_5xx" and path.startswith("/ad/")) or (
                    broken == "robots_5xx" and path == "/robots.txt") or (
                    broken == "listing_page_2" and path == "/ads"
                    and query.get("page") == ["2"]):
                self._send(503, b"<h1>Service Unavailable</h1>")
            elif path == "/robots.txt":
                self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path in ("/", "/ads"):
                page = int(query.get("page", ["1"])[0])
                self._send(200, _listing(site, page).encode())
            elif path == "/loop":
                page = int(query.get("page", ["1"])[0])
                self._send(200, f'<a rel="next" href="/loop?page={page + 1}">n</a>'.encode())
            elif path.startswith("/ad/"):
                self._ad(path)
            elif path.startswith("/img/"):
                n, k = path[5:].removesuffix(".png").split("-")
                self._send(200, _png(int(n), int(k)), "image/png")
            elif path == "/broken/500":
                self._send(500, b"<h1>Internal Server Error</h1>")
            elif path == "/broken/slow":
                time.sleep(site.slow_seconds)
                self._send(200, b"<h1>te laat</h1>")
            elif path == "/broken/badenc":
                self._send(200, b"<h1>Caf\xe9 \xff\xfe</h1><div class=ad-body>x\xc3</div>")
            elif path == "/broken/huge":
                self._send(200, b"<p>" + b"x" * 3_000_000 + b"</p>")
            elif path == "/broken/offsite":
                self._send(302, b"", extra={"Location": "http://offsite.invalid/ad/1"})
            elif path.startswith("/private/"):
                self._send(200, b"<h1>private</h1>")
            else:
                self._send(404, b"<h1>Niet gevonden</h1>")

        def _ad(self, path: str) -> None:
            try:
                n = int(path[4:])
                ad = site.ads[n]
            except (ValueError, IndexError):
                self._send(404, b"<h1>Niet gevonden</h1>")
                return
            if n in site.dangling:
                self._send(410, b"<h1>Verwijderd</h1>")
                return
            if site.removed(n) and not site.unlist_only:
                self._send(404, b"<h1>Deze advertentie is verwijderd</h1>")
                return
            body = _ad_html(site, ad).encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(200, body, extra={"ETag": etag})

    return Handler


def serve(site: DemoSite, *, port: int = 0) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``site`` on 127.0.0.1 in a daemon thread; port 0 picks a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
