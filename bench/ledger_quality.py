"""Precision and recall per ledger rule on a synthetic ledger with injected cases and ground truth.

    python bench/ledger_quality.py [--transfers 200000] [--seed 7]

A finding counts as right when its (rule, subject, counterparty | room | unit) is in the ground truth that
qingfeng.ledger.synthetic wrote with the cases; the look-alike negatives in the ledger must stay silent.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.screen import screen_file
from qingfeng.ledger.synthetic import expected_of, generate
from qingfeng.rulebook.loader import default_rulebook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qingfeng-ledger-") as folder:
        ledger = generate(Path(folder), args.transfers, seed=args.seed)
        result = screen_file(ledger.transfers, people=ledger.people, relations=ledger.relations,
                             elections=ledger.elections, thresholds=Thresholds(as_of=ledger.as_of))
    found = {expected_of(finding) for finding in result.findings}
    truth = set(ledger.expected)
    print(f"{ledger.rows:,} transfers, {len(truth)} expected findings, seed {args.seed}")
    print(f"{'rule':<8} {'expected':>8} {'found':>6} {'right':>6} {'precision':>9} {'recall':>7}")
    for rule in sorted(r.id for r in default_rulebook().rules_for("ledger")):
        expected = {item for item in truth if item.rule == rule}
        got = {item for item in found if item.rule == rule}
        right = len(expected & got)
        precision = right / len(got) if got else float("nan")
        recall = right / len(expected) if expected else float("nan")
        print(f"{rule:<8} {len(expected):>8} {len(got):>6} {right:>6} {precision:>9.3f} {recall:>7.3f}")


if __name__ == "__main__":
    main()
