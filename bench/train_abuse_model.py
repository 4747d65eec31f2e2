"""Train the abuse classifier shipped in the package, from the public sets whose licences allow it.

    pip install scikit-learn
    python bench/train_abuse_model.py            # writes src/qingfeng/detectors/models/abuse.npz

Data: COLDataset (thu-coai, Apache-2.0) and SWSR (aggiejiang, MIT), as converted in ../shared/data/public
(the other public sets may not be used for training). Texts go through qingfeng's own normaliser, so the
model sees what the engine sees: character 1–2-grams, TF-IDF, logistic regression.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import orjson

from modeltrain import count_matrix, fit_labels, idf_of, save_model, tfidf
from qingfeng.text.normalize import normalize_many

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "public"
SETS = ("offensive_cold.dev.jsonl", "sexism_swsr.dev.jsonl")
NOTE = "COLDataset (thu-coai, Apache-2.0) + SWSR (aggiejiang, MIT), normalised by qingfeng"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", type=int, default=30000)
    args = parser.parse_args()
    from sklearn.metrics import precision_recall_fscore_support

    records = [orjson.loads(line) for name in SETS for line in (SHARED / name).open("rb") if line.strip()]
    random.Random(0).shuffle(records)
    texts = [norm.text for norm in normalize_many([r["text"] for r in records])]
    labels = [int("abuse" in (r.get("labels") or [])) for r in records]
    cut = int(len(texts) * 0.8)

    counts, vocabulary = count_matrix(texts[:cut], 1, 2, max_features=args.features, min_df=3)
    idf = idf_of(counts)
    model = fit_labels(tfidf(counts, idf), {"abuse": labels[:cut]})["abuse"]
    held_out, _ = count_matrix(texts[cut:], 1, 2, vocabulary)
    probabilities = model.predict_proba(tfidf(held_out, idf))[:, 1]
    print(f"held-out 20% of {len(texts)} texts:")
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.85):
        predicted = [int(p >= threshold) for p in probabilities]
        p, r, f, _ = precision_recall_fscore_support(labels[cut:], predicted, average="binary")
        print(f"  threshold {threshold}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")

    counts, vocabulary = count_matrix(texts, 1, 2, max_features=args.features, min_df=3)
    idf = idf_of(counts)
    models = fit_labels(tfidf(counts, idf), {"abuse": labels})  # the shipped model learns from all of it
    path = save_model("abuse", vocabulary, idf, models, 1, 2, False, NOTE)
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, {len(vocabulary)} n-grams)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
