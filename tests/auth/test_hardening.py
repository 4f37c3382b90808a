"""The password policy (NIST SP 800-63B) and a CSRF token tied to its session (issue 24)."""

from __future__ import annotations

import pytest
from argon2 import Type
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth import service
from ketenzicht.auth.enums import Role
from ketenzicht.auth.passwords import weakness
from ketenzicht.auth.schemas import UserCreate
from ketenzicht.core.errors import ValidationFailed
from tests import fast_hashing
from tests.factories.auth import PASSWORD, UserFactory, login


@pytest.mark.parametrize("password", [
    "aaaaaaaaaaaa",          # a repeat: long enough, trivially guessed
    "password1234",          # a common password with digits
    "123456789012",          # a sequence
    "qwertyuiopas",          # a keyboard walk
    "iloveyou1234",
])
def test_long_but_guessable_passwords_are_refused(password: str, db: Session) -> None:
    assert weakness(password) is not None
    org = UserFactory().organisation
    with pytest.raises(ValidationFailed, match=r"guess|common"):
        service.create_user(db, data=UserCreate(
            username="anna", display_name="Anna", organisation_id=org.id,
            roles=[Role.MEDEWERKER], password=password), actor=None)


def test_the_own_name_counts_against_a_password() -> None:
    assert weakness("jansen-jansen-jansen", ["jansen"]) is not None


@pytest.mark.parametrize("password", [PASSWORD, "demo-Xq3_pL9vTz0aR2mK", "Vlinder Tram Gember 7"])
def test_strong_passwords_pass(password: str) -> None:
    assert weakness(password) is None


def test_a_csrf_token_works_only_with_its_own_session(app: FastAPI, db: Session) -> None:
    alice, bob = UserFactory(), UserFactory()
    first, second = TestClient(app), TestClient(app)
    login(first, alice.username)
    login(second, bob.username)
    stolen = second.cookies.get("kz_csrf")
    assert stolen and stolen != first.cookies.get("kz_csrf")
    # A token planted in the victim's browser (or taken from another session) is refused,
    # even with a matching cookie next to it, as the old double-submit check allowed.
    first.cookies.set("kz_csrf", stolen)
    refused = first.post("/logout", data={"csrf_token": stolen}, follow_redirects=False)
    assert refused.status_code == 403
    token = second.cookies.get("kz_csrf")
    assert second.post("/logout", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303


def test_a_new_login_gets_a_new_token(client: TestClient, db: Session) -> None:
    user = UserFactory()
    login(client, user.username)
    before = client.cookies.get("kz_csrf")
    client.post("/logout", data={"csrf_token": before})
    login(client, user.username)
    after = client.cookies.get("kz_csrf")
    assert after and after != before
    assert client.post("/logout", data={"csrf_token": before},
                       follow_redirects=False).status_code == 403


def test_production_hashes_with_argon2id_at_the_recommended_cost() -> None:
    # The suite runs with a cheap hasher (tests/fast_hashing.py); production must not.
    hasher = fast_hashing.PRODUCTION_HASHER()
    assert hasher.type is Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert hasher.check_needs_rehash(fast_hashing.TEST_HASHER.hash("x"))
