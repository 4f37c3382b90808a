"""Every page each demo account can reach, in Dutch: its menu works, and no code or English shows.

One seeded demo database and one crawl serve every test here. Each account starts at "/"
and follows the links it is shown (one URL per route pattern, so a list of 250 signals
costs one detail page, not 250). PDF reports are crawled as the HTML that would be
printed (``core.pdf.render`` is replaced: WeasyPrint adds seconds and nothing to check),
and the e-mails the demo queued are read from the outbox.

SQLite only, on purpose: what is checked is the text the templates, enums and catalogues
produce, which does not depend on the database; the demo seed takes ~10 s per backend,
and the PostgreSQL run would repeat the same pages for the CI budget (each test file of a
domain already runs its views on both).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from ketenzicht.config import Settings
from ketenzicht.core import pdf
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade_connection
from ketenzicht.demo import seed as demo_seed
from ketenzicht.main import create_app
from ketenzicht.notify.models import OutboxMail
from ketenzicht.web.menu import MENU
from tests.factories.auth import login
from tests.web.daily_text import findings

# Downloads that are data, not text of ours: the captured ad itself, evidence bytes, keys.
_SKIP = re.compile(r"^/(static|lang|api|logout)\b|/raw$|/content$|\.(csv|json|zip|pem)$")
_HREF = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
_PER_ROLE = 70


@dataclass
class Page:
    """One crawled URL of one account."""

    url: str
    status: int
    text: str
    menu: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    """What every account saw."""

    pages: dict[str, list[Page]]
    clients: dict[str, TestClient]
    mails: list[tuple[str, str]]


def _pattern(url: str) -> str:
    return re.sub(r"\d+", "{n}", urlsplit(url).path)


def _menu_links(html: str) -> list[str]:
    nav = re.search(r"<nav [^>]*data-kz-menu.*?</nav>(.*?<nav [^>]*ketenzicht-subnav.*?</nav>)?",
                    html, re.S)
    return re.findall(r'href="(/[^"]*)"', nav.group(0)) if nav else []


def _walk(client: TestClient) -> list[Page]:
    seen: set[str] = set()
    queue = ["/"]
    pages: list[Page] = []
    patterns: set[str] = set()
    while queue and len(pages) < _PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow_redirects=True)
        text = response.text if "html" in response.headers.get("content-type", "") or \
            url.endswith(".pdf") else ""
        pages.append(Page(url, response.status_code, text, _menu_links(text)))
        for href in _HREF.findall(text):
            href = href.replace("&amp;", "&")
            if _SKIP.search(urlsplit(href).path) or href in seen:
                continue
            if _pattern(href) in patterns:
                continue
            patterns.add(_pattern(href))
            queue.append(href)
    return pages


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    tmp: Path = tmp_path_factory.mktemp("daily")
    settings = Settings(var_dir=tmp / "var", default_locale="nl")
    engine = make_engine(f"sqlite:///{tmp / 'demo.sqlite3'}")
    with engine.connect() as conn:
        upgrade_connection(conn)
        conn.commit()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        session.info["settings"] = settings
        ctx = demo_seed.seed(session)
        session.commit()
        mails = [(m.subject, m.body) for m in session.scalars(select(OutboxMail))]
    app = create_app(settings, session_factory=factory)
    printed = pytest.MonkeyPatch()
    printed.setattr(pdf, "render", lambda html, *a, **k: html.encode())
    clients: dict[str, TestClient] = {}
    pages: dict[str, list[Page]] = {}
    try:
        for account in ctx.accounts:
            client = TestClient(app, raise_server_exceptions=False)
            client.cookies.set("kz_lang", "nl")
            login(client, account.username, account.password)
            clients[account.username] = client
            pages[account.username] = _walk(client)
        yield Crawl(pages, clients, mails)
    finally:
        printed.undo()
        engine.dispose()


def test_every_link_shown_answers(crawl: Crawl) -> None:
    broken = [(user, p.url, p.status) for user, pages in crawl.pages.items() for p in pages
              if p.status != 200]
    assert broken == []


def test_every_menu_link_answers_200_and_every_menu_page_allowed_is_linked(
        crawl: Crawl) -> None:
    menu_pages = {e.href for s in MENU for e in s.entries}
    wrong: list[tuple[str, str, str]] = []
    for user, pages in crawl.pages.items():
        client = crawl.clients[user]
        shown = {href for p in pages for href in p.menu}
        wrong += [(user, href, "not in MENU") for href in shown - menu_pages]
        for href in sorted(menu_pages):
            status = client.get(href, follow_redirects=False).status_code
            if href in shown and status != 200:
                wrong.append((user, href, f"shown, answers {status}"))
            if href not in shown and status == 200:
                wrong.append((user, href, "answers 200, not in the menu"))
    assert wrong == []


def test_no_code_or_english_on_a_dutch_page(crawl: Crawl) -> None:
    found: dict[str, list[str]] = {}
    for user, pages in crawl.pages.items():
        for page in pages:
            for finding in findings(page.text):
                found.setdefault(f"{_pattern(page.url)} ({user})", []).append(finding)
    for subject, body in crawl.mails:
        for finding in findings(f"<p>{subject}</p><pre>{body}</pre>"):
            found.setdefault("e-mail", []).append(finding)
    # One entry per page pattern and finding: the same code on 20 pages is one fix.
    unique: dict[str, list[str]] = {}
    for where, items in found.items():
        pattern = where.split(" (")[0]
        for item in items:
            if item not in unique.setdefault(pattern, []):
                unique[pattern].append(item)
    report = "\n".join(f"{where}: {item}" for where, items in sorted(unique.items())
                       for item in items)
    assert not unique, report


def test_the_crawl_reached_the_reports(crawl: Crawl) -> None:
    urls = {p.url for pages in crawl.pages.values() for p in pages}
    assert any(u.endswith("/report.pdf") for u in urls), "no network report crawled"
    assert any(u.endswith("/dossier.pdf") for u in urls), "no evidence dossier crawled"
    assert crawl.mails, "the demo queued no e-mail"



def test_the_checker_knows_the_codes_of_the_issue() -> None:
    # The examples of issue 23, on one made-up page; a code inside translate="no" (the
    # audit log's own codes) and text declared as English (lang="en") are not findings.
    html = ("<main><p>Status: in_behandeling, rol presumed_victim</p><p>ROTATING_PERSONAS</p>"
            "<p>Hallo {slot1}</p><p>ads/gone 63</p><p>Signaal 1: labour, Emmen</p>"
            "<p>Some input is not valid.</p><code translate='no'>online_network</code>"
            "<span lang='en'>5 names over 16 days</span><a href='/online/crawl/runs/1'>x</a>"
            "</main>")
    found = " | ".join(findings(html))
    for expected in ("'in_behandeling'", "'presumed_victim'", "'ROTATING_PERSONAS'",
                     "'{slot1}'", "'ads/gone'", "'labour'", "English 'Some input is not valid'"):
        assert expected in found, expected
    assert "online_network" not in found and "names over" not in found
    assert "/online/crawl" not in found
