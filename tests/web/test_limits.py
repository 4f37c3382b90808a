"""Request bodies are capped per route class before they are read (issue 24, item 12)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.types import Receive, Scope, Send

from ketenzicht.config import Settings
from ketenzicht.web.limits import limit_for
from tests.factories.auth import UserFactory, csrf_headers, login


def _chunks(total: int, size: int = 16_384) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_an_anonymous_oversized_body_is_refused_unread(client: TestClient, db: Session) -> None:
    body = b'{"x": "' + b"a" * 200_000 + b'"}'
    answer = client.post("/api/v1/signals", content=body,
                         headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert "0,064 MB" in answer.json()["detail"]  # Dutch notation, the exact limit


def test_a_body_without_length_is_counted_as_it_streams(client: TestClient, db: Session) -> None:
    # No Content-Length (chunked): refused at the first byte over the cap, not after all.
    answer = client.post("/login", content=_chunks(5_000_000),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413
    assert "MB" in answer.text


def test_logged_in_requests_get_the_larger_caps(client: TestClient, db: Session) -> None:
    user = UserFactory()
    login(client, user.username)
    big_json = b'{"x": "' + b"a" * 200_000 + b'"}'
    # Over the anonymous cap but under the default: it reaches the route (and its 4xx).
    answer = client.post("/api/v1/signals", content=big_json,
                         headers={**csrf_headers(client), "content-type": "application/json"})
    assert answer.status_code not in (413, 500)
    huge = client.post("/api/v1/signals", content=b"a" * 2_500_000,
                       headers={**csrf_headers(client), "content-type": "application/json"})
    assert huge.status_code == 413


def test_the_route_classes_come_from_the_settings() -> None:
    s = Settings(body_limit_bytes=20_000, body_limit_anonymous_bytes=2_000,
                 body_limit_upload_bytes=90_000)
    assert limit_for(s, {}) == 2_000
    assert limit_for(s, {"cookie": "kz_session=abc"}) == 20_000
    assert limit_for(s, {"authorization": "Bearer kz_x"}) == 20_000
    assert limit_for(s, {"cookie": "kz_session=abc",
                         "content-type": "multipart/form-data; boundary=x"}) == 90_000
    assert limit_for(s, {"cookie": "kz_session=abc"}, "/api/v1/cases/7/evidence/items") == 90_000


def test_logins_wait_in_their_own_lane_so_pages_keep_a_slot() -> None:
    # The gate of a worker has 4 slots; 10 logins are stuck inside the app (as if
    # hashing), yet a page request is let through at once: logins take at most
    # KZ_LOGIN_CONCURRENCY slots, and the rest of the burst waits in its lane, not in the gate.
    import asyncio

    from ketenzicht.web.limits import DatabaseGate, gate_lanes

    settings = Settings(login_concurrency=3)
    lane = gate_lanes(settings)[("POST", "/login")]

    inside: Counter[str] = Counter()
    most = 0
    release: asyncio.Event | None = None

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal most
        inside[scope["method"]] += 1
        most = max(most, inside["POST"])
        if scope["method"] == "POST":
            assert release is not None
            await release.wait()
        inside[scope["method"]] -= 1

    async def scenario() -> bool:
        nonlocal release
        release = asyncio.Event()  # made inside the loop that runs the scenario
        gate = DatabaseGate(app, slots=4, lanes=gate_lanes(settings))

        def call(method: str, path: str) -> asyncio.Task[None]:
            scope = {"type": "http", "method": method, "path": path}
            return asyncio.ensure_future(gate(scope, _nothing, _nothing))

        logins = [call("POST", "/login") for _ in range(10)]
        await asyncio.sleep(0)
        page = call("GET", "/login")
        # Generous: a blocked page waits for the release, however loaded the machine is.
        done, _ = await asyncio.wait([page], timeout=30)
        release.set()
        await asyncio.gather(*logins)
        return page in done

    # In a thread of its own: a browser test before it in this worker (Playwright's sync
    # API) can leave an event loop running in the main thread, where asyncio.run refuses.
    import threading

    outcome: list[bool] = []
    runner = threading.Thread(target=lambda: outcome.append(asyncio.run(scenario())))
    runner.start()
    runner.join(60)
    assert outcome == [True]
    assert most == lane == 3 < 4


async def _nothing(*_args: object) -> dict[str, object]:
    return {}
