"""The real server's access log after a selfcheck: no visitor address, no query (issue 24).

Starts uvicorn with the configuration ``ketenzicht serve`` uses (``web.server``), its
access log written to a file, runs a selfcheck against it from 127.0.0.1, and reads the
file back.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from ketenzicht.config import Settings
from ketenzicht.db.migrate import upgrade
from ketenzicht.main import create_app
from ketenzicht.web import server
from tests.factories.selfcheck import answers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(var_dir=tmp_path / "var", log_level="info")
    upgrade(settings.database_url)
    log_file = tmp_path / "access.log"
    config = server.log_config()
    config["handlers"]["access"] = {"class": "logging.FileHandler", "filename": str(log_file),
                                    "formatter": "access", "filters": ["public_paths"]}
    port = _free_port()
    uv = uvicorn.Server(server.make_config(create_app(settings), settings, "127.0.0.1", port,
                                           logging_config=config))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", log_file
    uv.should_exit = True
    thread.join(timeout=10)


def test_access_log_keeps_no_visitor_of_the_selfcheck(served) -> None:  # type: ignore[no-untyped-def]
    url, log_file = served
    with httpx.Client(base_url=url) as client:
        assert client.get("/selfcheck?lang=uk").status_code == 200
        assert client.get("/zelftest/questions").status_code == 200
        assert client.post("/selfcheck/result?lang=pl", data=answers()).status_code == 200
        assert client.get("/selfcheck/signal?token=geheim").status_code in (200, 303, 404, 405)
        assert client.get("/selfcheck/geen-pagina").status_code == 404
        assert client.get("/static/selfcheck/selfcheck.css").status_code == 200
        assert client.get("/login").status_code == 200  # a professional page: logged in full
    time.sleep(0.2)  # the access handler writes from the server thread
    lines = log_file.read_text().splitlines()
    public = [ln for ln in lines if "/selfcheck" in ln or "/zelftest" in ln or "/static" in ln]
    assert len(public) == 6, lines
    for line in public:
        assert "127.0.0.1" not in line, line
        assert "?" not in line and "geheim" not in line and "lang=" not in line, line
    assert any("/selfcheck/result" in ln and " 200" in ln for ln in public)
    # The filter touches only public paths: the professional login keeps its address.
    assert any("127.0.0.1" in ln and "/login" in ln for ln in lines), lines
