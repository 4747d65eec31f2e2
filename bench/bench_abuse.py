"""The attacks of issue 18 (floods and guessing) replayed against `qingfeng serve --workers 2` on loopback:
how many requests got through, how many were refused, and what the throttling costs per request.

    python bench/bench_abuse.py [--reports 300] [--receipts 100] [--guesses 40] [--workers 2]

Starts the server with a throw-away data folder (SQLite) and the default limits; every request goes to
127.0.0.1 only. Prints one table.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import free_port, wait_ready

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def timed(call) -> tuple[int, float]:
    start = time.perf_counter()
    status = call().status_code
    return status, (time.perf_counter() - start) * 1000


def summary(label: str, results: list[tuple[int, float]], ok: int) -> str:
    passed = sum(1 for status, _ in results if status == ok)
    refused = sum(1 for status, _ in results if status == 429)
    times = [ms for _, ms in results]
    return f"{label:<44} {len(results):>6} {passed:>8} {refused:>8} {statistics.median(times):>9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--receipts", type=int, default=100)
    parser.add_argument("--guesses", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="qingfeng-abuse-"))
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QINGFENG_")}
    subprocess.run(
        [qingfeng, "users", "add", "victim", "--password", "right-password-1", "--data-dir", data],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [qingfeng, "users", "add", "bystander", "--password", "right-password-2", "--data-dir", data],
        check=True,
        capture_output=True,
        env=env,
    )
    port = free_port()
    command = [qingfeng, "serve", "--port", str(port), "--workers", str(args.workers), "--data-dir", str(data)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + "/api/rules")
        rows = []
        with httpx.Client(base_url=base, timeout=30) as http:
            start = time.perf_counter()
            filed = [timed(lambda: http.post("/api/reports", json={"text": "洪水"})) for _ in range(args.reports)]
            elapsed = time.perf_counter() - start
            rows.append(summary(f"file reports, one address ({elapsed:.1f} s)", filed, 201))
            codes = [f"{secrets.token_hex(2)}-AAAA-BBBB-CCCC" for _ in range(args.receipts)]
            looked = [timed(lambda c=c: http.get(f"/api/reports/{c}")) for c in codes]
            rows.append(summary("wrong receipt codes, one address", looked, 404))

            def login(name: str, password: str) -> httpx.Response:
                token = CSRF.search(http.get("/login").text).group(1)
                return http.post("/login", data={"name": name, "password": password, "csrf_token": token})

            guesses = [timed(lambda: login("victim", "guess")) for _ in range(args.guesses)]
            rows.append(summary("wrong passwords for one account, one address", guesses, 401))
            victim = [timed(lambda: login("victim", "right-password-1"))]
            rows.append(summary("right password, same account and address", victim, 303))
            bystander = [timed(lambda: login("bystander", "right-password-2")) for _ in range(5)]
            rows.append(summary("right password, other account, same address", bystander, 303))
        print(f"{'attack':<44} {'sent':>6} {'through':>8} {'refused':>8} {'p50 ms':>9}")
        print("\n".join(rows))
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
