"""Train the abuse classifier shipped in the package, from the public sets whose licences allow it.

    pip install scikit-learn
    python bench/train_abuse_model.py            # writes src/qingfeng/detectors/models/abuse.json.gz

Data: COLDataset (thu-coai, Apache-2.0) and SWSR (aggiejiang, MIT), as converted in ../shared/data/public
(the other public sets may not be used for training). Texts go through qingfeng's own normaliser, so the
model sees what the engine sees. The model is character 1–2-gram TF-IDF with logistic regression, saved
as plain JSON (n-gram → idf, weight) that `detectors/classifier.py` scores without scikit-learn.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

import orjson

from qingfeng.text.normalize import normalize_many

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "public"
SETS = ("offensive_cold.dev.jsonl", "sexism_swsr.dev.jsonl")
OUT = Path(__file__).resolve().parents[1] / "src" / "qingfeng" / "detectors" / "models" / "abuse.json.gz"


def main() -> int:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import precision_recall_fscore_support
    except ImportError:
        print("scikit-learn is needed to train: pip install scikit-learn", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", type=int, default=30000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    records = [orjson.loads(line) for name in SETS for line in (SHARED / name).open("rb") if line.strip()]
    random.Random(0).shuffle(records)
    texts = [norm.text for norm in normalize_many([r["text"] for r in records])]
    labels = [int("abuse" in (r.get("labels") or [])) for r in records]
    cut = int(len(texts) * 0.8)

    def fit(train_texts: list[str], train_labels: list[int]):
        vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), min_df=3, max_features=args.features, sublinear_tf=True
        )
        model = LogisticRegression(C=4, max_iter=2000).fit(vectorizer.fit_transform(train_texts), train_labels)
        return vectorizer, model

    vectorizer, model = fit(texts[:cut], labels[:cut])
    held_out = model.predict_proba(vectorizer.transform(texts[cut:]))[:, 1]
    print(f"held-out 20% of {len(texts)} texts:")
    for threshold in (0.5, 0.6, 0.7, 0.8):
        predicted = [int(p >= threshold) for p in held_out]
        p, r, f, _ = precision_recall_fscore_support(labels[cut:], predicted, average="binary")
        print(f"  threshold {threshold}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    vectorizer, model = fit(texts, labels)  # the shipped model learns from all of it
    grams = {
        gram: [round(float(vectorizer.idf_[index]), 5), round(float(model.coef_[0][index]), 5)]
        for gram, index in vectorizer.vocabulary_.items()
    }
    document = {
        "kind": "char-tfidf-logistic",
        "ngram": [1, 2],
        "intercept": float(model.intercept_[0]),
        "grams": grams,
        "trained_on": "COLDataset (thu-coai, Apache-2.0) + SWSR (aggiejiang, MIT), normalised by qingfeng",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {len(grams)} n-grams)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
