"""What the engines cost, in CPU time (steadier than wall-clock time on a shared machine), and against an older tree.

    python bench/model_cost.py [--messages 20000] [--runs 2] [--problems 0.05]
    git archive main | tar -x -C /tmp/main                 # an older tree to compare with, then:
    python bench/model_cost.py --problems 0.3 --against /tmp/main/src --runs 3

Checks the same synthetic messages (qingfeng.samples.synth, seed 0, --problems of them problems) in batches of
1,000 with the rule-based engine (Checker(fast=True)) and the full engine, and prints messages per CPU-second of
each run, and the p50 and p99 of one 200-character draft through the full engine (``scan_speed.latency``). With
--against, every run checks them twice, each in a fresh process: once with the package at that source folder
first on the path ("before") and once with this one ("after"), alternating, so that both meet the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from qingfeng.core.models import Message
from qingfeng.pipeline.engine import Checker
from qingfeng.samples.synth import Generator
from scan_speed import latency  # bench/, beside this script

BATCH = 1000
ENGINES = ("rule-based", "full")


def rates(count: int, problems: float) -> list[float]:
    messages = [Message.model_validate(record) for record in Generator(seed=0, problem_share=problems).records(count)]
    batches = [messages[low : low + BATCH] for low in range(0, len(messages), BATCH)]
    found = []
    for checker in (Checker(fast=True), Checker()):
        checker.check_batch(batches[0])  # loads the models
        started = time.process_time()
        for batch in batches:
            checker.check_batch(batch)
        found.append(len(messages) / (time.process_time() - started))
    return [*found, *latency()]


def _in_process(args: argparse.Namespace, source: str | None) -> list[float]:
    env = dict(os.environ)
    if source:
        env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, __file__, "--messages", str(args.messages), "--problems", str(args.problems), "--json"]
    return json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--problems", type=float, default=0.05, help="share of problem messages (default 0.05)")
    parser.add_argument("--against", help="the src folder of another tree, measured alternately with this one")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(rates(args.messages, args.problems)))
        return 0
    trees = [("before", args.against), ("after", None)] if args.against else [("", None)]
    print(f"{'run':>4} {'tree':>6} " + "".join(f"{name + ' msg/CPU-s':>22}" for name in ENGINES)
          + f"{'draft p50 / p99 ms':>22}")
    for run in range(1, args.runs + 1):
        for name, source in trees:
            found = _in_process(args, source) if args.against else rates(args.messages, args.problems)
            print(f"{run:>4} {name:>6} " + "".join(f"{rate:>22,.0f}" for rate in found[:2])
                  + f"{found[2]:>15.3f} / {found[3]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
