"""POST /api/check under load: throughput and latency of `qingfeng serve` on loopback, measured with wrk.

    python bench/bench_web.py [--seconds 10] [--connections 32] [--threads 1] [--workers 2]

Starts `qingfeng serve` on a free loopback port with a throw-away data folder, warms it up, runs Debian's
`wrk` (apt-get install wrk) with a ~200-character work-group draft, and prints a table. The request loop
is bounded by --seconds and only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

DRAFT = {
    "id": "bench",
    "channel": "group",
    "room_name": "县财政局办公室工作群",
    "time": "2026-03-04T10:15:00+08:00",
    "text": (
        "各位同事：根据局党组安排，本周四下午3点在五楼会议室召开一季度预算执行分析会，请各科室负责人准时参加，"
        "会前将本科室预算执行情况表报办公室。附件是《2026年干部调整方案（内部资料 不得外传）》，看完请删除。"
        "联系人周敏，身份证 640102198803150021，电话 0951-5012345。县财政局办公室"
    ),
}
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{body}]]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (one per core)")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs (the median is shown last)")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data, tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(LUA.format(body=json.dumps(DRAFT, ensure_ascii=False)))
        script.flush()
        server = subprocess.Popen(
            [qingfeng, "serve", "--port", str(port), "--data-dir", data, "--workers", str(args.workers)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(base + "/api/rules")
            request = urllib.request.Request(
                base + "/api/check", json.dumps(DRAFT).encode(), {"Content-Type": "application/json"}
            )
            findings = json.load(urllib.request.urlopen(request))["findings"]
            subprocess.run(
                [wrk, "-t1", "-c8", "-d5s", "-s", script.name, base + "/api/check"], check=True, capture_output=True
            )  # warm-up, long enough for every worker process to have started
            command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
            runs = [
                parse(
                    subprocess.run(
                        [*command, "-s", script.name, base + "/api/check"], check=True, capture_output=True, text=True
                    ).stdout
                )
                for _ in range(args.repeat)
            ]
        finally:
            server.terminate()
            server.wait(timeout=15)
    print(
        f"POST /api/check · {len(DRAFT['text'])}-character draft ({len(findings)} findings) · "
        f"{args.workers} server worker(s) · {args.connections} connections · {args.seconds}s · wrk on loopback"
    )
    print(f"{'run':>6} {'requests/s':>12} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for number, run in enumerate(runs, start=1):
        print(f"{number:>6} " + row(run))
    middle = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    print(f"{'median':>6} " + row(middle))


def parse(output: str) -> tuple[float, float, float, float, int]:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latencies = (to_ms(percentiles["50"]), to_ms(percentiles["90"]), to_ms(percentiles["99"]))
    return (rate, *latencies, int(errors.group(1)) if errors else 0)


def row(run: tuple[float, float, float, float, int]) -> str:
    rate, p50, p90, p99, errors = run
    return f"{rate:>12.0f} {p50:>8.2f} {p90:>8.2f} {p99:>8.2f} {errors:>7}"


if __name__ == "__main__":
    main()
