"""Load on the public selfcheck: concurrent clients on loopback, requests/s and p95 latency.

Starts the app in a separate uvicorn process (one worker, access log off, as in
production behind a proxy) and drives it with ``--clients`` concurrent httpx clients
for ``--seconds``. The mix is what a visitor does: the start page, the questions, a
submitted check (the heavy request: parsing, the wage check, rendering the result),
the help page, and a check with impossible values. Locust is not a dependency of the
project; this plain asyncio driver measures the same two numbers.

    .venv/bin/python benchmarks/selfcheck.py --clients 20 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

import httpx

ANSWERS = {"age": "34", "period": "week", "hours": "52", "pay": "610,50", "pay_kind": "net",
           "payslip": "no", "paid_how": "cash", "ded_housing": "160", "ded_transport": "25",
           "authorised": "unknown", "passport": "employer", "debt": "payable", "fee": "yes",
           "leave": "costly", "outside": "yes", "threats": "no", "housing": "employer",
           "housing_lose": "yes", "travel": "other", "promise": "worse"}
LANGS = ["nl", "en", "pl", "ro", "bg", "uk", "es"]
# (name, method, path, form, weight)
MIX = [("start", "GET", "/selfcheck", None, 2),
       ("questions", "GET", "/selfcheck/questions", None, 2),
       ("result", "POST", "/selfcheck/result", ANSWERS, 3),
       ("help", "GET", "/zelftest/help", None, 1),
       ("correction", "POST", "/selfcheck/result", {**ANSWERS, "hours": "200"}, 1)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, var: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KZ_VAR_DIR": var, "KZ_LOG_LEVEL": "warning"}
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ketenzicht.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
         "--log-level", "warning"], env=env)


async def _client(base: str, until: float, timings: dict[str, list[float]],
                  errors: dict[str, int], seed: int) -> None:
    rng = random.Random(seed)
    weights = [m[4] for m in MIX]
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.perf_counter() < until:
            name, method, path, form, _ = rng.choices(MIX, weights)[0]
            headers = {"Accept-Language": rng.choice(LANGS)}
            start = time.perf_counter()
            response = await http.request(method, path, data=form, headers=headers)
            timings[name].append(time.perf_counter() - start)
            expected = 422 if name == "correction" else 200
            if response.status_code != expected:
                errors[name] += 1


async def _drive(base: str, clients: int, seconds: float) -> tuple[dict[str, list[float]],
                                                                  dict[str, int], float]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(*(_client(base, until, timings, errors, i) for i in range(clients)))
    return timings, errors, time.perf_counter() - start


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) > 1 else values[0]


def main() -> None:
    """Run the load and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as var:
        server = _start_server(port, var)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/selfcheck", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            asyncio.run(_drive(base, 2, 2.0))  # warm-up: templates, catalogues, data files
            timings, errors, elapsed = asyncio.run(_drive(base, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    total = sum(len(v) for v in timings.values())
    everything = [t for v in timings.values() for t in v]
    print(f"{args.clients} clients, {elapsed:.1f} s, one uvicorn worker on loopback\n")
    print("| Requests | Count | Errors | req/s | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for name, *_ in MIX:
        values = timings[name]
        if values:
            print(f"| {name} | {len(values)} | {errors[name]} | {len(values) / elapsed:.1f} | "
                  f"{statistics.median(values) * 1000:.1f} | {_p95(values) * 1000:.1f} |")
    print(f"| **all** | {total} | {sum(errors.values())} | {total / elapsed:.1f} | "
          f"{statistics.median(everything) * 1000:.1f} | {_p95(everything) * 1000:.1f} |")


if __name__ == "__main__":
    main()
