"""What the etiquette rules (form, timing, chatter, voice) cost in a batch scan.

    python bench/speed_etiquette.py            # ../shared/data/messages/dev.jsonl, else the bundled sample
    python bench/speed_etiquette.py --copies 100

Each text is made unique (a counter appended to half of them) so that per-text caches do not flatter
the figures. Prints messages per second for the whole rulebook, the rulebook without the ETQ rules, and
the ETQ rules alone, on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import orjson

from qingfeng import Checker, Message

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "messages" / "dev.jsonl"
SAMPLE = ROOT / "src" / "qingfeng" / "samples" / "archive.jsonl"


def messages(path: Path, copies: int) -> list[Message]:
    records = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    return [
        Message.model_validate(record | {"text": record.get("text", "") + ("" if n % 2 else f"（{n}）")})
        for n in range(copies)
        for record in records
    ]


def rate(checker: Checker, batch: list[Message]) -> float:
    list(checker.check_many(batch[:2000]))  # warm up: compiled patterns, calendar answers
    started = time.perf_counter()
    count = sum(1 for _ in checker.check_many(batch))
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEV if DEV.exists() else SAMPLE)
    parser.add_argument("--copies", type=int, default=100, help="how many times the file is repeated")
    args = parser.parse_args()
    batch = messages(args.path, args.copies)
    print(f"{args.path.name}: {len(batch)} messages")
    print(f"{'rules':24} {'messages/s':>12}")
    for name, checker in (
        ("all", Checker()),
        ("all but ETQ", Checker(ignore=["ETQ"])),
        ("ETQ only", Checker(select=["ETQ"])),
    ):
        print(f"{name:24} {rate(checker, batch):12,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
