"""Train the message classifier shipped in the package: one logistic regression per category over
character 1–3-grams of the normalised text, with the message's setting (channel, kind of room, type,
amount) as leading private-use characters.

    pip install scikit-learn
    python bench/train_message_model.py                       # the shipped model
    python bench/train_message_model.py bench/data/train/*.jsonl --validate bench/data/holdout2.jsonl --dry-run

Training data are labelled messages we wrote for this project (bench/data/train, holdout_synth, holdout2);
the dev set and any held-out file given to --validate are never trained on. --validate prints precision
and recall per category and threshold, the figures the classifier rules' thresholds are chosen from.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from modeltrain import count_matrix, fit_labels, idf_of, save_model, tfidf
from qingfeng.detectors.classifier import model_input, setting_prefix
from qingfeng.models import Message
from qingfeng.text.normalize import normalize_many
from qingfeng.text.rooms import room_kind

DATA = Path(__file__).resolve().parent / "data"
LABELS = ("secrecy", "privacy", "gifts", "fraud", "spam", "chain", "rumor", "vulgar", "illegal", "abuse")
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def load(paths: list[Path]) -> list[dict]:
    return [orjson.loads(line) for path in paths for line in path.open("rb") if line.strip()]


def features(records: list[dict]) -> list[str]:
    messages = [Message.model_validate(record) for record in records]
    norms = normalize_many([message.text for message in messages])
    return [
        model_input(setting_prefix(message, room_kind(message.channel, message.room, message.room_name, {})), norm.text)
        for message, norm in zip(messages, norms, strict=True)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", nargs="*", type=Path)
    parser.add_argument("--validate", nargs="*", type=Path, default=[])
    parser.add_argument("--features", type=int, default=60000)
    parser.add_argument("--c", type=float, default=4.0)
    parser.add_argument("--dry-run", action="store_true", help="evaluate only; write no model")
    args = parser.parse_args()
    train_paths = args.train or [*sorted((DATA / "train").glob("*.jsonl")), *sorted(DATA.glob("holdout*.jsonl"))]
    records = load(train_paths)
    print(f"training on {len(records)} messages from {', '.join(p.name for p in train_paths)}")
    texts = features(records)
    counts, vocabulary = count_matrix(texts, 1, 3, max_features=args.features)
    idf = idf_of(counts)
    targets = {label: [int(label in (r.get("labels") or [])) for r in records] for label in LABELS}
    models = fit_labels(tfidf(counts, idf), targets, c=args.c)
    for path in args.validate:
        held = load([path])
        matrix = tfidf(count_matrix(features(held), 1, 3, vocabulary)[0], idf)
        print(f"\n{path.name}: {len(held)} messages; precision / recall by threshold")
        print(f"{'category':10}" + "".join(f"{t:>14}" for t in THRESHOLDS))
        for label in LABELS:
            truth = [label in (r.get("labels") or []) for r in held]
            probabilities = models[label].predict_proba(matrix)[:, 1]
            cells = []
            for threshold in THRESHOLDS:
                tp = sum(p >= threshold and t for p, t in zip(probabilities, truth, strict=True))
                fp = sum(p >= threshold and not t for p, t in zip(probabilities, truth, strict=True))
                precision = tp / (tp + fp) if tp + fp else float("nan")
                cells.append(f"{precision:6.2f}/{tp / max(1, sum(truth)):5.2f}")
            print(f"{label:10}" + "".join(f"{c:>14}" for c in cells))
    if not args.dry_run:
        note = "qingfeng's own labelled messages: " + ", ".join(p.name for p in train_paths)
        path = save_model("messages", vocabulary, idf, models, 1, 3, True, note)
        print(f"\nwrote {path} ({path.stat().st_size // 1024} KiB, {len(vocabulary)} n-grams)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
