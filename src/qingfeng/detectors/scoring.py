"""The models scored with numpy, a whole batch at once: the n-grams' values (TF-IDF), each text's sums of
their pushes towards each label, the probabilities, and the evidence a finding names (the strongest n-grams,
merged into a phrase). ``classifier`` is the detector that reads them; a single short draft is screened without
numpy first (``onetext``), and reaches this module only when a model might fire on it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from qingfeng.detectors.grams import HAN_HIGH, HAN_LOW, MODELS, Array, model_data
from qingfeng.detectors.ngrams import Features, FeatureSpec, text_features, with_settings

_LONGEST_PHRASE = 12  # characters: longer would no longer point at the words that drove the decision
_WORDS_NAMED = 3
_RANKED = 4 * _WORDS_NAMED  # the strongest n-grams a phrase is made from
_TABLE_FROM = 5000  # characters from which the character tables pay for themselves
_TEXTS_WEIGHED = 128  # texts whose pushes are worked out at once (bench: 64-256 alike, a whole batch slower)


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
        offsets = np.concatenate(([0], np.cumsum(lengths + 1))).take(features.doc)
        length = lengths.take(features.doc)
        # Offsets into the texts joined by NUL; setting features start at -1 and cover nothing.
        ends = offsets + np.minimum(features.start + features.size, length)
        inside = offsets + np.minimum(np.maximum(features.start, 0), length)
        readable_chars, digits = _character_flags("\x00".join(self.texts))
        readable = np.concatenate(([0], np.cumsum(readable_chars)))
        wordy = np.concatenate(([0], np.cumsum(readable_chars & ~digits)))
        return ((features.size > 0) & (readable.take(ends) - readable.take(inside) == features.size)
                & (wordy.take(ends) > wordy.take(inside)))

    def over(self, label: str, threshold: float, min_chars: int) -> list[int]:
        """The texts (numbers in the batch) read by the model, with ``min_chars`` or more meaningful
        characters, whose probability of ``label`` is at or above ``threshold``."""
        if len(self.texts) == 1:  # a draft: its few numbers as Python's, not a handful of array calls per rule
            return [0] if self._one.over(self.labels.index(label), threshold, min_chars) else []
        readable = self._readable.get(min_chars)
        if readable is None:  # the same for every rule of this length: worked out once a batch
            features = self.features
            readable = self._readable[min_chars] = features.scored & (features.meaningful >= min_chars)
        column = self.probabilities[:, self.labels.index(label)]
        return np.flatnonzero(readable & (column >= threshold)).tolist()

    @cached_property
    def _one(self) -> _Draft:
        features = self.features
        return _Draft(self.probabilities[0].tolist(), bool(features.scored[0]), int(features.meaningful[0]))

    def scores(self, doc: int) -> Scores | None:
        """One text's scores (None when it held nothing a model should read)."""
        if not self.features.scored[doc]:
            return None
        row = self.probabilities[doc].tolist()
        return Scores(dict(zip(self.labels, row, strict=True)), int(self.features.meaningful[doc]), self, doc,
                      self.labels)


@dataclass(frozen=True)
class _Draft:
    """A batch of one text's probabilities and what it held to read, as Python numbers."""

    probabilities: list[float]
    scored: bool
    meaningful: int

    def over(self, column: int, threshold: float, min_chars: int) -> bool:
        return self.scored and self.meaningful >= min_chars and self.probabilities[column] >= threshold


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
        # how hard each pushed towards the label: the same products as the sums added (Model.weigh); the rows
        # taken whole, then the column (indexing rows and column at once costs ~20 times more)
        weights = batch.weights.take(batch.rows[low:high], axis=0)[:, self.labels.index(label)]
        pushes = np.multiply(weights, batch.values[low:high], dtype=np.float64)
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


def _array(stored: Array) -> np.ndarray:
    """A cached array as numpy's, where it lies (mapped from the cache file, read-only)."""
    return np.frombuffer(stored.data, dtype=stored.format).reshape(stored.shape)


class Model:
    def __init__(self, path: Path) -> None:
        data = model_data(path)
        self.labels: list[str] = data["labels"]
        self.spec = FeatureSpec(bits=data["bits"], char=data["char"], pinyin=data["pinyin"],
                                syllables=_array(data["syllables"]))
        self.uses_setting: bool = data["uses_setting"]
        # Models whose texts are featurised alike share one featurisation of a batch.
        self.spec_key = (self.spec.bits, self.spec.char, self.spec.pinyin,
                         hashlib.sha256(self.spec.syllables.tobytes()).hexdigest())
        self.idf, self.row, self.weights = _array(data["idf"]), _array(data["row"]), _array(data["weights"])
        self.intercepts = _array(data["intercepts"])
        self.cut: float = data["cut"]
        self.cuts: dict[str, float] = data["cuts"]

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
        count = len(features.meaningful)
        bounds = ([0, len(features.doc)] if count == 1
                  else np.searchsorted(features.doc, np.arange(count + 1)).tolist())
        rows, values, sums = self.weigh(features, bounds)
        probabilities = 1.0 / (1.0 + np.exp(-(sums + self.intercepts)))
        return _Scored(features, bounds, (self.weights, rows, values), probabilities, self.labels, texts)

    def weigh(self, features: Features, bounds: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per occurrence its row of weights and its value (its push towards a label is the product of the
        two); per text the sums of the pushes (before the intercepts). ``bounds``: each text's occurrences
        (``features`` grouped by text)."""
        values = occurrence_values(features, self.idf)
        rows = self.row.take(features.bucket)
        count, labels = len(features.meaningful), len(self.labels)
        sums = np.empty((count, labels))
        # One bincount over (text, label) cells: each cell adds its occurrences one by one, in order, so a
        # text's sums are the same to the last bit whatever else is in the batch (np.add.reduceat would add
        # them pairwise). A few texts at a time: the pushes of a whole batch would be a large array made and
        # freed (page faults) and read back from memory rather than from the cache.
        for first in range(0, count, _TEXTS_WEIGHED):
            last = min(first + _TEXTS_WEIGHED, count)
            low, high = bounds[first], bounds[last]
            # take: the same rows as indexing with the array, a third of the time for half-precision rows
            pushes = np.multiply(self.weights.take(rows[low:high], axis=0), values[low:high, None], dtype=np.float64)
            cells = ((features.doc[low:high] - first)[:, None] * labels + np.arange(labels)).ravel()
            sums[first:last] = np.bincount(cells, weights=pushes.ravel(),
                                           minlength=(last - first) * labels).reshape(last - first, labels)
        return rows, values, sums


def by_text(features: Features) -> Features:
    """The occurrences grouped by text, each text's in their order."""
    if len(features.meaningful) == 1:  # a draft's are
        return features
    order = np.argsort(features.doc, kind="stable")
    return Features(features.doc.take(order), features.start.take(order), features.size.take(order),
                    features.bucket.take(order), features.meaningful)


def occurrence_values(features: Features, idf: np.ndarray) -> np.ndarray:
    """Each occurrence's feature value: its idf, over the length of its text's vector of occurrences
    (repeated n-grams add up), so that every text weighs the same whatever its length."""
    weights = idf.take(features.bucket)
    lengths = np.sqrt(np.bincount(features.doc, weights=weights * weights, minlength=len(features.meaningful)))
    return weights / np.where(lengths > 0, lengths, 1.0).take(features.doc)


@cache
def load_model(name: str) -> Model:
    return Model(MODELS / f"{name}.npz")


