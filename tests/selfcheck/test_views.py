"""The public pages: every language, no login, no cookies, nothing stored or logged."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.db.base import Base
from ketenzicht.selfcheck.i18n import LOCALES
from tests.factories.selfcheck import answers

PAGES = ["/selfcheck", "/selfcheck/questions", "/selfcheck/help", "/selfcheck/rights",
         "/zelftest", "/zelftest/questions", "/zelftest/help", "/zelftest/rights"]
EXIT = "https://www.buienradar.nl/"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_every_language(client: TestClient, path: str, locale: str) -> None:
    page = client.get(path, headers={"Accept-Language": f"{locale};q=0.9"})
    assert page.status_code == 200
    assert f'<html lang="{locale}" dir="ltr"' in page.text
    assert page.headers["content-language"] == locale
    assert "set-cookie" not in page.headers
    assert f'href="{EXIT}"' in page.text and "data-quick-exit" in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), "no inline scripts (CSP)"
    assert "selfcheck/selfcheck.js" in page.text


def test_browser_language_then_fallbacks(client: TestClient) -> None:
    def lang(header: str | None) -> str | None:
        headers = {"Accept-Language": header} if header else {}
        found = re.search(r'<html lang="(\w+)"', client.get("/selfcheck", headers=headers).text)
        return found.group(1) if found else None

    assert lang("uk-UA,uk;q=0.9,en;q=0.5") == "uk"
    assert lang("ro-RO") == "ro"
    assert lang("hu-HU,hu;q=0.9") == "en"  # a language we lack: English, not Dutch
    assert lang(None) == "nl"


def test_static_files_set_no_cookie_either(client: TestClient) -> None:
    for path in ("/static/selfcheck/selfcheck.css", "/static/selfcheck/selfcheck.js"):
        answer = client.get(path)
        assert answer.status_code == 200 and "set-cookie" not in answer.headers
    assert "kz_csrf" in client.get("/login").headers["set-cookie"]  # the professional side


def test_the_dutch_alias_keeps_its_links(client: TestClient) -> None:
    page = client.get("/zelftest/help").text
    assert 'href="/zelftest/questions"' in page and 'href="/selfcheck' not in page


def test_choosing_a_language_sets_only_that_cookie(client: TestClient) -> None:
    answer = client.get("/selfcheck/lang/bg?next=/selfcheck/help", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/selfcheck/help"
    assert answer.headers.get_list("set-cookie") == [
        "kz_lang=bg; HttpOnly; Max-Age=31536000; Path=/; SameSite=strict"]
    page = client.get("/selfcheck/help")
    assert '<html lang="bg"' in page.text and set(client.cookies.keys()) == {"kz_lang"}


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/login", "/selfcheck\\..\\x"])
def test_language_switch_stays_on_the_selfcheck(client: TestClient, target: str) -> None:
    answer = client.get(f"/selfcheck/lang/pl?next={target}", follow_redirects=False)
    assert answer.headers["location"] == "/selfcheck"


def test_result_explains_and_offers_help(client: TestClient) -> None:
    page = client.post("/selfcheck/result", data=answers(pay="400"),
                       headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = _text(page.text)
    assert "Your answers show serious problems." in text
    assert "Why: For 38 hours, the minimum wage is €558.98 before tax" in text
    assert "victim" not in text.lower()
    for name in ("FairWork", "CoMensha", "Nederlandse Arbeidsinspectie", "Politie",
                 "Meld Misdaad Anoniem", "112"):
        assert name in text
    assert 'href="tel:+31334481186"' in page.text
    assert "data-print" in page.text  # printable; the button appears with JavaScript
    assert "set-cookie" not in page.headers


def test_trafficking_is_named_only_when_warranted(client: TestClient) -> None:
    page = client.post("/selfcheck/result", data=answers(pay="300", leave="no"),
                       headers={"Accept-Language": "en"})
    assert "You may be a victim of human trafficking." in page.text
    assert "Call 112" in _text(page.text)


def test_bad_input_is_corrected_in_the_same_language_and_answers_are_kept(
        client: TestClient) -> None:
    page = client.post("/selfcheck/result", data=answers(hours="200", age="-3"),
                       headers={"Accept-Language": "pl"})
    assert page.status_code == 422
    text = _text(page.text)
    assert "Tydzień ma 168 godzin. Wpisz najwyżej 168." in text
    assert "Ta wartość nie może być mniejsza niż zero." in text
    assert 'name="hours" value="200"' in page.text and 'aria-invalid="true"' in page.text
    assert 'name="pay" value="800"' in page.text
    assert 'name="passport" value="me" checked' in page.text


def test_switching_language_on_the_result_keeps_the_answers(client: TestClient) -> None:
    page = client.post("/selfcheck/result?lang=es", data=answers(pay="400"))
    assert '<html lang="es"' in page.text and "Tu sueldo es más bajo" in page.text
    assert page.headers.get_list("set-cookie")[0].startswith("kz_lang=es;")
    assert 'formaction="/selfcheck/result?lang=ro"' in page.text
    again = client.post("/selfcheck/questions", data=answers(pay="400"))
    assert '<html lang="es"' in again.text and 'name="pay" value="400"' in again.text


def test_a_result_without_answers_goes_to_the_questions(client: TestClient) -> None:
    answer = client.get("/zelftest/result", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/zelftest/questions"


def _row_counts(db: Session) -> dict[str, int]:
    return {t.name: db.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables}


def test_no_answer_is_written_to_the_database_or_the_logs(
        client: TestClient, db: Session, caplog: pytest.LogCaptureFixture) -> None:
    from ketenzicht import model_registry  # noqa: F401 - every table in the metadata

    before = _row_counts(db)
    assert before, "the metadata lists the tables"
    marker = {"hours": "47.25", "pay": "1234.56", "ded_housing": "321.09", "age": "33"}
    with caplog.at_level(logging.DEBUG):
        for path in ("/selfcheck/result", "/selfcheck/questions", "/zelftest/result"):
            assert client.post(path, data=answers(**marker)).status_code == 200
        client.post("/selfcheck/result", data=answers(hours="-1", pay="9876.54"))
    db.expire_all()
    assert _row_counts(db) == before
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for value in [*marker.values(), "9876.54", "47,25", "1234,56"]:
        assert value not in logged


def test_the_pages_need_no_login_and_no_database(client: TestClient) -> None:
    for path in PAGES:
        assert client.get(path, follow_redirects=False).status_code == 200


@pytest.mark.parametrize("path", ["/selfcheck/geen-pagina", "/zelftest/x/y"])
def test_a_public_404_keeps_the_public_layout_and_the_quick_exit(client: TestClient,
                                                                 path: str) -> None:
    r = client.get(path, headers={"accept-language": "uk"})
    assert r.status_code == 404
    assert "data-quick-exit" in r.text and "Цієї сторінки не існує." in r.text
    assert "ketenzicht.js" not in r.text  # not the professionals' page
    assert {c for c in r.cookies} <= {"kz_lang"}
    # A professional path keeps the professional error page.
    assert "data-quick-exit" not in client.get("/cases/geen-pagina/x").text


def test_a_selfcheck_page_costs_under_60_kb_and_its_assets_are_cached(
        client: TestClient) -> None:
    page = client.get("/selfcheck/questions")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]{12})"', page.text)
    # The trimmed NL Design System bundle, the selfcheck's own stylesheet and its script.
    assert len(assets) == 3, assets
    assert any(a.startswith("/static/bundle/site.css?v=") for a in assets)
    total = page.num_bytes_downloaded
    for url in assets:
        r = client.get(url, headers={"accept-encoding": "gzip"})
        assert r.status_code == 200
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        if r.num_bytes_downloaded > 500:
            assert r.headers["content-encoding"] == "gzip"
        total += r.num_bytes_downloaded
    assert total < 30_000, total  # was about 630 KB, uncompressed and uncached; 60 KB gzipped
    stale = client.get(assets[0].split("?")[0] + "?v=000000000000")
    assert stale.headers["cache-control"] == "no-cache"  # an old hash is not kept for good
