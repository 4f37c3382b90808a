"""Load test: the real server (uvicorn, several workers) under bounded bursts (issue 24).

Starts ``uvicorn ketenzicht.main:create_app --factory --workers N`` on 127.0.0.1
against a scratch database (a SQLite file in a temporary directory, or a
PostgreSQL schema of its own that is dropped afterwards), then sends bursts of
50 and 200 parallel requests of each kind:

- holds: every request of the burst asks a hold on the same unit of 5 places;
- signal intakes: POST /api/v1/signals;
- page reads: GET /api/v1/shelter/units (audited reads);
- wrong logins: POST /login with a wrong password for one account, while a probe
  measures how long the server takes to answer a page meanwhile;
- kill -9: a burst of signal intakes during which the whole server is killed;
  after a restart every intake that was answered 201 must be in the database.

It reports p50/p95/p99 latency and the count of each status per burst, and the
invariants: holds never above capacity (and equal to it), no 500, no accepted
write lost. Every loop is bounded and the server is stopped at the end.

    PYTHONPATH=src:. python benchmarks/load.py --db sqlite
    PYTHONPATH=src:. python benchmarks/load.py --db postgresql \
        --pg postgresql+psycopg://root@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from tests.factories.shelter import make_request, make_unit

from ketenzicht.auth import credentials
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.models import Organisation, User, UserRole
from ketenzicht.auth.passwords import hash_password
from ketenzicht.auth.schemas import TokenCreate
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade_connection
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.shelter.enums import OfferStatus
from ketenzicht.shelter.models import ShelterOffer, ShelterUnit
from ketenzicht.signals.models import Signal

HOST = "127.0.0.1"
PASSWORD = "correct horse battery staple"
PLACES = 5
SIGNAL = {"form": "labour", "seen": "Load test: synthetic signal", "place": "Utrecht"}


@dataclass
class Burst:
    """The answers to one burst."""

    name: str
    size: int
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    bodies: list[Any] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The figures to report."""
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0] * 99
        return {"burst": self.name, "n": self.size, "p50_ms": round(q[49] * 1000),
                "p95_ms": round(q[94] * 1000), "p99_ms": round(q[98] * 1000),
                "statuses": dict(sorted(self.statuses.items()))}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """uvicorn with several workers, in its own process group (so kill -9 takes them all)."""

    def __init__(self, url: str, workers: int, var_dir: Path) -> None:
        self.url, self.workers, self.var_dir = url, workers, var_dir
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        """Where the server answers."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Start and wait (at most 180 s: the workers import a lot) until it answers."""
        env = {**os.environ, "KZ_DATABASE_URL": self.url, "KZ_ENV": "development",
               "KZ_VAR_DIR": str(self.var_dir), "KZ_LOG_LEVEL": "warning",
               "KZ_SIGNALS_INTAKE_PER_HOUR": "10000",
               "KZ_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "ketenzicht.main:create_app", "--factory",
             "--host", HOST, "--port", str(self.port), "--workers", str(self.workers),
             "--log-level", "warning", "--no-access-log"],
            env=env, start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/login", timeout=5, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.kill()
        raise RuntimeError("the server did not come up within 180 s")

    def kill(self) -> None:
        """kill -9 the whole process group."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then for sure."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


def _burst(name: str, size: int, send: Callable[[httpx.Client, int], httpx.Response],
           timeout: float = 120) -> Burst:
    """``size`` threads, released together, one request each; bounded by ``timeout``."""
    result = Burst(name, size)
    barrier = threading.Barrier(size)
    lock = threading.Lock()

    def one(i: int) -> None:
        with httpx.Client(timeout=timeout, trust_env=False) as client:
            barrier.wait()
            started = time.perf_counter()
            try:
                answer = send(client, i)
                status, body = str(answer.status_code), answer
            except httpx.HTTPError as exc:
                status, body = type(exc).__name__, None
            took = time.perf_counter() - started
        with lock:
            result.latencies.append(took)
            result.statuses[status] += 1
            result.bodies.append(body)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(size)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout + 30)
    return result


@dataclass
class World:
    """What the seed made."""

    token: str
    provider_id: int
    coordinator_id: int
    login_user: str


def _seed(url: str) -> World:
    engine = make_engine(url)
    with engine.connect() as conn:
        upgrade_connection(conn)
        conn.commit()
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:6]
    with unit_of_work(factory) as s:
        provider = Organisation(code=f"opv-{tag}", name=f"Opvang {tag}", org_type=OrgType.OPVANG)
        comensha = Organisation(code=f"cm-{tag}", name=f"CoMensha {tag}",
                                org_type=OrgType.COMENSHA)
        robot = User(username=f"bot-{tag}", display_name="load test", organisation=comensha,
                     is_system=True, role_rows=[UserRole(role=Role.COORDINATOR)])
        person = User(username=f"anna-{tag}", display_name="Anna", organisation=comensha,
                      password_hash=hash_password(PASSWORD),
                      role_rows=[UserRole(role=Role.MEDEWERKER)])
        s.add_all([provider, comensha, robot, person])
        s.flush()
        token, _row = credentials.issue_token(s, actor=None, default_days=1,
                                              data=TokenCreate(name="load", user_id=robot.id))
        world = World(token, provider.id, robot.id, person.username)
    engine.dispose()
    return world


def _new_unit_and_requests(url: str, world: World, n: int) -> tuple[int, list[int]]:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as s:
        provider = s.get(Organisation, world.provider_id)
        robot = s.get(User, world.coordinator_id)
        assert provider is not None
        assert robot is not None
        unit_id = make_unit(s, provider, capacity=PLACES, available=PLACES).id
        ids = [make_request(s, robot).id for _ in range(n)]
    engine.dispose()
    return unit_id, ids


def _unit_state(url: str, unit_id: int) -> dict[str, int]:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as s:
        unit = s.get(ShelterUnit, unit_id)
        assert unit is not None
        held = s.scalar(select(func.count()).select_from(ShelterOffer).where(
            ShelterOffer.unit_id == unit_id, ShelterOffer.status == OfferStatus.HELD))
        state = {"capacity": unit.capacity, "held": unit.held, "held_offers": int(held or 0)}
    engine.dispose()
    return state


def _present(url: str, ids: list[int]) -> int:
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as s:
        found = s.scalar(select(func.count()).select_from(Signal).where(Signal.id.in_(ids)))
    engine.dispose()
    return int(found or 0)


def run(url: str, workers: int, sizes: list[int], var_dir: Path,
        only_logins: bool = False) -> dict[str, Any]:
    """Every burst against one database (or only the login burst); returns the report."""
    world = _seed(url)
    auth = {"Authorization": f"Bearer {world.token}"}
    server = Server(url, workers, var_dir)
    server.start()
    rows: list[dict[str, Any]] = []
    invariants: dict[str, Any] = {}
    try:
        for size in [] if only_logins else sizes:
            unit_id, request_ids = _new_unit_and_requests(url, world, size)
            holds = _burst(f"holds x{size}", size, lambda c, i, ids=request_ids, u=unit_id: c.post(
                f"{server.base}/api/v1/shelter/requests/{ids[i]}/offers", headers=auth,
                json={"unit_id": u}))
            rows.append(holds.row())
            invariants[f"holds x{size}"] = {**_unit_state(url, unit_id),
                                            "answered_201": holds.statuses["201"]}
            rows.append(_burst(f"signal intakes x{size}", size, lambda c, i: c.post(
                f"{server.base}/api/v1/signals", headers=auth, json=SIGNAL)).row())
            rows.append(_burst(f"page reads x{size}", size, lambda c, i: c.get(
                f"{server.base}/api/v1/shelter/units", headers=auth)).row())
        rows.append(_logins(server, world.login_user))
        # Unknown names are each hashed (so that timing does not reveal an account).
        rows.append(_logins(server, f"nobody-{uuid.uuid4().hex[:6]}", "unknown-name logins x50"))
        if not only_logins:
            invariants["kill -9"] = _kill_mid_burst(server, url, auth)
    finally:
        server.stop()
    fives = sum(int(r["statuses"].get("500", 0)) for r in rows)
    return {"rows": rows, "invariants": invariants, "total_500": fives}


def _probe(server: Server, probe: list[float], done: threading.Event, rounds: int) -> None:
    """Time ``GET /login`` every 0.1 s until ``done`` (at most ``rounds`` times)."""
    with httpx.Client(timeout=30, trust_env=False) as client:
        for _ in range(rounds):
            if done.is_set():
                return
            started = time.perf_counter()
            client.get(f"{server.base}/login")
            probe.append(time.perf_counter() - started)
            time.sleep(0.1)


def _logins(server: Server, username: str, name: str = "wrong logins x50") -> dict[str, Any]:
    """50 parallel wrong logins; a probe meanwhile times a page (must stay under 1 s).

    The machine is shared, so the probe is first timed for 3 s with no burst: the
    baseline that the probe during the burst is compared with, in the same run.
    """
    baseline: list[float] = []
    quiet = threading.Event()
    threading.Timer(3.0, quiet.set).start()
    _probe(server, baseline, quiet, 100)
    probe: list[float] = []
    done = threading.Event()

    def watch() -> None:
        _probe(server, probe, done, 600)  # bounded: at most ~60 s of probing

    def wrong(client: httpx.Client, i: int) -> httpx.Response:
        page = client.get(f"{server.base}/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        return client.post(f"{server.base}/login", data={
            "username": username, "password": f"wrong-{i}", "csrf_token": token})

    watcher = threading.Thread(target=watch)
    watcher.start()
    result = _burst(name, 50, wrong)
    done.set()
    watcher.join(timeout=90)
    row = result.row()
    row["probe_max_ms"] = round(max(probe) * 1000) if probe else None
    row["probe_p50_ms"] = round(statistics.median(probe) * 1000) if probe else None
    row["probe_count"] = len(probe)
    row["baseline_max_ms"] = round(max(baseline) * 1000) if baseline else None
    row["baseline_p50_ms"] = round(statistics.median(baseline) * 1000) if baseline else None
    row["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return row


def _kill_mid_burst(server: Server, url: str, auth: dict[str, str]) -> dict[str, Any]:
    """200 signal intakes; the server is killed (-9) while they run; then it restarts."""
    accepted: list[int] = []
    lock = threading.Lock()
    size = 200
    barrier = threading.Barrier(size + 1)

    def one(_i: int) -> None:
        with httpx.Client(timeout=30, trust_env=False) as client:
            barrier.wait()
            try:
                answer = client.post(f"{server.base}/api/v1/signals", headers=auth, json=SIGNAL)
            except httpx.HTTPError:
                return
            if answer.status_code == 201:
                with lock:
                    accepted.append(int(answer.json()["id"]))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(size)]
    for t in threads:
        t.start()
    barrier.wait()
    for _ in range(300):  # kill once some are answered and others still in flight (<= 30 s)
        with lock:
            if len(accepted) >= 10:
                break
        time.sleep(0.1)
    server.kill()
    for t in threads:
        t.join(timeout=60)
    server.start()
    present = _present(url, accepted)
    return {"sent": size, "answered_201_before_kill": len(accepted),
            "present_after_restart": present, "lost": len(accepted) - present}


def _scratch_pg(base: str) -> tuple[str, Callable[[], None]]:
    schema = f"kz_load_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def main() -> None:
    """Run the load test on one database and print the report as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="50,200")
    parser.add_argument("--only-logins", action="store_true",
                        help="only the 50 wrong logins and the probe (with its baseline)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kz-load-") as tmp:
        var_dir = Path(tmp) / "var"
        if args.db == "sqlite":
            url, cleanup = f"sqlite:///{Path(tmp) / 'load.sqlite3'}", (lambda: None)
        else:
            url, cleanup = _scratch_pg(args.pg)
        try:
            report = run(url, args.workers, sizes, var_dir, args.only_logins)
        finally:
            cleanup()
    report["db"], report["workers"] = args.db, args.workers
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
