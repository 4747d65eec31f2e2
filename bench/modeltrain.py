"""Shared by the training scripts: features exactly as the classifier detector computes them, TF-IDF,
one logistic regression per label, and the .npz file the detector reads. Needs scikit-learn and scipy
(`pip install scikit-learn`), which the package itself does not."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qingfeng.detectors.classifier import MODELS, ngram_counts


def count_matrix(texts: Sequence[str], low: int, high: int, vocabulary: dict[str, int] | None = None,
                 max_features: int = 60000, min_df: int = 2):
    """A sparse n-gram count matrix, and the vocabulary (built from these texts when not given)."""
    from scipy.sparse import csr_matrix

    counted = [ngram_counts(text, low, high) for text in texts]
    if vocabulary is None:
        document_frequency: dict[str, int] = {}
        for counts in counted:
            for gram in counts:
                document_frequency[gram] = document_frequency.get(gram, 0) + 1
        kept = sorted((g for g, df in document_frequency.items() if df >= min_df),
                      key=lambda g: (-document_frequency[g], g))[:max_features]
        vocabulary = {gram: number for number, gram in enumerate(sorted(kept))}
    rows, cols, values = [], [], []
    for row, counts in enumerate(counted):
        for gram, count in counts.items():
            if (column := vocabulary.get(gram)) is not None:
                rows.append(row)
                cols.append(column)
                values.append(count)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64)
    return matrix, vocabulary


def idf_of(counts) -> np.ndarray:
    document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    return np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1.0


def tfidf(counts, idf: np.ndarray):
    """Sublinear tf times idf, rows scaled to unit length: what the detector computes per message."""
    from sklearn.preprocessing import normalize

    weighted = counts.copy()
    weighted.data = 1.0 + np.log(weighted.data)
    return normalize(weighted.multiply(idf).tocsr())


def fit_labels(features, targets: dict[str, Sequence[int]], c: float = 4.0):
    from sklearn.linear_model import LogisticRegression

    return {
        label: LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(features, y)
        for label, y in targets.items()
    }


def save_model(name: str, vocabulary: dict[str, int], idf: np.ndarray, models: dict, low: int, high: int,
               uses_setting: bool, note: str, out: Path | None = None) -> Path:
    labels = list(models)
    weights = np.stack([models[label].coef_[0] for label in labels], axis=1).astype(np.float32)
    intercepts = np.array([models[label].intercept_[0] for label in labels], dtype=np.float32)
    grams = sorted(vocabulary, key=vocabulary.__getitem__)
    path = out or MODELS / f"{name}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, labels=np.array(labels), ngram=np.array([low, high]), uses_setting=np.array(uses_setting),
        idf=idf.astype(np.float32), weights=weights, intercepts=intercepts, vocabulary=np.array(grams),
        note=np.array(note),
    )
    return path
