"""Every string on screen goes through Babel, and the Dutch catalogue is complete."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.core.i18n import TRANSLATIONS_DIR
from tests.factories.auth import UserFactory, login

REPO = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The msgids in the code and templates right now (not the committed template)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", str(REPO / "babel.cfg"), "-o", str(pot), "--no-location",
                    str(REPO / "src" / "ketenzicht")], check=True)
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_catalogue_covers_every_string(extracted: set[str], locale: str) -> None:
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(extracted - set(translated))
    assert not missing, f"run `make messages` and translate: {missing[:10]}"
    for msgid, text in translated.items():
        # A plural entry has a tuple of forms on both sides; every form keeps the placeholders.
        forms = [text] if isinstance(text, str) else list(text)
        source = msgid[0] if isinstance(msgid, tuple) else msgid
        assert all(forms), msgid
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(source)), msgid


def test_pages_follow_the_chosen_language(client: TestClient, db: Session) -> None:
    page = client.get("/login")
    assert '<html lang="nl"' in page.text and "Inloggen" in page.text
    client.get("/lang/en?next=/login")
    page = client.get("/login")
    assert '<html lang="en"' in page.text and "Log in" in page.text
    assert page.headers["content-language"] == "en"
    user = UserFactory()
    login(client, user.username)
    assert "Organisations" in client.get("/").text


def test_browser_language_is_honoured(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.8"})
    assert '<html lang="en"' in page.text


def test_errors_are_translated(client: TestClient, db: Session) -> None:
    assert "bestaat niet" in client.get("/nergens").text
    assert "does not exist" in client.get("/nergens",
                                          headers={"Accept-Language": "en"}).text
