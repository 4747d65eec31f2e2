"""Statistical classifiers as a detector: hashed character and pinyin n-grams, TF-IDF, one logistic
regression per label.

A model is an ``.npz`` file shipped in ``detectors/models/`` (hashing set-up, pinyin table, idf, a weight
column per label), trained by a script in ``bench/`` from data we wrote or whose licence allows it, and
scored here with numpy alone, a whole batch at once, so running it needs no machine-learning library.
Features are computed by ``detectors.ngrams``; models that read the message's setting get it as four
markers (channel, kind of room, message type, amount). One scoring per batch serves every rule that
reads the same model, and only the messages over a rule's threshold reach its ``detect``.

A finding names what drove it: the span is the strongest contributing n-grams merged into a phrase of at
least two characters, and the explanation quotes the words that weighed most.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from qingfeng.core.cache import cached
from qingfeng.core.models import Message
from qingfeng.detectors.base import Detector, Doc, Hit, Terms, register
from qingfeng.detectors.companions import Companions, KeywordSpec, with_companions
from qingfeng.detectors.ngrams import HAN_HIGH, HAN_LOW, Features, FeatureSpec, text_features, with_settings
from qingfeng.text.rooms import NO_ROOM, ROOM_KINDS

MODELS = Path(__file__).parent / "models"

_CHANNELS = ("group", "private", "moments")
_TYPES = ("text", "redpacket", "transfer", "voice", "image", "file", "link", "sticker")
_ROOMS = (*ROOM_KINDS, NO_ROOM)
_AMOUNTS = ((None, "none"), (50, "small"), (200, "modest"), (1000, "large"), (math.inf, "huge"))
_LONGEST_PHRASE = 12  # characters: longer would no longer point at the words that drove the decision
_WORDS_NAMED = 3
_RANKED = 4 * _WORDS_NAMED  # the strongest n-grams a phrase is made from
_TABLE_FROM = 5000  # characters from which the character tables pay for themselves
_TEXTS_WEIGHED = 128  # texts whose pushes are worked out at once (bench: 64-256 alike, a whole batch slower)


def _marker(offset: int, values: tuple, value: object) -> str:
    return chr(0xE100 + offset + (values.index(value) if value in values else len(values)))


def _amount_bucket(amount: float | None) -> str:
    if amount is None:
        return "none"
    return next(name for limit, name in _AMOUNTS[1:] if amount < limit)


def setting_prefix(message: Message, room_kind: str) -> str:
    """The message's setting as four private-use characters, the same at training and at run time."""
    return setting_prefixes([message.channel], [room_kind], [message.type], [message.amount])[0]


_BUCKETS = tuple(name for _, name in _AMOUNTS)


@cache
def _prefix(channel: str | None, room_kind: str, kind: str | None, bucket: str) -> str:
    return (
        _marker(0x00, _CHANNELS, channel)
        + _marker(0x10, _ROOMS, room_kind)
        + _marker(0x20, _TYPES, kind)
        + _marker(0x30, _BUCKETS, bucket)
    )


def setting_prefixes(
    channels: Sequence[str | None], room_kinds: Sequence[str], types: Sequence[str | None],
    amounts: Sequence[float | None],
) -> list[str]:
    """``setting_prefix`` for columns of a batch: a handful of settings recur, so each is worked out once."""
    return [
        _prefix(channel, room, kind, "none" if amount is None else _amount_bucket(amount))
        for channel, room, kind, amount in zip(channels, room_kinds, types, amounts, strict=True)
    ]


def _readable(char: str) -> bool:
    return char.isalnum() or HAN_LOW <= ord(char) <= HAN_HIGH


@dataclass(frozen=True)
class Evidence:
    """What drove a decision: the span (offsets in the normalised text) and the words that weighed most."""

    start: int
    end: int
    words: list[str]


