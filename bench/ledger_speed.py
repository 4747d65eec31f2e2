"""Ledger screening speed: generate a synthetic ledger (Parquet or CSV) in a temp folder and screen it.

    python bench/ledger_speed.py [--transfers 10000000] [--format parquet|csv] [--threads N] [--repeat 1]

Prints a table: rows, format, seconds to generate (not part of the target), seconds to screen — reading,
validating every row, all rules, the findings — and rows per second. Target (ARCHITECTURE.md): 10 million
transfers in at most 30 s on one machine.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.screen import screen_file
from qingfeng.ledger.synthetic import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=10_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    threads = args.threads or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="qingfeng-ledger-") as folder:
        started = time.perf_counter()
        ledger = generate(Path(folder), args.transfers, fmt=args.format, threads=threads)
        generated = time.perf_counter() - started
        size = ledger.transfers.stat().st_size
        print(f"{'rows':>12} {'format':>7} {'MB':>7} {'threads':>7} {'generate s':>10} {'screen s':>9} "
              f"{'rows/s':>12} {'findings':>8}")
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = screen_file(ledger.transfers, people=ledger.people, relations=ledger.relations,
                                 elections=ledger.elections, thresholds=Thresholds(as_of=ledger.as_of),
                                 threads=threads)
            took = time.perf_counter() - started
            print(f"{ledger.rows:>12,} {args.format:>7} {size / 1e6:>7.0f} {threads:>7} {generated:>10.1f} "
                  f"{took:>9.1f} {ledger.rows / took:>12,.0f} {len(result.findings):>8}")


if __name__ == "__main__":
    main()
