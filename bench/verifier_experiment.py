"""Experiment (issue 11): would a learned verifier of written-rule hits generalise across writers better than
the frames' cue lists?

    .venv/bin/pip install -e '.[train]'     # scikit-learn
    .venv/bin/python bench/verifier_experiment.py

Candidates are the written rules' findings at warn or block (statistical models and etiquette left out) on the
studied labelled sets, with the frames of frames.yaml switched off, so that the hits the frames set aside are
candidates too. A candidate is right when its category is among its message's labels.

A logistic regression over character 1-3-grams of the 15 characters either side of the hit (the hit itself
masked, or shown as well), the rule id and the category, is tested writer by writer: trained on every other
studied file, scored on the one left out (each file is one writer). Its threshold is chosen without the left-out
file: so that 95 % (or 98 %) of the right hits of the other files, scored out of fold, are kept. The table
sets it beside what the frames do on the same file (frames on against off); the frames were tuned on these very
files, so their figures here are in-sample and flatter them. No unseen set is read.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-hit", action="store_true", help="the hit's own characters as features too")
    args = parser.parse_args()
    framed, unframed = Checker(fast=True), Checker(fast=True)  # fast: no statistical models
    unframed.frames.excuse = lambda *_: None  # type: ignore[method-assign]  # frames off: no hit set aside
    files = studied_files()
    pool = [c for path in files for c in candidates(path, framed, unframed)]
    columns = ["frames", *(f"verifier@{k:.0%}" for k in KEEPS), *(f"frames+v@{k:.0%}" for k in KEEPS)]
    totals = {column: Tally() for column in columns}
    print(f"features: window of {WINDOW} either side, hit {'shown' if args.show_hit else 'masked'}; "
          "each cell: % of wrong hits removed, % of right hits kept (of the hits with frames off)")
    print(f"{'left out':11} {'right':>5} {'wrong':>5}  " + "  ".join(f"{c:>13}" for c in columns))
    for path in files:
        test = [c for c in pool if c.writer == path.stem]
        train = [c for c in pool if c.writer != path.stem]
        scores = fit(train, args.show_hit)(test)
        cut = thresholds(train, args.show_hit)
        framed_out = np.array([c.framed for c in test], dtype=bool)
        row = {"frames": framed_out}
        for keep in KEEPS:
            row[f"verifier@{keep:.0%}"] = scores < cut[keep]
            row[f"frames+v@{keep:.0%}"] = framed_out | (scores < cut[keep])
        tallies = {column: Tally() for column in columns}
        for column, removed in row.items():
            tallies[column].add(test, removed)
            totals[column].add(test, removed)
        first = tallies["frames"]
        print(f"{path.stem:11} {first.right:5d} {first.wrong:5d}  "
              + "  ".join(f"{tallies[c].cells():>13}" for c in columns))
    first = totals["frames"]
    print(f"{'pooled':11} {first.right:5d} {first.wrong:5d}  " + "  ".join(f"{totals[c].cells():>13}" for c in columns))


if __name__ == "__main__":
    main()