class _Scored:
    """A scored batch: its n-gram occurrences grouped by text (``bounds[doc]:bounds[doc + 1]``), what each
    weighed (``Model.weigh``: its row of weights and its value, from which its push towards a label is
    worked out again where a hit needs it), and per text the probability of each label."""

    def __init__(self, features: Features, bounds: list[int], weighed: tuple[np.ndarray, np.ndarray, np.ndarray],
                 probabilities: np.ndarray, labels: list[str], texts: Sequence[str]) -> None:
        self.features = features
        self.bounds = bounds
        self.weights, self.rows, self.values = weighed
        self.probabilities = probabilities
        self.labels = labels
        self.texts = texts
        self._readable: dict[int, np.ndarray] = {}  # min_chars → which texts have that many to read

    @cached_property
    def wordy(self) -> np.ndarray:
        """Per occurrence: an n-gram of words, with no punctuation or space inside and not digits alone."""
        features = self.features
        lengths = np.fromiter(map(len, self.texts), dtype=np.int64, count=len(self.texts))
        offsets = np.concatenate(([0], np.cumsum(lengths + 1)))[features.doc]
        length = lengths[features.doc]
        # Offsets into the texts joined by NUL; setting features start at -1 and cover nothing.
        ends = offsets + np.minimum(features.start + features.size, length)
        inside = offsets + np.minimum(np.maximum(features.start, 0), length)
        readable_chars, digits = _character_flags("\x00".join(self.texts))
        readable = np.concatenate(([0], np.cumsum(readable_chars)))
        wordy = np.concatenate(([0], np.cumsum(readable_chars & ~digits)))
        return ((features.size > 0) & (readable[ends] - readable[inside] == features.size)
                & (wordy[ends] > wordy[inside]))

    def over(self, label: str, threshold: float, min_chars: int) -> np.ndarray:
        """The texts (numbers in the batch) read by the model, with ``min_chars`` or more meaningful
        characters, whose probability of ``label`` is at or above ``threshold``."""
        readable = self._readable.get(min_chars)
        if readable is None:  # the same for every rule of this length: worked out once a batch
            features = self.features
            readable = self._readable[min_chars] = features.scored & (features.meaningful >= min_chars)
        column = self.probabilities[:, self.labels.index(label)]
        return np.flatnonzero(readable & (column >= threshold))

    def scores(self, doc: int) -> Scores | None:
        """One text's scores (None when it held nothing a model should read)."""
        if not self.features.scored[doc]:
            return None
        row = self.probabilities[doc].tolist()
        return Scores(dict(zip(self.labels, row, strict=True)), int(self.features.meaningful[doc]), self, doc,
                      self.labels)


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
        batch = self.batch
        low, high = batch.bounds[self.doc], batch.bounds[self.doc + 1]  # this text's occurrences, in order
        # how hard each pushed towards the label: the same products as the sums added (Model.weigh)
        pushes = np.multiply(batch.weights[batch.rows[low:high], self.labels.index(label)], batch.values[low:high],
                             dtype=np.float64)
        positive = np.flatnonzero(batch.wordy[low:high] & (pushes > 0))
        if not len(positive):
            return None
        strongest = positive[np.argsort(-pushes[positive])][:_RANKED]
        ranked = list(zip(pushes[strongest].tolist(), batch.features.start[low:high][strongest].tolist(),
                          batch.features.size[low:high][strongest].tolist(), strict=True))
        return _phrase(text, ranked)


@cache
def _bmp_flags() -> tuple[np.ndarray, np.ndarray]:
    """Per character of the Basic Multilingual Plane: readable (``_readable``), and a digit (str.isdigit)."""
    chars = [chr(code) for code in range(0x10000)]
    han = (np.arange(0x10000) >= HAN_LOW) & (np.arange(0x10000) <= HAN_HIGH)
    return (np.fromiter(map(str.isalnum, chars), dtype=bool, count=0x10000) | han,
            np.fromiter(map(str.isdigit, chars), dtype=bool, count=0x10000))


