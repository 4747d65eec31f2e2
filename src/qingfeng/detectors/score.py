"""Weighted evidence: several weak signals that together make a finding.

A rumour rarely says "this is a rumour": it pairs a source nobody can check ("听说", "内部人士") with an
alarming claim and a push to spread it. Each signal is a set of terms (or a regular expression) with a
weight; the rule fires when the weights of the signals present reach the threshold and every required
signal is there. The finding's span is the first term of the first required (else the heaviest) signal.
With ``span``, the evidence must lie together: within that many characters of one piece of required
evidence, so that a long text running news pieces together (a bank's 信贷 here, a 集团 there, 参观 further
on) does not add up to one advert.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qingfeng.detectors.base import Detector, Doc, Hit, Terms, register
from qingfeng.detectors.companions import Companions, KeywordSpec, with_companions
from qingfeng.detectors.prefilter import present, required_literals


class Signal(BaseModel):
    # defer_build: the schema is built at the first validation, which a rulebook read from the cache never needs
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str
    terms: list[str] = Field(default_factory=list)
    regex: str | None = None
    weight: float = 1.0

    @model_validator(mode="after")
    def _has_evidence(self) -> Signal:
        if not self.terms and self.regex is None:
            raise ValueError(f"signal {self.name!r} needs `terms` or `regex`")
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as error:
                raise ValueError(f"signal {self.name!r}: regex does not compile: {error}") from None
        return self


class _Compiled:
    __slots__ = ("name", "pattern", "required", "terms", "weight")

    def __init__(self, signal: Signal, terms: Terms) -> None:
        self.name = signal.name
        self.terms = frozenset(terms(signal.terms))
        self.pattern = re.compile(signal.regex) if signal.regex is not None else None
        self.required = required_literals(signal.regex) if signal.regex is not None else ()
        self.weight = signal.weight

    def may_match(self, doc: Doc) -> bool:
        """False when the regex cannot match: a literal it needs is absent (it is not tried then)."""
        return self.pattern is not None and present(self.required, doc.term_starts)

    def possible(self, doc: Doc) -> bool:
        return not self.terms.isdisjoint(doc.term_starts) or self.may_match(doc)

    def first(self, doc: Doc, taken: list[tuple[int, int]], lo: int = 0, hi: int | None = None
              ) -> tuple[int, int] | None:
        """The first evidence of this signal inside [lo, hi) that no heavier signal has already counted (one
        word, one signal: 倒闭 is not both a severe and a mild claim)."""
        return next((span for span in self.all(doc, lo, hi) if not any(span[0] < e and s < span[1] for s, e in taken)),
                    None)

    def all(self, doc: Doc, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
        """Every evidence of this signal inside [lo, hi), in text order (a term before a match at the same
        place)."""
        hi = len(doc.text) if hi is None else hi
        found = [(a, b) for a, b, _ in doc.spans(self.terms) if lo <= a and b <= hi]
        if self.pattern is None or not self.may_match(doc):
            return iter(found)
        # the whole text is searched, so that ^ and $ keep meaning its start and end
        matches = (m.span() for m in self.pattern.finditer(doc.text) if lo <= m.start() and m.end() <= hi)
        return heapq.merge(found, matches, key=lambda span: span[0])


@register
class ScoreDetector(Detector):
    kind = "score"

    class Spec(KeywordSpec):
        kind: Literal["score"]
        signals: list[Signal] = Field(min_length=1)
        threshold: float = Field(gt=0)
        require: list[str] = Field(default_factory=list, description="signals that must all be present")
        require_any: list[str] = Field(default_factory=list, description="at least one of these must be present")
        span: int | None = Field(default=None, gt=0,
                                 description="evidence counts within this many characters of required evidence")

        @model_validator(mode="after")
        def _known_requirements(self) -> ScoreDetector.Spec:
            names = {signal.name for signal in self.signals}
            unknown = [name for name in [*self.require, *self.require_any] if name not in names]
            if unknown:
                raise ValueError(f"require names unknown signals: {', '.join(unknown)}")
            return self

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.signals = [_Compiled(signal, vocabulary) for signal in spec.signals]
        self._heaviest_first = sorted(self.signals, key=lambda s: -s.weight)
        self.required = set(spec.require)
        self.required_any = set(spec.require_any)
        self.threshold = spec.threshold
        self.span = spec.span
        self.confidence = spec.confidence
        self.companions = Companions(spec, vocabulary)
        # Without a term (or a literal its regex needs) of a required signal the rule cannot fire, so those
        # alone trigger it; a regex with no known literal makes the rule run on every message.
        gate = self.required or self.required_any
        triggering = [s for s in self.signals if s.name in gate] or self.signals
        self.triggers = [] if any(s.pattern is not None and not s.required for s in triggering) else [
            term for s in triggering for term in [*s.terms, *(s.required[0] if s.required else ())]
        ]

    def terms(self) -> list[str]:
        return self.triggers

    def _can_reach(self, doc: Doc) -> bool:
        """Whether the score and the requirements are still within reach, counting every regex signal as
        present: when they are not, the costly regex searches are never run."""
        possible = 0.0
        names = set()
        for signal in self.signals:
            if signal.possible(doc):
                possible += signal.weight
                names.add(signal.name)
        if possible < self.threshold or not self.required <= names:
            return False
        return not self.required_any or bool(self.required_any & names)

    def context_terms(self) -> list[str]:
        literals = [term for signal in self.signals for found in signal.required for term in found]
        return [term for signal in self.signals for term in signal.terms] + literals + self.companions.terms()

    def detect(self, doc: Doc) -> Iterable[Hit]:
        if not self._can_reach(doc):
            return []
        for lo, hi in self._pieces(doc):
            hits = self._score(doc, lo, hi)
            if hits:
                return hits
        return []

    def _pieces(self, doc: Doc) -> Iterable[tuple[int, int]]:
        """Where the evidence may lie: the whole text, or with ``span`` the stretch around each piece of
        required evidence, the first required signal's first (as the finding's span is chosen)."""
        size = len(doc.text)
        if self.span is None or size <= 2 * self.span:
            return [(0, size)]
        gate = self.required or self.required_any
        anchors = dict.fromkeys(span for s in self.signals if s.name in gate for span in s.all(doc))
        return [(max(0, a - self.span), min(size, b + self.span)) for a, b in anchors]

    def _score(self, doc: Doc, lo: int, hi: int) -> list[Hit]:
        present: list[tuple[_Compiled, tuple[int, int]]] = []
        taken: list[tuple[int, int]] = []
        for signal in self._heaviest_first:
            span = signal.first(doc, taken, lo, hi)
            if span is not None:
                present.append((signal, span))
                taken.append(span)
        present.sort(key=lambda item: self.signals.index(item[0]))
        names = {signal.name for signal, _ in present}
        score = sum(signal.weight for signal, _ in present)
        if score < self.threshold or not self.required <= names:
            return []
        if self.required_any and not self.required_any & names:
            return []
        gate = self.required or self.required_any
        anchor = next(((s, span) for s, span in present if s.name in gate), None)
        signal, (start, end) = anchor or max(present, key=lambda item: item[0].weight)
        companions = self.companions.find(doc, start, end)
        if companions is None:
            return []
        found = ", ".join(f"{s.name}「{doc.text[a:b]}」" for s, (a, b) in present)
        why = f"score {score:g} from {found}" + ("; " + with_companions(companions) if companions else "")
        return [Hit(start, end, self.confidence, why, pattern=(*(s.name for s, _ in present), *companions))]
