"""Statistical classifiers as a detector: character n-gram TF-IDF with one logistic regression per label.

A model is an ``.npz`` file shipped in ``detectors/models/`` (vocabulary, idf, a weight column per label),
trained by a script in ``bench/`` from data we wrote or whose licence allows it, and scored here with
numpy alone, so running it needs no machine-learning library. Models that read the message's setting get
it as a few private-use characters before the text (channel, kind of room, message type, amount), so that
n-grams can tie words to where they were said. The span reported is the n-gram that pushed hardest towards
the label; one scoring per message serves every rule that reads the same model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from qingfeng.detectors.base import Detector, Doc, Hit, register
from qingfeng.detectors.lexicon import ContextRules, ContextSpec, Terms
from qingfeng.models import Message
from qingfeng.text.rooms import NO_ROOM, ROOM_KINDS

MODELS = Path(__file__).parent / "models"
_WHITE_SPACES = re.compile(r"\s\s+")
# Overlapping n-grams straight from the regex engine: far cheaper than slicing in a Python loop.
_NGRAMS = {n: re.compile(f"(?=(.{{{n}}}))", re.S) for n in range(2, 5)}

_CHANNELS = ("group", "private", "moments")
_TYPES = ("text", "redpacket", "transfer", "voice", "image", "file", "link", "sticker")
_ROOMS = (*ROOM_KINDS, NO_ROOM)
_AMOUNTS = ((None, "none"), (50, "small"), (200, "modest"), (1000, "large"), (math.inf, "huge"))


def _marker(offset: int, values: tuple, value: object) -> str:
    return chr(0xE100 + offset + (values.index(value) if value in values else len(values)))


def _amount_bucket(amount: float | None) -> str:
    if amount is None:
        return "none"
    return next(name for limit, name in _AMOUNTS[1:] if amount < limit)


def setting_prefix(message: Message, room_kind: str) -> str:
    """The message's setting as four private-use characters, the same at training and at run time."""
    buckets = tuple(name for _, name in _AMOUNTS)
    return (
        _marker(0x00, _CHANNELS, message.channel)
        + _marker(0x10, _ROOMS, room_kind)
        + _marker(0x20, _TYPES, message.type)
        + _marker(0x30, buckets, _amount_bucket(message.amount))
    )


def ngram_counts(text: str, low: int, high: int) -> Counter[str]:
    text = _WHITE_SPACES.sub(" ", text)
    counts: Counter[str] = Counter()
    for n in range(low, high + 1):
        counts.update(text if n == 1 else _NGRAMS[n].findall(text))
    return counts


@dataclass(frozen=True)
class Scores:
    probabilities: dict[str, float]
    grams: list[str]  # the message's n-grams the model knows
    contributions: np.ndarray  # gram × label: how hard each pushed towards each label
    labels: list[str]

    def strongest(self, label: str) -> str | None:
        """The n-gram that pushed hardest towards ``label``."""
        if not self.grams:
            return None
        return self.grams[int(self.contributions[:, self.labels.index(label)].argmax())]


class Model:
    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            self.labels = [str(label) for label in data["labels"]]
            self.low, self.high = (int(n) for n in data["ngram"])
            self.uses_setting = bool(data["uses_setting"])
            self.idf = data["idf"].astype(np.float64)
            self.weights = data["weights"].astype(np.float64)
            self.intercepts = data["intercepts"].astype(np.float64)
            self.index = {str(gram): number for number, gram in enumerate(data["vocabulary"])}
        if not 1 <= self.low <= self.high <= max(_NGRAMS):
            raise ValueError(f"{path}: n-gram range {self.low}–{self.high} is not supported")

    def score(self, text: str) -> Scores:
        return self.score_many([text])[0]

    def score_many(self, texts: list[str]) -> list[Scores]:
        """Scores for many texts at once: the arithmetic runs over the whole batch, which is where a
        message-by-message loop spends most of its time."""
        lookup = self.index.get
        numbers: list[int] = []
        counts: list[int] = []
        grams: list[list[str]] = []
        for text in texts:
            found = [(number, count, gram) for gram, count in ngram_counts(text, self.low, self.high).items()
                     if (number := lookup(gram)) is not None]
            numbers.extend(number for number, _, _ in found)
            counts.extend(count for _, count, _ in found)
            grams.append([gram for _, _, gram in found])
        sizes = np.fromiter((len(known) for known in grams), dtype=np.int64, count=len(grams))
        ends = np.cumsum(sizes)
        starts = ends - sizes
        index = np.asarray(numbers, dtype=np.int64)
        values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[index]
        filled = sizes > 0
        lengths = np.zeros(len(texts))
        if values.size:
            lengths[filled] = np.sqrt(np.add.reduceat(values * values, starts[filled]))
        values /= np.repeat(np.where(filled, lengths, 1.0), sizes)
        contributions = values[:, None] * self.weights[index]
        sums = np.zeros((len(texts), len(self.labels)))
        if values.size:
            sums[filled] = np.add.reduceat(contributions, starts[filled], axis=0)
        probabilities = 1.0 / (1.0 + np.exp(-(sums + self.intercepts)))
        return [
            Scores(
                dict(zip(self.labels, row.tolist(), strict=True)),
                known,
                contributions[start:end],
                self.labels,
            )
            for row, known, start, end in zip(probabilities, grams, starts.tolist(), ends.tolist(), strict=True)
        ]


