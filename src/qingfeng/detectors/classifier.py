"""A statistical classifier as a detector: character n-gram TF-IDF with logistic regression.

The model is a JSON file shipped in ``detectors/models/`` (n-gram → idf, weight), trained by a script in
``bench/`` from data whose licence allows it, and scored here in plain Python so that running it needs no
machine-learning library. It judges the normalised text as a whole; the span reported is the n-gram that
pushed hardest towards the verdict.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from qingfeng.detectors.base import Detector, Doc, Hit, register
from qingfeng.detectors.lexicon import ContextRules, ContextSpec, Terms

MODELS = Path(__file__).parent / "models"
_WHITE_SPACES = re.compile(r"\s\s+")
# Overlapping n-grams straight from the regex engine: far cheaper than slicing in a Python loop.
_NGRAMS = {n: re.compile(f"(?=(.{{{n}}}))", re.S) for n in range(1, 5)}


class Model:
    def __init__(self, document: dict) -> None:
        self.low, self.high = document["ngram"]
        if not 1 <= self.low <= self.high <= max(_NGRAMS):
            raise ValueError(f"n-gram range {self.low}–{self.high} is not supported")
        self.intercept = float(document["intercept"])
        self.grams: dict[str, tuple[float, float]] = {g: (v[0], v[1]) for g, v in document["grams"].items()}

    def probability(self, text: str) -> tuple[float, str | None]:
        """P(positive) and the n-gram that contributed most towards it."""
        text = _WHITE_SPACES.sub(" ", text)
        counts: Counter[str] = Counter()
        for n in range(self.low, self.high + 1):
            counts.update(text if n == 1 else _NGRAMS[n].findall(text))
        norm = dot = 0.0
        strongest, strongest_gram = 0.0, None
        lookup = self.grams.get
        for gram, count in counts.items():
            entry = lookup(gram)
            if entry is None:
                continue
            value = entry[0] if count == 1 else (1.0 + math.log(count)) * entry[0]
            norm += value * value
            contribution = value * entry[1]
            dot += contribution
            if contribution > strongest:
                strongest, strongest_gram = contribution, gram
        logit = self.intercept + (dot / math.sqrt(norm) if norm else 0.0)
        return 1.0 / (1.0 + math.exp(-logit)), strongest_gram


@cache
def load_model(name: str) -> Model:
    with gzip.open(MODELS / f"{name}.json.gz", "rt", encoding="utf-8") as stream:
        return Model(json.load(stream))


@register
class ClassifierDetector(Detector):
    kind = "classifier"
    costly = True

    class Spec(ContextSpec):
        kind: Literal["classifier"]
        model: str = Field(description="a model file in detectors/models, without .json.gz")
        threshold: float = Field(default=0.5, gt=0, lt=1, description="probability at or above which it fires")
        min_chars: int = Field(default=6, ge=1, description="shorter texts give the model too little to go on")

        @field_validator("model")
        @classmethod
        def _shipped(cls, name: str) -> str:
            if not (MODELS / f"{name}.json.gz").exists():
                raise ValueError(f"no model {name!r} in {MODELS}")
            return name

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.model_name = spec.model
        self.threshold = spec.threshold
        self.min_chars = spec.min_chars
        self.context = ContextRules(spec, vocabulary)

    def context_terms(self) -> list[str]:
        return self.context.context_terms()

    def detect(self, doc: Doc) -> Iterable[Hit]:
        if len(doc.text) < self.min_chars:
            return []
        probability, gram = load_model(self.model_name).probability(doc.text)
        if probability < self.threshold:
            return []
        start = doc.text.find(gram) if gram else -1
        span = (start, start + len(gram)) if gram and start >= 0 else (None, None)
        verdict = self.context.judge(doc, *span, base=probability)
        if verdict is None:
            return []
        confidence, why = verdict
        return [Hit(*span, confidence, f"model {self.model_name} p={probability:.2f}" + (f"; {why}" if why else ""))]
