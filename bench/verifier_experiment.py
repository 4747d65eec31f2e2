"""Experiment (issue 11): would a learned verifier of written-rule hits generalise across writers better than
the frames' cue lists?

    .venv/bin/pip install -e '.[train]'     # scikit-learn
    .venv/bin/python bench/verifier_experiment.py [--show-hit] [--first-pass]

Candidates are the written rules' findings at warn or block (statistical models and etiquette left out) on the
studied labelled sets, with the frames of frames.yaml switched off, so that the hits the frames set aside are
candidates too. A candidate is right when its category is among its message's labels.

A logistic regression over character 1-3-grams of the 15 characters either side of the hit (the hit itself
masked, or shown as well), the rule id and the category, is tested writer by writer: trained on every other
studied file, scored on the one left out (each file is one writer). Its threshold is chosen without the left-out
file: so that 95 % (or 98 %) of the right hits of the other files, scored out of fold, are kept. The table
sets it beside what the frames do on the same file (frames on against off); the frames were tuned on these very
files, so their figures here are in-sample and flatter them. ``--first-pass`` adds a fairer comparison for the
three newest writers: their candidates under the rules of the commit that recorded their first pass (its src/
extracted with ``git archive`` and run by this script), frames as they stood before anyone read those files.
No unseen set is read.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from qingfeng import Checker, Message
from qingfeng.core.models import MODEL_KINDS, SEVERITY_RANK, Finding

BENCH = Path(__file__).resolve().parent
DEV = BENCH.parents[1] / "shared" / "data" / "messages" / "dev.jsonl"
WINDOW = 15
KEEPS = (0.95, 0.98)
# The commits that recorded the newest writers' first passes, before anyone read them (see the README)
FIRST_PASSES = {"120433c": ["holdout10.jsonl", "holdout11.jsonl"], "48b90ef": ["holdout12.jsonl"]}


@dataclass
class Candidate:
    writer: str
    rule: str
    category: str
    left: str
    hit: str
    right: str
    right_hit: bool  # its category is among the message's labels
    framed: bool  # the frames set it aside


def studied_files() -> list[Path]:
    holdouts = sorted(BENCH.glob("data/holdout[0-9]*.jsonl"), key=lambda p: int(p.stem.removeprefix("holdout")))
    return [DEV, *holdouts, *sorted(BENCH.glob("data/train/t*.jsonl"))]


def _flags(findings: list[Finding]) -> dict[tuple[str, int | None, int | None], Finding]:
    """Written-rule findings at warn or block, outside etiquette, by category and span."""
    return {(f.category, f.start, f.end): f for f in findings
            if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warn"] and f.category != "etiquette"
            and (f.why is None or f.why.kind not in MODEL_KINDS)}


def candidates(path: Path, framed: Checker, unframed: Checker) -> list[Candidate]:
    records = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    messages = [Message.model_validate(record) for record in records]
    found = []
    for record, message, on, off in zip(records, messages, framed.check_many(messages),
                                        unframed.check_many(messages), strict=True):
        labels = set(record.get("labels") or [])
        standing = _flags(on)
        text = message.text
        for key, finding in _flags(off).items():
            start = finding.start if finding.start is not None else 0
            end = finding.end if finding.end is not None else min(len(text), 2 * WINDOW)
            found.append(Candidate(path.stem, finding.rule, finding.category, text[max(0, start - WINDOW):start],
                                   text[start:end], text[end:end + WINDOW], finding.category in labels,
                                   key not in standing))
    return found


def features(show_hit: bool) -> Callable[[Candidate], list[str]]:
    def grams(prefix: str, text: str) -> list[str]:
        return [f"{prefix}{text[i:i + n]}" for n in (1, 2, 3) for i in range(len(text) - n + 1)]

    def of(c: Candidate) -> list[str]:
        # the window read across the hit, the hit a mark of its own: "left□right"
        out = [*grams("w", f"{c.left}□{c.right}"), f"rule:{c.rule}", f"cat:{c.category}"]
        return out + grams("h", c.hit) if show_hit else out
    return of


def fit(train: list[Candidate], show_hit: bool) -> Callable[[list[Candidate]], np.ndarray]:
    vectorizer = TfidfVectorizer(analyzer=features(show_hit), sublinear_tf=True, min_df=2)
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
    model.fit(vectorizer.fit_transform(train), [c.right_hit for c in train])
    return lambda items: model.predict_proba(vectorizer.transform(items))[:, 1]


def thresholds(train: list[Candidate], show_hit: bool) -> dict[float, float]:
    """Per share of right hits to keep, the score threshold, from out-of-fold scores over the training writers."""
    writers = np.array([c.writer for c in train])
    scores = np.zeros(len(train))
    for inner, outer in GroupKFold(n_splits=5).split(train, groups=writers):
        scores[outer] = fit([train[i] for i in inner], show_hit)([train[i] for i in outer])
    right = np.sort(scores[[c.right_hit for c in train]])
    return {keep: float(right[int((1 - keep) * len(right))]) for keep in KEEPS}


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    right_lost: int = 0
    wrong_removed: int = 0

    def add(self, items: list[Candidate], removed: np.ndarray) -> None:
        truth = np.array([c.right_hit for c in items], dtype=bool)
        self.right += int(truth.sum())
        self.wrong += int((~truth).sum())
        self.right_lost += int((truth & removed).sum())
        self.wrong_removed += int((~truth & removed).sum())

    def cells(self) -> str:
        kept = 1 - self.right_lost / self.right if self.right else float("nan")
        removed = self.wrong_removed / self.wrong if self.wrong else float("nan")
        return f"{100 * removed:5.1f} {100 * kept:5.1f}"


COLUMNS = ["frames", *(f"verifier@{k:.0%}" for k in KEEPS), *(f"frames+v@{k:.0%}" for k in KEEPS)]


def removals(test: list[Candidate], train: list[Candidate], show_hit: bool) -> dict[str, np.ndarray]:
    """Per column, which of the left-out file's candidates it removes."""
    scores = fit(train, show_hit)(test)
    cut = thresholds(train, show_hit)
    framed_out = np.array([c.framed for c in test], dtype=bool)
    row = {"frames": framed_out}
    for keep in KEEPS:
        row[f"verifier@{keep:.0%}"] = scores < cut[keep]
        row[f"frames+v@{keep:.0%}"] = framed_out | (scores < cut[keep])
    return row


