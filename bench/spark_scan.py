"""qingfeng on Spark against one machine: the same archive and ledger, timed, and the finding sets compared.

    python bench/spark_scan.py                                   # 1,000,000 messages, 10,000,000 transfers
    python bench/spark_scan.py --messages 200000 --transfers 1000000

Each run is a fresh `qingfeng …` process, as a user starts it, so Spark's start (JVM, Python workers, the
rulebook built once per worker) is in the figure. Prints one table: messages (or transfers) per second for
`qingfeng scan --jobs 2`, `qingfeng spark scan` on local[1] and local[2], `qingfeng ledger` and
`qingfeng spark ledger` on local[2], each with whether its finding set (message id, rule, fingerprint) equals
the one-machine run's. Spark runs are bounded to 2 GB of driver memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from qingfeng.ledger.synthetic import generate
from qingfeng.samples.synth import Generator

QINGFENG = [sys.executable, "-m", "qingfeng"]
STARTUP_MESSAGES = 1_000


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([*QINGFENG, *args], capture_output=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return time.perf_counter() - started


def keys_jsonl(paths: list[Path]) -> set[tuple[str, str, str]]:
    return {(r["message_id"], r["rule"], r["fingerprint"])
            for path in paths for r in map(orjson.loads, path.read_bytes().splitlines())}


def keys_parquet(folder: Path) -> set[tuple[str, str, str]]:
    table = pq.read_table(folder, columns=["message_id", "rule", "fingerprint"])
    return set(zip(*(table.column(c).to_pylist() for c in ("message_id", "rule", "fingerprint")), strict=True))


def scan_rows(work: Path, messages: int, masters: list[str]) -> list[tuple[str, int, float, str]]:
    archive = work / "messages.jsonl"
    with archive.open("wb") as out:
        out.writelines(Generator(seed=0).lines(messages))
    local_out = work / "scan.jsonl"
    seconds = timed(["scan", str(archive), "--format", "jsonl", "--out", str(local_out), "--jobs", "2"])
    expected = keys_jsonl([local_out])
    rows = [("qingfeng scan --jobs 2", messages, seconds, f"{len(expected):,} findings")]
    small = work / "small.jsonl"  # Spark's fixed cost: start, plan, Python workers, rulebook
    with small.open("wb") as out:
        out.writelines(Generator(seed=0).lines(STARTUP_MESSAGES))
    start = timed(["spark", "scan", str(small), "--out", str(work / "spark-small"), "--master", "local[2]"])
    rows.append(("qingfeng spark scan local[2], fixed cost", STARTUP_MESSAGES, start, "start-up"))
    for master in masters:
        out = work / f"spark-{master}"
        seconds = timed(["spark", "scan", str(archive), "--out", str(out), "--master", master])
        same = "identical" if keys_parquet(out) == expected else "DIFFERENT"
        rows.append((f"qingfeng spark scan {master}", messages, seconds, same))
        rows.append((f"  … beyond the fixed cost, {master}", messages - STARTUP_MESSAGES, seconds - start, ""))
    return rows


def ledger_rows(work: Path, transfers: int) -> list[tuple[str, int, float, str]]:
    ledger = generate(work / "ledger", transfers=transfers, seed=7, fmt="parquet")
    registers = ["--people", str(ledger.people), "--relations", str(ledger.relations),
                 "--elections", str(ledger.elections), "--as-of", ledger.as_of.isoformat()]
    local_out = work / "ledger.jsonl"
    seconds = timed(["ledger", str(ledger.transfers), *registers, "--format", "jsonl", "--out", str(local_out)])
    expected = keys_jsonl([local_out])
    rows = [("qingfeng ledger (DuckDB)", ledger.rows, seconds, f"{len(expected):,} findings")]
    out = work / "spark-ledger"
    seconds = timed(["spark", "ledger", str(ledger.transfers), *registers, "--out", str(out), "--master", "local[2]"])
    same = "identical" if keys_jsonl(sorted((out / "findings").glob("*.txt"))) == expected else "DIFFERENT"
    rows.append(("qingfeng spark ledger local[2]", ledger.rows, seconds, same))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--transfers", type=int, default=10_000_000)
    parser.add_argument("--masters", default="local[1],local[2]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qingfeng-spark-bench-") as folder:
        work = Path(folder)
        rows = scan_rows(work, args.messages, args.masters.split(",")) if args.messages else []
        rows += ledger_rows(work, args.transfers) if args.transfers else []
    print("| run | records | seconds | records/s | findings |\n|---|---:|---:|---:|---|")
    for name, count, seconds, note in rows:
        print(f"| {name} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} | {note} |")


if __name__ == "__main__":
    main()
