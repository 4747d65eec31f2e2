"""SMS adverts: spam recall on the adverts of sms_spam.dev.jsonl, split into a study half and a check half, and the
share of its "ham" flagged as spam.

    python bench/adverts.py                  # the table: recall on each half, "ham" flagged as spam
    python bench/adverts.py --misses N       # also N study-half adverts still missed (never the check half's)
    python bench/adverts.py --ham-flags      # also every "ham" text flagged as spam, with the rule and excerpt

sms_spam is evaluate-only (never a training row). Its adverts are shuffled with a fixed seed and cut in two: the
study half may be read to learn how adverts look; the check half is only counted, so that its recall shows how
well a change made from the study half generalises. A text counts as recalled when any spam finding is at warn
or block. The "ham" side includes real adverts the corpus calls ham (shop pages, loan offers): its flags are
judged by hand against the labelling guide (bench/realtext.py keeps those verdicts for its samples).
"""

from __future__ import annotations

import argparse
import random
import sys

from eval_messages import SHARED, flagged_categories, read_records
from qingfeng import Checker, Message

SPLIT_SEED = 20261207
SMS = SHARED / "public" / "sms_spam.dev.jsonl"


def halves(adverts: list[dict]) -> tuple[list[dict], list[dict]]:
    """The adverts shuffled with a fixed seed: (study half, check half)."""
    order = sorted(adverts, key=lambda record: record["id"])
    random.Random(SPLIT_SEED).shuffle(order)
    middle = len(order) // 2
    return order[:middle], order[middle:]


def spam_flags(records: list[dict], checker: Checker) -> list[list]:
    """Per record, its spam findings at warn or block."""
    messages = [Message.model_validate(record) for record in records]
    return [[f for f in findings if f.category == "spam" and flagged_categories([f])]
            for findings in checker.check_many(messages)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", type=int, default=0, help="list this many study-half adverts still missed")
    parser.add_argument("--ham-flags", action="store_true", help='list every "ham" text flagged as spam')
    args = parser.parse_args()
    if not SMS.exists():
        print(f"{SMS.name}: not found (the shared data folder sits beside the checkout)", file=sys.stderr)
        return 2
    records = read_records(SMS)
    study, check = halves([r for r in records if "spam" in (r.get("labels") or [])])
    ham = [r for r in records if not r.get("labels")]
    checker = Checker()
    study_flags, check_flags, ham_flags = (spam_flags(part, checker) for part in (study, check, ham))
    print("| part | texts | flagged as spam | share |\n| --- | --- | --- | --- |")
    for name, part, flags in (("adverts, study half", study, study_flags), ("adverts, check half", check, check_flags),
                              ('"ham"', ham, ham_flags)):
        hits = sum(bool(f) for f in flags)
        print(f"| {name} | {len(part):,} | {hits:,} | {hits / len(part):.2%} |")
    if args.misses:
        missed = [r for r, f in zip(study, study_flags, strict=True) if not f]
        print(f"\nstudy-half misses ({len(missed)}), the first {args.misses}:")
        for record in missed[: args.misses]:
            print(f"  {record['id']} {record['text']}")
    if args.ham_flags:
        print('\n"ham" flagged as spam:')
        for record, flags in zip(ham, ham_flags, strict=True):
            if flags:
                why = "; ".join(f"{f.rule}「{f.excerpt}」" for f in flags)
                print(f"  {record['id']} {record['text']} ← {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
