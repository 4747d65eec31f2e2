"""Statistical classifiers as a detector: hashed character and pinyin n-grams, TF-IDF, one logistic
regression per label.

A model is an ``.npz`` file shipped in ``detectors/models/`` (hashing set-up, pinyin table, idf, a weight
column per label), trained by a script in ``bench/`` from data we wrote or whose licence allows it, and
scored with numpy alone (``detectors.scoring``), a whole batch at once, so running it needs no machine-learning
library; a short draft is screened in plain Python first (``detectors.onetext``), so that a pre-send check
imports numpy only when a model might fire. Features are computed by ``detectors.ngrams``; models that read
the message's setting get it as four
markers (channel, kind of room, message type, amount). One scoring per batch serves every rule that
reads the same model, and only the messages over a rule's threshold reach its ``detect``.

A finding names what drove it: the span is the strongest contributing n-grams merged into a phrase of at
least two characters, and the explanation quotes the words that weighed most.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from qingfeng.core.models import Message
from qingfeng.detectors.base import Detector, Doc, Hit, Terms, register
from qingfeng.detectors.companions import Companions, KeywordSpec, with_companions
from qingfeng.detectors.grams import MODELS, model_data
from qingfeng.detectors.onetext import MARGIN, one_text
from qingfeng.text.rooms import NO_ROOM, ROOM_KINDS

if TYPE_CHECKING:
    from qingfeng.detectors.scoring import Scores, _Scored

_CHANNELS = ("group", "private", "moments")
_TYPES = ("text", "redpacket", "transfer", "voice", "image", "file", "link", "sticker")
_ROOMS = (*ROOM_KINDS, NO_ROOM)
_AMOUNTS = ((None, "none"), (50, "small"), (200, "modest"), (1000, "large"), (math.inf, "huge"))
# A single draft is screened in plain Python (onetext) where that costs less than numpy: up to ONE_TEXT_CHARS
# always (~10 µs a character for both models, against ~120 µs a text with numpy), and up to COLD_TEXT_CHARS for
# the first draft of a process that has not imported numpy (a one-shot `qingfeng check`: importing it costs more
# than that; a server imports it at start, Checker.warm). Batches, and other drafts, are scored with numpy.
ONE_TEXT_CHARS = 12
COLD_TEXT_CHARS = 1000
_first_draft = [True]  # no draft screened yet in this process


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


def _python_first(docs: Sequence[Doc], batch: dict[Any, Any]) -> bool:
    """Whether this batch, a single draft, is screened in plain Python first (the same answer for every rule)."""
    decided = batch.get("python first")
    if decided is None:
        size = len(docs[0].text) if len(docs) == 1 else None
        first, _first_draft[0] = _first_draft[0] and size is not None, False
        decided = batch["python first"] = size is not None and (
            size <= ONE_TEXT_CHARS or (first and size <= COLD_TEXT_CHARS and "numpy" not in sys.modules))
    return decided


def _settings(docs: Sequence[Doc]) -> list[str]:
    messages = [doc.message for doc in docs]
    return setting_prefixes([m.channel for m in messages], [doc.room_kind for doc in docs], [m.type for m in messages],
                            [m.amount for m in messages])


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
            if self.label not in model_data(MODELS / f"{self.model}.npz")["labels"]:
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
        and keep the texts over this rule's threshold: only those reach ``detect``. A short draft is first
        scored in plain Python: when it is plainly under the threshold numpy is not needed at all."""
        key = ("classifier", self.model_name)
        scored: _Scored | None = batch.get(key)
        if scored is None and _python_first(docs, batch) and not self._may_fire(docs[0], batch):
            return []
        if scored is None:
            from qingfeng.detectors.scoring import load_model

            model = load_model(self.model_name)
            settings = None
            if model.uses_setting:
                settings = _settings(docs)
            texts = [doc.text for doc in docs]
            shared = ("features", model.spec_key)
            features = batch.get(shared)
            if features is None:
                from qingfeng.detectors.ngrams import text_features

                features = batch[shared] = text_features(texts, model.spec)
            scored = batch[key] = model.score_batch(texts, settings, features)
        chosen = scored.over(self.label, self.threshold, self.min_chars)
        for number in chosen:
            docs[number].cache[key] = (scored, number)
        return chosen

    def _may_fire(self, doc: Doc, batch: dict[Any, Any]) -> bool:
        """Whether the plain-Python scoring of one text leaves this rule's threshold within reach."""
        key = ("one text", self.model_name)
        if key not in batch:  # shared by the rules that read the same model
            model = one_text(self.model_name)
            batch[key] = model.probabilities(doc.text, _settings([doc])[0] if model.uses_setting else None)
        found = batch[key]
        if found is None:
            return False
        probabilities, meaningful = found
        labels = one_text(self.model_name).labels
        return meaningful >= self.min_chars and probabilities[labels.index(self.label)] >= self.threshold - MARGIN

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
