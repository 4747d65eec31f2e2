"""What the statistical-model rules cost, in CPU time (steadier than wall-clock time on a shared machine).

    python bench/model_cost.py [--messages 20000] [--runs 2]

Checks the same synthetic messages (qingfeng.samples.synth, seed 0) in batches of 1,000 with the rule-based engine
(Checker(fast=True)) and the full engine, alternating, and prints messages per CPU-second of each run.
"""

from __future__ import annotations

import argparse
import sys
import time

from qingfeng.core.models import Message
from qingfeng.pipeline.engine import Checker
from qingfeng.samples.synth import Generator

BATCH = 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    messages = [Message.model_validate(record) for record in Generator(seed=0).records(args.messages)]
    batches = [messages[low : low + BATCH] for low in range(0, len(messages), BATCH)]
    engines = {"rule-based": Checker(fast=True), "full": Checker()}
    for checker in engines.values():
        checker.check_batch(batches[0])  # loads the models
    print(f"{'run':>4} " + "".join(f"{name + ' msg/CPU-s':>22}" for name in engines))
    for run in range(1, args.runs + 1):
        rates = []
        for checker in engines.values():
            started = time.process_time()
            for batch in batches:
                checker.check_batch(batch)
            rates.append(len(messages) / (time.process_time() - started))
        print(f"{run:>4} " + "".join(f"{rate:>22,.0f}" for rate in rates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
