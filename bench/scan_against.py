"""The scan pipeline before and after a change, in one run: `qingfeng scan ARCHIVE --format jsonl` of another
checkout's source (--against) and of this one, alternating, for --jobs 1 and 2.

    python bench/scan_against.py --against /tmp/main/src                     # 50,000 messages, 2 rounds
    python bench/scan_against.py --against /tmp/main/src --archive-mb 128 --rounds 1   # peak memory on 128 MB

Each run is a whole `qingfeng scan` process (bench/scan_speed.peak_memory: PYTHONPATH selects the tree, each tree
its own compiled-rulebook cache made current first), over the archive of bench/scan_speed.py (qingfeng.samples.synth
seed 0, 30 % problems: about 70 % clean). Printed per run: messages per wall-clock and per CPU second (the process
and its workers, start-up included), peak RSS summed over the processes and peak PSS; and whether every run wrote
the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from scan_speed import peak_memory, write_archive, write_large  # bench/, beside this script

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", type=Path, required=True, help="the other tree's src folder")
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--archive-mb", type=int, default=0, help="an archive of this size instead of --messages")
    parser.add_argument("--problems", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    trees = {"before": args.against.resolve(), "after": HERE.parent / "src"}
    digests: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="qingfeng-against-") as temporary:
        folder = Path(temporary)
        archive = folder / "mix.jsonl"
        if args.archive_mb:
            count = write_large(archive, args.archive_mb, args.problems)
        else:
            count = args.messages
            write_archive(archive, count, args.problems)
        size = archive.stat().st_size / 2**20
        print(f"archive: {count:,} messages ({size:,.0f} MB); whole `qingfeng scan --format jsonl` processes")
        print(f"{'run':22} {'msg/s wall':>11} {'msg/s CPU':>10} {'peak RSS':>9} {'peak PSS':>9}")
        for round_ in range(1, args.rounds + 1):
            for jobs in (1, 2):
                for name, src in trees.items():
                    os.environ["PYTHONPATH"] = str(src)
                    place = folder / name
                    place.mkdir(exist_ok=True)
                    rss, pss, wall, cpu = peak_memory(archive, jobs, place)
                    findings = place / "findings.jsonl"
                    with findings.open("rb") as written:
                        digests.add(hashlib.file_digest(written, "sha256").hexdigest())
                    findings.unlink()
                    print(f"{name} --jobs {jobs} ({round_}){'':6} {count / wall:>11,.0f} {count / cpu:>10,.0f} "
                          f"{rss:>6,.0f} MB {pss:>6,.0f} MB", flush=True)
    print("output: the same bytes in every run" if len(digests) == 1 else f"output DIFFERS: {len(digests)} versions")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
