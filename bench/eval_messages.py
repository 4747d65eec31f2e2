"""Detection quality: per-category precision, recall and F1 on labelled messages.

    python bench/eval_messages.py                       # ../shared/data/messages/dev.jsonl
    python bench/eval_messages.py FILE.jsonl --errors   # any labelled message JSONL, listing misses
    python bench/eval_messages.py --public              # also the public sets in ../shared/data/public
    python bench/eval_messages.py --disguised           # also every text in disguise (needs the train extra)
    python bench/eval_messages.py --held-out            # the public parts no model was trained on, and how
                                                        # often the model rules flag real ordinary messages

A message counts as flagged in a category when any finding of that category is at warn or block.
Out-of-scope messages (opinions, religious greetings, complaints: ``"scope": "out"`` or a note saying
"out of scope") must get no finding at all, except etiquette advice. Positives whose writer's note calls them
disguised (pinyin, homophones, split characters…) get a recall line of their own.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from qingfeng import Checker, Message
from qingfeng.core.models import SEVERITY_RANK, Finding, from_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV = SHARED / "messages" / "dev.jsonl"
PUBLIC = {
    "sms_spam.dev.jsonl": "spam",
    "fraud_texts.dev.jsonl": "fraud",
    "offensive_cold.dev.jsonl": "abuse",
    "sexism_swsr.dev.jsonl": "abuse",
}
# Never trained on (see bench/train_abuse_model.py): COLD's last 6,431 records, SWSR's every fifth record.
COLD_HELD_OUT = 6431
# Real ordinary messages for counting the model rules' false alarms; sms_spam and fraud_texts are never trained on.
HAM = ("sms_spam.dev.jsonl", "fraud_texts.dev.jsonl")
MESSAGE_CATEGORIES = ("secrecy", "privacy", "gifts", "fraud", "spam", "chain", "rumor", "vulgar", "illegal", "abuse",
                      "etiquette")


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    support: Counter[str] = field(default_factory=Counter)
    out_of_scope: int = 0
    out_of_scope_flagged: list[str] = field(default_factory=list)
    clean: int = 0  # in-scope messages with no label: hard negatives included
    clean_flagged: int = 0  # … flagged at warn or block in any category but etiquette
    clean_model_flagged: int = 0  # … of them by a statistical model's rule
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (predicted, true labels) for FPs
    # labels of positives whose writer's note calls them disguised, and how many of those were flagged
    disguised: int = 0
    disguised_found: int = 0
    errors: list[str] = field(default_factory=list)


def flagged_categories(findings: Iterable[Finding]) -> set[str]:
    return {f.category for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warn"]}


def is_out_of_scope(record: dict) -> bool:
    return record.get("scope") == "out" or str(record.get("note", "")).startswith("out of scope")


def read_records(path: Path) -> list[dict]:
    with path.open("rb") as stream:
        return [orjson.loads(line) for line in stream if line.strip()]


def evaluate(records: list[dict], checker: Checker, categories: Iterable[str]) -> Tally:
    tally = Tally()
    wanted = set(categories)
    messages = [Message.model_validate(record) for record in records]
    for record, message, findings in zip(records, messages, checker.check_many(messages), strict=True):
        truth = set(record.get("labels") or []) & wanted
        got = flagged_categories(findings) & wanted
        for category in truth:
            tally.support[category] += 1
        if truth and "disguis" in str(record.get("note", "")).lower():
            tally.disguised += len(truth)
            tally.disguised_found += len(got & truth)
        for category in got & truth:
            tally.tp[category] += 1
        for category in got - truth:
            tally.fp[category] += 1
            tally.confusion[(category, ",".join(sorted(truth)) or "clean")] += 1
            why = "; ".join(f"{f.rule}「{f.excerpt}」" for f in findings if f.category == category)
            tally.errors.append(f"FP {category:9} {record.get('id')} {message.text[:70]!r} ← {why}")
        for category in truth - got:
            tally.fn[category] += 1
            tally.errors.append(f"FN {category:9} {record.get('id')} {message.text[:70]!r} ({record.get('note', '')})")
        if not truth and not is_out_of_scope(record):
            tally.clean += 1
            tally.clean_flagged += bool(got - {"etiquette"})
            tally.clean_model_flagged += any(
                from_model(f) and f.category != "etiquette" and SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warn"]
                for f in findings)
        if is_out_of_scope(record):
            tally.out_of_scope += 1
            if any(f.category != "etiquette" for f in findings):
                tally.out_of_scope_flagged.append(
                    f"{record.get('id')} {message.text[:60]!r} ← {[f.rule for f in findings]}"
                )
    return tally


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.3f}"


def print_table(title: str, tally: Tally, categories: Iterable[str]) -> None:
    print(f"\n{title}")
    print(f"{'category':10} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>8} {'TP':>5} {'FP':>5} {'FN':>5}")
    for category in categories:
        tp, fp, fn = tally.tp[category], tally.fp[category], tally.fn[category]
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = (2 * precision * recall / (precision + recall)) if precision and recall else None
        print(f"{category:10} {_fmt(precision):>6} {_fmt(recall):>6} {_fmt(f1):>6} "
              f"{tally.support[category]:8d} {tp:5d} {fp:5d} {fn:5d}")


def held_out_parts() -> dict[str, tuple[list[dict], str]]:
    cold = read_records(SHARED / "public" / "offensive_cold.dev.jsonl")
    swsr = read_records(SHARED / "public" / "sexism_swsr.dev.jsonl")
    return {
        f"offensive_cold, last {COLD_HELD_OUT}": (cold[-COLD_HELD_OUT:], "abuse"),
        "sexism_swsr, every fifth": ([r for i, r in enumerate(swsr) if i % 5 == 4], "abuse"),
    }


def print_accuracy(tally: Tally, category: str, count: int) -> None:
    negatives = count - tally.support[category]
    correct = tally.tp[category] + negatives - tally.fp[category]
    print(f"accuracy {correct / count:.3f}; false alarms {tally.fp[category] / max(1, negatives):.4f} of "
          f"{negatives} negatives")


def model_false_alarms(checker: Checker) -> None:
    """How many real ordinary messages (no label) a model rule flags at warn or block."""
    sets = {name: [r for r in read_records(SHARED / "public" / name) if not r.get("labels")] for name in HAM}
    sets["COLD + SWSR held-out, not offensive"] = [
        r for records, _ in held_out_parts().values() for r in records if not r.get("labels")]
    for name, records in sets.items():
        messages = [Message.model_validate(record) for record in records]
        flagged: Counter[str] = Counter()
        any_model = 0
        for findings in checker.check_many(messages):
            rules = {f.rule for f in findings if from_model(f) and SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warn"]}
            flagged.update(rules)
            any_model += bool(rules)
        print(f"\n{name}: {len(records)} ordinary messages, {any_model} ({any_model / len(records):.4%}) flagged "
              f"by a model rule at warn/block")
        for rule, count in flagged.most_common():
            print(f"  {rule} {count}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEV)
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--public", action="store_true", help="also measure the public data sets")
    parser.add_argument("--limit", type=int, default=0, help="sample at most this many records per public set")
    parser.add_argument("--disguised", action="store_true",
                        help="also the set with every text disguised as evaders do (homophones, pinyin, symbols…)")
    parser.add_argument("--held-out", action="store_true",
                        help="the public parts no model trained on, and the model rules' false alarms on real text")
    args = parser.parse_args()
    if not args.path.exists():
        print(f"{args.path}: not found (the shared data folder sits beside the checkout)", file=sys.stderr)
        return 2
    checker = Checker()
    records = read_records(args.path)
    started = time.perf_counter()
    tally = evaluate(records, checker, MESSAGE_CATEGORIES)
    elapsed = time.perf_counter() - started
    print_table(f"{args.path.name}: {len(records)} messages ({elapsed:.2f} s)", tally, MESSAGE_CATEGORIES)
    print(f"\nout-of-scope messages: {tally.out_of_scope}, flagged (must be 0): {len(tally.out_of_scope_flagged)}")
    for line in tally.out_of_scope_flagged:
        print("  ", line)
    if tally.clean:
        print(f"clean messages: {tally.clean}, flagged outside etiquette: {tally.clean_flagged} "
              f"({100 * tally.clean_flagged / tally.clean:.1f} %), by a model rule: {tally.clean_model_flagged} "
              f"({100 * tally.clean_model_flagged / tally.clean:.1f} %)")
    if tally.disguised:
        print(f"disguised positives (the note says so): {tally.disguised} labels, recalled {tally.disguised_found} "
              f"({tally.disguised_found / tally.disguised:.3f})")
    if tally.confusion:
        print("\nfalse alarms by (flagged as ← truly):")
        for (predicted, truth), count in tally.confusion.most_common():
            print(f"  {predicted:10} ← {truth:20} {count}")
    if args.errors:
        print("\nerrors:")
        for line in sorted(tally.errors):
            print("  ", line)
    if args.disguised:
        from modeltrain import Disguiser  # the train extra: pypinyin

        disguise = Disguiser([record["text"] for record in records])
        disguised = [record | {"text": disguise(record["text"])} for record in records]
        print_table(f"{args.path.name}, every text disguised", evaluate(disguised, checker, MESSAGE_CATEGORIES),
                    MESSAGE_CATEGORIES)
    if args.public:
        for name, category in PUBLIC.items():
            path = SHARED / "public" / name
            if not path.exists():
                continue
            public = read_records(path)
            if args.limit and len(public) > args.limit:
                # an evenly spaced sample: the sets are sorted by label, so a prefix would hold one label only
                public = public[:: len(public) // args.limit][: args.limit]
            started = time.perf_counter()
            result = evaluate(public, checker, [category])
            elapsed = time.perf_counter() - started
            print_table(f"{name}: {len(public)} texts, category {category} ({elapsed:.1f} s)", result, [category])
            if args.errors:
                for line in sorted(result.errors)[:60]:
                    print("  ", line)
    if args.held_out:
        for name, (records, category) in held_out_parts().items():
            result = evaluate(records, checker, [category])
            print_table(f"{name}: {len(records)} texts, category {category}", result, [category])
            print_accuracy(result, category, len(records))
        model_false_alarms(checker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