def table(pool: list[Candidate], tests: dict[str, list[Candidate]], show_hit: bool) -> None:
    totals = {column: Tally() for column in COLUMNS}
    print(f"{'left out':11} {'right':>5} {'wrong':>5}  " + "  ".join(f"{c:>13}" for c in COLUMNS))
    for writer, test in tests.items():
        tallies = {column: Tally() for column in COLUMNS}
        for column, removed in removals(test, [c for c in pool if c.writer != writer], show_hit).items():
            tallies[column].add(test, removed)
            totals[column].add(test, removed)
        _print_row(writer, tallies)
    _print_row("pooled", totals)


def _print_row(name: str, tallies: dict[str, Tally]) -> None:
    first = tallies["frames"]
    print(f"{name:11} {first.right:5d} {first.wrong:5d}  " + "  ".join(f"{tallies[c].cells():>13}" for c in COLUMNS))


def checkers() -> tuple[Checker, Checker]:
    """The engine as it is, and with the frames off (no hit set aside); fast: no statistical models."""
    framed, unframed = Checker(fast=True), Checker(fast=True)
    unframed.frames.excuse = lambda *_: None  # type: ignore[method-assign]
    framed.verifier = unframed.verifier = None  # the shipped verifier (bench/train_verifier.py) is what is weighed
    return framed, unframed


def at_first_pass(commit: str, names: list[str]) -> list[Candidate]:
    """The candidates of these files under the rules of ``commit``: its src/ run by this script (``--dump``)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", commit, "src"], cwd=BENCH.parent, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": f"{tmp}/src", "QINGFENG_CACHE_DIR": f"{tmp}/cache"}
        dump = subprocess.run([sys.executable, __file__, "--dump", *names], env=env, capture_output=True, check=True)
    return [Candidate(**orjson.loads(line)) for line in dump.stdout.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-hit", action="store_true", help="the hit's own characters as features too")
    parser.add_argument("--first-pass", action="store_true",
                        help="also the newest writers under the rules of their first pass (frames not yet tuned)")
    parser.add_argument("--dump", nargs="+", metavar="FILE", help=argparse.SUPPRESS)  # for --first-pass
    args = parser.parse_args()
    if args.dump:
        for path in args.dump:
            for candidate in candidates(BENCH / "data" / path, *checkers()):
                sys.stdout.buffer.write(orjson.dumps(candidate) + b"\n")
        return
    files = studied_files()
    pool = [c for path in files for c in candidates(path, *checkers())]
    print(f"features: window of {WINDOW} either side, hit {'shown' if args.show_hit else 'masked'}; "
          "each cell: % of wrong hits removed, % of right hits kept (of the hits with frames off)")
    table(pool, {path.stem: [c for c in pool if c.writer == path.stem] for path in files}, args.show_hit)
    if args.first_pass:
        print("\nthe newest writers under the rules of the commit that recorded their first pass "
              "(frames as they stood before anyone read them; the verifier as above):")
        tests: dict[str, list[Candidate]] = {}
        for commit, names in FIRST_PASSES.items():
            for candidate in at_first_pass(commit, names):
                tests.setdefault(candidate.writer, []).append(candidate)
        table(pool, tests, args.show_hit)


if __name__ == "__main__":
    main()
