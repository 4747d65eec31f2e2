"""Keyword detectors: a trigger term, optional co-occurring terms, allow-phrases and context boosts.

``lexicon`` reports the trigger's span; ``message`` reports the whole message (red envelopes, transfers,
stickers…) when it is in the rule's scope and its cue groups are present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qingfeng.detectors.base import Detector, DetectorSpec, Doc, Hit, register

Terms = Callable[[Iterable[str]], list[str]]


class Boost(BaseModel):
    """Context that moves confidence: terms anywhere in the message, or the kind of room."""

    # defer_build: the schema is built at the first validation, which a rulebook read from the cache never needs
    model_config = ConfigDict(extra="forbid", defer_build=True)

    terms: list[str] = Field(default_factory=list)
    rooms: list[str] = Field(default_factory=list)
    by: float


class ContextSpec(DetectorSpec):
    """Conditions shared by the keyword and pattern kinds."""

    all: list[list[str]] = Field(default_factory=list, description="each group must also be present")
    near: int | None = Field(default=None, description="window, in characters, for `all`")
    unless: list[str] = Field(default_factory=list, description="allow-phrases anywhere in the message")
    unless_near: list[str] = Field(default_factory=list, description="allow-phrases near the match")
    unless_within: int = Field(default=8, ge=0, description="window, in characters, for `unless_near`")
    confidence: float = Field(default=0.9, ge=0, le=1, description="ignored by named recognizers")
    boost: list[Boost] = Field(default_factory=list)


class ContextRules:
    """Applies a ContextSpec to a match: the one code path behind every keyword-like kind."""

    def __init__(self, spec: ContextSpec, terms: Terms) -> None:
        self.groups = [frozenset(terms(group)) for group in spec.all]
        self.near = spec.near
        self.unless = frozenset(terms(spec.unless))
        self.unless_near = frozenset(terms(spec.unless_near))
        self.unless_within = spec.unless_within
        self.confidence = spec.confidence
        self.boosts = [(frozenset(terms(b.terms)), frozenset(b.rooms), b.by) for b in spec.boost]

    def context_terms(self) -> list[str]:
        found = [t for group in self.groups for t in group] + [*self.unless, *self.unless_near]
        return found + [t for terms, _, _ in self.boosts for t in terms]

    def judge(
        self, doc: Doc, start: int | None, end: int | None, base: float | None = None, apart: bool = False
    ) -> tuple[float, str] | None:
        """Confidence and explanation for a match at [start, end), or None when context rules it out.

        Confidence starts at ``base`` (a recognizer's own) or else the spec's, and boosts move it. With
        ``apart`` (a matched term), a companion must be a word of its own, not a piece of it (型号 in 新型号);
        a recognizer's or a model's span may hold its companions.
        """
        whole = start is None or end is None
        lo, hi = (0, len(doc.text)) if whole else (start, end)
        window = None if whole else self.near
        if self.unless and doc.any_near(self.unless, 0, len(doc.text), None):
            return None
        if self.unless_near and doc.any_near(self.unless_near, lo, hi, None if whole else self.unless_within):
            return None
        companions = []
        for group in self.groups:
            companion = doc.any_near(group, lo, hi, window, apart=apart and not whole)
            if companion is None:
                return None
            companions.append(companion)
        confidence = self.confidence if base is None else base
        moved = []
        for terms, rooms, by in self.boosts:
            if (rooms and doc.room_kind in rooms) or (terms and doc.any_near(terms, 0, len(doc.text), None)):
                confidence += by
                moved.append(f"{by:+.2f}")
        confidence = min(1.0, max(0.0, confidence))
        explanation = "with " + ", ".join(companions) if companions else ""
        if moved:
            explanation += ("; " if explanation else "") + "context " + " ".join(moved)
        return confidence, explanation


@register
class LexiconDetector(Detector):
    kind = "lexicon"

    class Spec(ContextSpec):
        kind: Literal["lexicon"]
        any: list[str] = Field(min_length=1, description="trigger terms; @name expands a vocabulary")
        min_distinct: int = Field(default=1, ge=1, description="how many different trigger terms must occur")

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.triggers = vocabulary(spec.any)
        self.trigger_set = frozenset(self.triggers)
        self.min_distinct = spec.min_distinct
        self.context = ContextRules(spec, vocabulary)

    def terms(self) -> list[str]:
        return self.triggers

    def context_terms(self) -> list[str]:
        return self.context.context_terms()

    def detect(self, doc: Doc) -> Iterable[Hit]:
        spans = doc.spans(self.trigger_set)
        if self.min_distinct > 1 and len(distinct := {term for _, _, term in spans}) < self.min_distinct:
            return []
        for start, end, term in spans:
            verdict = self.context.judge(doc, start, end, apart=True)
            if verdict is not None:
                confidence, why = verdict
                found = f"terms {', '.join(sorted(distinct))}" if self.min_distinct > 1 else f"term {term}"
                return [Hit(start, end, confidence, found + (f" {why}" if why else ""))]
        return []


@register
class MessageDetector(Detector):
    """Fires on the whole message when it is in scope and its cue groups (``all``) are present."""

    kind = "message"

    class Spec(ContextSpec):
        kind: Literal["message"]

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.context = ContextRules(spec, vocabulary)

    def context_terms(self) -> list[str]:
        return self.context.context_terms()

    def detect(self, doc: Doc) -> Iterable[Hit]:
        verdict = self.context.judge(doc, None, None)
        if verdict is None:
            return []
        confidence, why = verdict
        return [Hit(None, None, confidence, why or "message in scope")]