def _character_flags(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Per character of ``text``: readable, and a digit; for a batch looked up in a table rather than asked
    character by character (a draft's few hundred characters are asked: the table takes ~20 ms to build)."""
    if len(text) < _TABLE_FROM:
        return (np.fromiter(map(_readable, text), dtype=bool, count=len(text)),
                np.fromiter(map(str.isdigit, text), dtype=bool, count=len(text)))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    readable_table, digit_table = _bmp_flags()
    bmp = codes < 0x10000
    lookup = np.where(bmp, codes, 0)
    readable, digits = readable_table[lookup], digit_table[lookup]
    for position in np.flatnonzero(~bmp).tolist():  # rare: emoji and other astral characters
        readable[position] = _readable(text[position])
        digits[position] = text[position].isdigit()
    return readable, digits


def _phrase(text: str, ranked: list[tuple[float, int, int]]) -> Evidence:
    """Merge the strongest n-grams around the strongest one of two characters or more into one phrase."""
    top = ranked[:_RANKED]
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
    """A model file's arrays, ready to score with (``_prepared``). Decompressing and expanding them is most of
    what loading a model costs, so they are kept ready in the user's cache, keyed by the file's size and
    modification time."""

    def read() -> dict[str, np.ndarray]:
        with np.load(path, allow_pickle=False) as data:
            return _prepared({key: data[key] for key in data.files})

    stat = path.stat()
    return cached("model", f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}", read)


def _prepared(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The stored arrays as scoring reads them: per bucket its idf and its row of weights. Only the buckets
    training reached are stored; the others share the largest idf and a last row of zero weights. The weights
    stay half-precision (a quarter of the memory): each row gathered is widened to float64 exactly, so every
    product is the one the float64 table gave."""
    size, rows = 1 << int(data["bits"]), data["rows"]
    idf = np.full(size, float(data["unseen_idf"]))
    idf[rows] = data["idf"]
    row = np.full(size, len(rows), dtype=np.int32)  # bucket → its row of weights
    row[rows] = np.arange(len(rows), dtype=np.int32)
    weights = np.vstack((data["weights"], np.zeros((1, len(data["labels"])), dtype=data["weights"].dtype)))
    kept = {key: value for key, value in data.items() if key not in ("idf", "rows", "unseen_idf")}
    return {**kept, "idf": idf, "row": row, "weights": weights}


class Model:
    def __init__(self, path: Path) -> None:
        data = _arrays(path)
        self.labels = [str(label) for label in data["labels"]]
        self.spec = FeatureSpec(
            bits=int(data["bits"]),
            char=(int(data["char"][0]), int(data["char"][1])),
            pinyin=(int(data["pinyin"][0]), int(data["pinyin"][1])),
            syllables=data["syllables"].astype(np.int64),
        )
        self.uses_setting = bool(data["uses_setting"])
        # Models whose texts are featurised alike share one featurisation of a batch.
        self.spec_key = (self.spec.bits, self.spec.char, self.spec.pinyin,
                         hashlib.sha256(self.spec.syllables.tobytes()).hexdigest())
        self.idf, self.row, self.weights = data["idf"], data["row"], data["weights"]
        self.intercepts = data["intercepts"].astype(np.float64)
        # a probability threshold chosen when it was trained, for a model read by one stage (the verifier)
        self.cut = float(data["cut"]) if "cut" in data else 0.5

    def score_many(self, texts: Sequence[str], settings: Sequence[str] | None = None) -> list[Scores | None]:
        """Scores for many normalised texts at once (None for a text with nothing a model should read)."""
        batch = self.score_batch(texts, settings)
        return [batch.scores(number) for number in range(len(texts))]

    def score_batch(
        self, texts: Sequence[str], settings: Sequence[str] | None = None, features: Features | None = None
    ) -> _Scored:
        """A whole batch of normalised texts scored in a few array operations; ``features``, the texts'
        own (``text_features``, shared by the models of the same spec), saves computing them again."""
        if features is None:
            features = text_features(texts, self.spec)
        features = by_text(with_settings(features, settings if self.uses_setting else None, self.spec.bits))
        bounds = np.searchsorted(features.doc, np.arange(len(features.meaningful) + 1)).tolist()
        rows, values, sums = self.weigh(features, bounds)
        probabilities = 1.0 / (1.0 + np.exp(-(sums + self.intercepts)))
        return _Scored(features, bounds, (self.weights, rows, values), probabilities, self.labels, texts)

    def weigh(self, features: Features, bounds: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per occurrence its row of weights and its value (its push towards a label is the product of the
        two); per text the sums of the pushes (before the intercepts). ``bounds``: each text's occurrences
        (``features`` grouped by text)."""
        values = occurrence_values(features, self.idf)
        rows = self.row[features.bucket]
        count, labels = len(features.meaningful), len(self.labels)
        sums = np.empty((count, labels))
        # One bincount over (text, label) cells: each cell adds its occurrences one by one, in order, so a
        # text's sums are the same to the last bit whatever else is in the batch (np.add.reduceat would add
        # them pairwise). A few texts at a time: the pushes of a whole batch would be a large array made and
        # freed (page faults) and read back from memory rather than from the cache.
        for first in range(0, count, _TEXTS_WEIGHED):
            last = min(first + _TEXTS_WEIGHED, count)
            low, high = bounds[first], bounds[last]
            pushes = np.multiply(self.weights[rows[low:high]], values[low:high, None], dtype=np.float64)
            cells = ((features.doc[low:high] - first)[:, None] * labels + np.arange(labels)).ravel()
            sums[first:last] = np.bincount(cells, weights=pushes.ravel(),
                                           minlength=(last - first) * labels).reshape(last - first, labels)
        return rows, values, sums


def by_text(features: Features) -> Features:
    """The occurrences grouped by text, each text's in their order."""
    order = np.argsort(features.doc, kind="stable")
    return Features(features.doc[order], features.start[order], features.size[order], features.bucket[order],
                    features.meaningful)


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

    def screen(self, docs: Sequence[Doc], batch: dict[Any, Any]) -> list[int]:
        """Score the whole batch once per model (the rules that read the same model share it in ``batch``)
        and keep the texts over this rule's threshold: only those reach ``detect``."""
        key = ("classifier", self.model_name)
        scored: _Scored | None = batch.get(key)
        if scored is None:
            model = load_model(self.model_name)
            settings = None
            if model.uses_setting:
                messages = [doc.message for doc in docs]
                settings = setting_prefixes([m.channel for m in messages], [doc.room_kind for doc in docs],
                                            [m.type for m in messages], [m.amount for m in messages])
            texts = [doc.text for doc in docs]
            shared = ("features", model.spec_key)
            features = batch.get(shared)
            if features is None:
                features = batch[shared] = text_features(texts, model.spec)
            scored = batch[key] = model.score_batch(texts, settings, features)
        over = scored.over(self.label, self.threshold, self.min_chars)
        chosen = over.tolist()
        for number in chosen:
            docs[number].cache[key] = (scored, number)
        return chosen

    def _scores(self, doc: Doc) -> Scores | None:
        key = ("classifier", self.model_name)
        if key not in doc.cache:  # not screened with a batch: score this message alone
            self.screen([doc], {})
            if key not in doc.cache:
                return None
        scored, number = doc.cache[key]
        return scored.scores(number)

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
