"""What the attacks of issue 18 cost the server now: each is replayed against `qingfeng serve` (one worker,
SQLite, default limits) and the table gives the answer, the seconds until it came, and the server's peak
resident memory so far (VmHWM). Then the same files through `qingfeng scan`.

    .venv/bin/python bench/attack_costs.py
"""

from __future__ import annotations

import gzip
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, session_factory, sqlite_url

QINGFENG = str(Path(sys.executable).parent / "qingfeng")
MB = 1 << 20


def bomb(path: Path, byte: bytes, gigabytes: int = 4) -> Path:
    member = gzip.compress(byte * (64 * MB), compresslevel=9)
    path.write_bytes(member * (gigabytes * 16))
    return path


def endless(path: Path) -> Path:
    path.write_bytes(b'{"text": "' + "啊".encode() * (16 * MB))
    return path


def peak_mb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) // 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="qingfeng-attacks-"))
    files = {
        "gzip bomb (4 GB of zeros, 4 MB .gz)": bomb(work / "zeros.jsonl.gz", b"\0"),
        "newline flood (4 GB of newlines, 4 MB .gz)": bomb(work / "newlines.jsonl.gz", b"\n"),
        "a 48 MB line without newline": endless(work / "endless.jsonl"),
    }
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = work / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QINGFENG_")}
    server = subprocess.Popen([QINGFENG, "serve", "--port", str(port), "--data-dir", str(data)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/rules", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        engine = make_engine(sqlite_url(data))
        migrate(engine)
        with session_factory(engine)() as db:
            user = crud.create_user(db, name="owner", password="bench-password", role="owner")
            token = crud.create_api_token(db, user=user)
        http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300)
        print("| attack | answer | seconds | server peak RSS (MB) |\n| --- | --- | --- | --- |")
        print(f"| (server started) | | | {peak_mb(server.pid)} |")
        for size in (20, 100):
            body = b'{"text": "' + b"a" * (size * MB) + b'"}'
            started = time.perf_counter()
            status = http.post("/api/check", content=body, headers={"content-type": "application/json"}).status_code
            print(f"| /api/check, {size} MB body | {status} | {time.perf_counter() - started:.2f} | "
                  f"{peak_mb(server.pid)} |")
        for name, path in files.items():
            started = time.perf_counter()
            job = http.post("/api/scans", files={"file": (path.name, path.read_bytes())}).json()
            while job["status"] not in ("done", "failed"):
                time.sleep(0.1)
                job = http.get(f"/api/scans/{job['id']}").json()
            print(f"| scan upload: {name} | {job['status']}: {job['error']} | {time.perf_counter() - started:.2f} | "
                  f"{peak_mb(server.pid)} |")
    finally:
        server.terminate()
        server.wait()
    print("\n| `qingfeng scan` | exit | seconds | peak RSS (MB) |\n| --- | --- | --- | --- |")
    for name, path in files.items():
        started = time.perf_counter()
        done = subprocess.run([QINGFENG, "scan", str(path), "--lang", "en"], capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(f"| {name} | {done.returncode} | {time.perf_counter() - started:.2f} | ≤ {peak} |")


if __name__ == "__main__":
    main()
