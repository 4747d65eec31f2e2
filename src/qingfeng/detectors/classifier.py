"""Statistical classifiers as a detector: hashed character and pinyin n-grams, TF-IDF, one logistic
regression per label.

A model is an ``.npz`` file shipped in ``detectors/models/`` (hashing set-up, pinyin table, idf, a weight
column per label), trained by a script in ``bench/`` from data we wrote or whose licence allows it, and
scored here with numpy alone, a whole batch at once, so running it needs no machine-learning library.
Features are computed by ``detectors.ngrams``; models that read the message's setting get it as four
markers (channel, kind of room, message type, amount). One scoring per message serves every rule that
reads the same model.

A finding names what drove it: the span is the strongest contributing n-grams merged into a phrase of at
least two characters, and the explanation quotes the words that weighed most.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from qingfeng.core.cache import cached
from qingfeng.core.models import Message
from qingfeng.detectors.base import Detector, Doc, Hit, Terms, register
from qingfeng.detectors.companions import Companions, KeywordSpec, with_companions
from qingfeng.detectors.ngrams import HAN_HIGH, HAN_LOW, Features, FeatureSpec, featurise
from qingfeng.text.rooms import NO_ROOM, ROOM_KINDS

MODELS = Path(__file__).parent / "models"

_CHANNELS = ("group", "private", "moments")
_TYPES = ("text", "redpacket", "transfer", "voice", "image", "file", "link", "sticker")
_ROOMS = (*ROOM_KINDS, NO_ROOM)
_AMOUNTS = ((None, "none"), (50, "small"), (200, "modest"), (1000, "large"), (math.inf, "huge"))
_LONGEST_PHRASE = 12  # characters: longer would no longer point at the words that drove the decision
_WORDS_NAMED = 3


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


def _readable(char: str) -> bool:
    return char.isalnum() or HAN_LOW <= ord(char) <= HAN_HIGH


@dataclass(frozen=True)
class Evidence:
    """What drove a decision: the span (offsets in the normalised text) and the words that weighed most."""

    start: int
    end: int
    words: list[str]


class _Scored:
    """A scored batch: its n-gram occurrences and how hard each pushed towards each label."""

    def __init__(self, features: Features, contributions: np.ndarray) -> None:
        self.features = features
        self.contributions = contributions

    @cached_property
    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.features.doc, kind="stable")
        bounds = np.searchsorted(self.features.doc[order], np.arange(len(self.features.meaningful) + 1))
        return order, bounds

    def occurrences(self, doc: int) -> np.ndarray:
        order, bounds = self._bounds
        return order[bounds[doc] : bounds[doc + 1]]


@dataclass(frozen=True)
class Scores:
    probabilities: dict[str, float]
    meaningful: int  # Chinese characters and letters the model read
    batch: _Scored
    doc: int
    labels: list[str]

    def evidence(self, label: str, text: str) -> Evidence | None:
        """The phrase that pushed hardest towards ``label`` in ``text`` (the normalised text scored). Only
        n-grams of words count: no punctuation or space inside, and not digits alone."""
        chosen = self.batch.occurrences(self.doc)
        features = self.batch.features
        starts, sizes = features.start[chosen], features.size[chosen]
        weights = self.batch.contributions[chosen, self.labels.index(label)]
        readable = np.concatenate(([0], np.cumsum([_readable(char) for char in text])))
        wordy = np.concatenate(([0], np.cumsum([_readable(char) and not char.isdigit() for char in text])))
        ends = np.clip(starts + sizes, 0, len(text))
        inside = np.clip(starts, 0, len(text))
        usable = ((weights > 0) & (sizes > 0) & (readable[ends] - readable[inside] == sizes)
                  & (wordy[ends] > wordy[inside]))
        positive = np.flatnonzero(usable)
        if not len(positive):
            return None
        ranked = [(float(weights[i]), int(starts[i]), int(sizes[i])) for i in positive[np.argsort(-weights[positive])]]
        return _phrase(text, ranked)


def _phrase(text: str, ranked: list[tuple[float, int, int]]) -> Evidence:
    """Merge the strongest n-grams around the strongest one of two characters or more into one phrase."""
    top = ranked[: 4 * _WORDS_NAMED]
    _, start, size = next((item for item in top if item[2] >= 2), top[0])
    end = start + size
    floor = top[0][0] * 0.25
    grown = True
    while grown:
        grown = False
        for weight, other, length in top:
            if weight < floor or other > end or other + length < start:
                continue
            new_start, new_end = min(start, other), max(end, other + length)
            if (new_start, new_end) != (start, end) and new_end - new_start <= _LONGEST_PHRASE:
                start, end, grown = new_start, new_end, True
    while end - start < 2:  # a lone character says little: take in the readable neighbour
        if end < len(text) and (_readable(text[end]) or start == 0):
            end += 1
        elif start > 0:
            start -= 1
        else:
            break
    words = [text[start:end]]
    for _, other, length in top:
        if len(words) == _WORDS_NAMED:
            break
        word = text[other : other + length]
        if length >= 2 and (other + length <= start or other >= end) and not any(word in w for w in words):
            words.append(word)
    return Evidence(start, end, words)


def _arrays(path: Path) -> dict[str, np.ndarray]:
    """A model file's arrays. Decompressing them is most of what loading a model costs, so they are kept
    decompressed in the user's cache, keyed by the file's size and modification time."""

    def read() -> dict[str, np.ndarray]:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}

    stat = path.stat()
    return cached("model", f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}", read)


class Model:
    def __init__(self, path: Path) -> None:
        with nullcontext(_arrays(path)) as data:
            self.labels = [str(label) for label in data["labels"]]
            self.spec = FeatureSpec(
                bits=int(data["bits"]),
                char=(int(data["char"][0]), int(data["char"][1])),
                pinyin=(int(data["pinyin"][0]), int(data["pinyin"][1])),
                syllables=data["syllables"].astype(np.int64),
            )
            self.uses_setting = bool(data["uses_setting"])
            rows = data["rows"].astype(np.int64)
            # Only the buckets training reached are stored; the others share the largest idf and weigh nothing.
            self.idf = np.full(1 << self.spec.bits, float(data["unseen_idf"]))
            self.idf[rows] = data["idf"]
            self.weights = np.vstack((data["weights"].astype(np.float64), np.zeros(len(self.labels))))
            self.intercepts = data["intercepts"].astype(np.float64)
            self.row = np.full(1 << self.spec.bits, len(rows), dtype=np.int64)  # bucket → its row of weights
            self.row[rows] = np.arange(len(rows))

    def score_many(self, texts: Sequence[str], settings: Sequence[str] | None = None) -> list[Scores | None]:
        """Scores for many normalised texts at once (None for a text with nothing a model should read)."""
        features = featurise(texts, self.spec, settings if self.uses_setting else None)
        contributions, sums = self.weigh(features)
        probabilities = 1.0 / (1.0 + np.exp(-(sums + self.intercepts)))
        batch = _Scored(features, contributions)
        return [
            Scores(dict(zip(self.labels, row.tolist(), strict=True)), int(meaningful), batch, number, self.labels)
            if scored else None
            for number, (row, meaningful, scored) in enumerate(
                zip(probabilities, features.meaningful, features.scored, strict=True))
        ]

    def weigh(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        """Per occurrence, its push towards each label; per text, the sums (before the intercepts)."""
        values = occurrence_values(features, self.idf)
        contributions = self.weights[self.row[features.bucket]] * values[:, None]
        count = len(features.meaningful)
        sums = np.stack(
            [np.bincount(features.doc, weights=contributions[:, j], minlength=count) for j in range(len(self.labels))],
            axis=1,
        ) if count else np.zeros((0, len(self.labels)))
        return contributions, sums


def occurrence_values(features: Features, idf: np.ndarray) -> np.ndarray:
    """Each occurrence's feature value: its idf, over the length of its text's vector of occurrences
    (repeated n-grams add up), so that every text weighs the same whatever its length."""
    weights = idf[features.bucket]
    lengths = np.sqrt(np.bincount(features.doc, weights=weights * weights, minlength=len(features.meaningful)))
    return weights / np.where(lengths > 0, lengths, 1.0)[features.doc]


@cache
def load_model(name: str) -> Model:
    return Model(MODELS / f"{name}.npz")


@register
class ClassifierDetector(Detector):
    kind = "classifier"
    costly = True

    class Spec(KeywordSpec):
        kind: Literal["classifier"]
        model: str = Field(description="a model file in detectors/models, without .npz")
        label: str = Field(description="which of the model's labels this rule reads")
        threshold: float = Field(default=0.5, gt=0, lt=1, description="probability at or above which it fires")
        min_chars: int = Field(
            default=4, ge=2, description="Chinese characters or letters (junk left out) a text needs to be read"
        )

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
        self.companions = Companions(spec, vocabulary)

    def context_terms(self) -> list[str]:
        return self.companions.terms()

    def prepare(self, docs: Sequence[Doc]) -> None:
        """Score the whole batch at once; the rules that read the same model find the scores cached."""
        key = ("classifier", self.model_name)
        pending = [doc for doc in docs if key not in doc.cache]
        if not pending:
            return
        model = load_model(self.model_name)
        settings = [setting_prefix(doc.message, doc.room_kind) for doc in pending] if model.uses_setting else None
        for doc, scores in zip(pending, model.score_many([doc.text for doc in pending], settings), strict=True):
            doc.cache[key] = scores

    def _scores(self, doc: Doc) -> Scores | None:
        self.prepare([doc])  # a no-op when the engine prepared the batch
        return doc.cache[("classifier", self.model_name)]

    def detect(self, doc: Doc) -> Iterable[Hit]:
        scores = self._scores(doc)
        if scores is None or scores.meaningful < self.min_chars:
            return []
        probability = scores.probabilities[self.label]
        if probability < self.threshold:
            return []
        evidence = scores.evidence(self.label, doc.text)
        if evidence is None:  # the setting alone, no words, pushed it over: nothing a person could act on
            return []
        companions = self.companions.find(doc, evidence.start, evidence.end)
        if companions is None:
            return []
        words = "".join(f"「{word}」" for word in evidence.words)
        why = f"model {self.model_name}/{self.label} p={probability:.2f}, words {words}"
        if companions:
            why += "; " + with_companions(companions)
        return [Hit(evidence.start, evidence.end, probability, why, pattern=(*evidence.words, *companions))]
