"""Findings unchanged: one digest of every finding the engine gives on the labelled and synthetic sets.

    python bench/same_findings.py                 # prints a digest per set and one over all
    python bench/same_findings.py --save F.json   # also keeps every set's findings, to diff against
    python bench/same_findings.py --diff F.json   # lists the messages whose findings differ from F.json

Speed work must not change a finding: run this before and after, and the digests must be equal. Sets: the
dev set, every holdout in bench/data, the public sets in ../shared/data/public (sms_spam: 52k real SMS;
fraud_texts, offensive_cold, sexism_swsr) and 20,000 synthetic messages (qingfeng.samples.synth, seed 0,
30 % problems). The full engine runs in batches of 512 and of 1,000, and dev goes through one message at a
time as well (a draft check), so a batch-level step that let one message change another's findings would
show. The rule-only engine (``Checker(fast=True)``) is digested too.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson

from qingfeng import Checker, Message
from qingfeng.core.models import Finding
from qingfeng.samples.synth import Generator

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"


def _jsonl(path: Path) -> list[Message]:
    with path.open("rb") as stream:
        return [Message.model_validate(orjson.loads(line)) for line in stream if line.strip()]


def sets() -> Iterator[tuple[str, list[Message]]]:
    yield "dev", _jsonl(SHARED / "messages" / "dev.jsonl")
    for path in sorted((HERE / "data").glob("holdout*.jsonl")):
        yield path.stem, _jsonl(path)
    for name in ("sms_spam", "fraud_texts", "offensive_cold", "sexism_swsr"):
        yield name, _jsonl(SHARED / "public" / f"{name}.dev.jsonl")
    generator = Generator(seed=0, problem_share=0.3)
    yield "synthetic", [Message.model_validate(record) for record in generator.records(20_000)]


def _record(finding: Finding) -> dict:
    record = finding.to_dict()
    record["why"] = repr(finding.why)
    return record


def findings_of(checker: Checker, messages: list[Message], batch: int) -> list[list[dict]]:
    out = []
    for start in range(0, len(messages), batch):
        out += [[_record(f) for f in found] for found in checker.check_batch(messages[start : start + batch])]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--diff", type=Path)
    args = parser.parse_args()
    checker, fast = Checker(), Checker(fast=True)
    everything: dict[str, list] = {}
    total = hashlib.sha256()
    for name, messages in sets():
        full = findings_of(checker, messages, 512)
        if findings_of(checker, messages, 1000) != full:
            print(f"{name}: findings depend on the batch size", file=sys.stderr)
            return 1
        if name == "dev" and findings_of(checker, messages, 1) != full:
            print(f"{name}: findings one message at a time differ from a batch", file=sys.stderr)
            return 1
        rules = findings_of(fast, messages, 1000)
        data = orjson.dumps({"full": full, "fast": rules}, option=orjson.OPT_SORT_KEYS)
        digest = hashlib.sha256(data).hexdigest()[:16]
        total.update(data)
        count = sum(map(len, full))
        print(f"{name:16} {len(messages):6} messages {count:6} findings (fast {sum(map(len, rules))}) {digest}")
        everything[name] = [[m.id, f, r] for m, f, r in zip(messages, full, rules, strict=True)]
    print(f"{'all':16} {total.hexdigest()[:16]}")
    if args.save:
        args.save.write_bytes(orjson.dumps(everything))
    if args.diff:
        before = orjson.loads(args.diff.read_bytes())
        for name, rows in everything.items():
            for old, new in zip(before.get(name, []), orjson.loads(orjson.dumps(rows)), strict=False):
                if old != new:
                    print(f"{name} {new[0]}:\n  before {old[1:]}\n  after  {new[1:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