@cache
def load_model(name: str) -> Model:
    return Model(MODELS / f"{name}.npz")


# Left out of what a model reads: phone, card and ID numbers (for the validating recognizers to judge), and
# laughter and emoji placeholders, which say nothing of a category but which a model learns from its data.
_NOT_FOR_MODELS = re.compile(r"[0-9]{5,}|(?:[哈呵嘿嘻]){2,}|\ufffc+")


def model_input(prefix: str, normalised_text: str) -> str:
    """What a model reads, in training and in use alike: the setting prefix, then the text without long
    numbers, laughter and emoji placeholders."""
    text = _NOT_FOR_MODELS.sub("", normalised_text)
    return f"{prefix} {text}" if prefix else text


@register
class ClassifierDetector(Detector):
    kind = "classifier"
    costly = True

    class Spec(ContextSpec):
        kind: Literal["classifier"]
        model: str = Field(description="a model file in detectors/models, without .npz")
        label: str = Field(description="which of the model's labels this rule reads")
        threshold: float = Field(default=0.5, gt=0, lt=1, description="probability at or above which it fires")
        min_chars: int = Field(default=4, ge=1, description="shorter texts give the model too little to go on")

        @model_validator(mode="after")
        def _shipped(self) -> ClassifierDetector.Spec:
            if not (MODELS / f"{self.model}.npz").exists():
                raise ValueError(f"no model {self.model!r} in {MODELS}")
            if self.label not in load_model(self.model).labels:
                raise ValueError(f"model {self.model!r} has no label {self.label!r}")
            return self

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.model_name = spec.model
        self.label = spec.label
        self.threshold = spec.threshold
        self.min_chars = spec.min_chars
        self.context = ContextRules(spec, vocabulary)

    def context_terms(self) -> list[str]:
        return self.context.context_terms()

    def prepare(self, docs: Sequence[Doc]) -> None:
        """Score the whole batch at once; the rules that read the same model find the scores cached."""
        key = ("classifier", self.model_name)
        pending = [doc for doc in docs if key not in doc.cache]
        if not pending:
            return
        model = load_model(self.model_name)
        inputs = [
            model_input(setting_prefix(doc.message, doc.room_kind) if model.uses_setting else "", doc.text)
            for doc in pending
        ]
        for doc, scores in zip(pending, model.score_many(inputs), strict=True):
            doc.cache[key] = scores

    def _scores(self, doc: Doc) -> Scores:
        self.prepare([doc])  # a no-op when the engine prepared the batch
        return doc.cache[("classifier", self.model_name)]

    def detect(self, doc: Doc) -> Iterable[Hit]:
        if len(doc.text) < self.min_chars:
            return []
        scores = self._scores(doc)
        probability = scores.probabilities[self.label]
        if probability < self.threshold:
            return []
        gram = scores.strongest(self.label)
        start = doc.text.find(gram) if gram else -1
        span = (start, start + len(gram)) if gram and start >= 0 else (None, None)
        verdict = self.context.judge(doc, *span, base=probability)
        if verdict is None:
            return []
        confidence, why = verdict
        explanation = f"model {self.model_name}/{self.label} p={probability:.2f}" + (f"; {why}" if why else "")
        return [Hit(*span, confidence, explanation)]
