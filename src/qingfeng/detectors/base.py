"""The detector plugin interface and its registry.

A detector kind turns a rule's ``detector:`` spec into hits on a message. It is pure: no I/O, no globals.
The engine runs one shared Aho-Corasick pass per batch for every lexicon term that any detector declares
(``terms()``), so a detector whose terms are all absent is never called. A detector that declares no
terms runs on every message in its rule's scope, unless it screens the batch first (``screen``: the models,
send time, length), and keeps its own prefilter cheap.

Kinds register in the rulebook's registry of rule kinds (``rulebook/kinds.py``); third-party kinds load
through the ``qingfeng.detectors`` entry-point group.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qingfeng.core.models import Message, Validation
from qingfeng.rulebook.kinds import RuleKind, register_kind, rule_kinds
from qingfeng.text.normalize import NormText, simplify_in_place

Terms = Callable[[Iterable[str]], list[str]]  # expands a rule's terms (``@name`` vocabularies), normalised


class Boost(BaseModel):
    """Context that moves confidence: terms anywhere in the message, or the kind of room."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    terms: list[str] = Field(default_factory=list)
    rooms: list[str] = Field(default_factory=list)
    by: float


class DetectorSpec(BaseModel):
    """Base of every detector's spec model; unknown keys are errors, so a typo never passes silently.

    Besides its kind's own options every rule may declare its context: allow-phrases that set a hit aside
    and boosts that move its confidence. The detector never reads them; the pipeline's context stage
    (``qingfeng.pipeline.context``) applies them to the hits of every kind alike.
    """

    # defer_build: the schema is built at the first validation, which a rulebook read from the cache never needs
    model_config = ConfigDict(extra="forbid", defer_build=True)

    kind: str
    unless: list[str] = Field(default_factory=list, description="allow-phrases anywhere in the message")
    unless_near: list[str] = Field(default_factory=list, description="allow-phrases near the hit")
    unless_within: int = Field(default=8, ge=0, description="window, in characters, for `unless_near`")
    unless_before: list[str] = Field(default_factory=list, description="allow-phrases just before the hit")
    unless_before_regex: str | None = Field(default=None, description="an allow-pattern just before the hit")
    before: int = Field(default=12, ge=1, description="how far before the hit `unless_before` looks")
    boost: list[Boost] = Field(default_factory=list)

    @field_validator("unless_before_regex")
    @classmethod
    def _compiles(cls, regex: str | None) -> str | None:
        if regex is not None:
            try:
                re.compile(regex)
            except re.error as error:
                raise ValueError(f"regex does not compile: {error}") from None
        return regex


@dataclass(slots=True)
class Doc:
    """One message as the detectors see it."""

    message: Message
    norm: NormText
    room_kind: str
    # normalised term → start offsets in norm.text, from the shared automaton pass
    term_starts: dict[str, list[int]] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    # Work one detector did that others may reuse (a model's scores), keyed by the detector kind.
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.norm.text

    def layout_text(self) -> str:
        """The original text with traditional and full-width characters simplified one for one (offsets still
        index the original): what the official-form and timing detectors read, worked out once per message."""
        layout = self.cache.get("layout")
        if layout is None:
            layout = self.cache["layout"] = simplify_in_place(self.message.text)
        return layout

    def has(self, term: str) -> bool:
        return term in self.term_starts

    # Both look-ups walk the few terms found in this message and test each against the set given, rather
    # than walking a vocabulary of hundreds: pass a set or frozenset.
    def spans(self, terms: AbstractSet[str]) -> list[tuple[int, int, str]]:
        """Every occurrence of any of these (normalised) terms, as (start, end, term), in text order."""
        found = [
            (start, start + len(term), term)
            for term, starts in self.term_starts.items()
            if term in terms
            for start in starts
        ]
        found.sort()
        return found

    def any_near(
        self, terms: AbstractSet[str], start: int, end: int, window: int | None, apart: bool = False
    ) -> str | None:
        """A term of these found within ``window`` characters of [start, end); anywhere if None. With
        ``apart``, a term lying inside [start, end) does not count: it is part of the match itself."""
        for term, starts in self.term_starts.items():
            if term not in terms:
                continue
            if window is None and not apart:
                return term
            for found in starts:
                if apart and start <= found and found + len(term) <= end:
                    continue
                if window is None or (found < end + window and found + len(term) > start - window):
                    return term
        return None


@dataclass(frozen=True, slots=True)
class Hit:
    """What a detector found, before any context: a span of the normalised text (None for the whole
    message), the detector's own confidence, its account of the hit (``explanation``), what matched
    (``pattern``) and the check it ran on the match (``validation``)."""

    start: int | None
    end: int | None
    confidence: float
    explanation: str
    data: Mapping[str, Any] = field(default_factory=dict)
    pattern: tuple[str, ...] = ()
    validation: Validation | None = None


class Detector:
    """Base class of detector kinds."""

    kind: ClassVar[str]
    Spec: ClassVar[type[DetectorSpec]] = DetectorSpec
    # Costly kinds (statistical models) can be left out of bulk scans with Checker(fast=True).
    costly: ClassVar[bool] = False
    # Kinds that report one hit per message: the first of their hits that the rule's context admits.
    first_hit: ClassVar[bool] = False

    def __init__(self, spec: DetectorSpec, vocabulary: Terms) -> None:
        self.spec = spec

    def terms(self) -> Iterable[str]:
        """Normalised lexicon terms whose presence makes this detector worth running.

        None of them present → the detector is skipped. No terms at all → it runs on every message in scope.
        """
        return ()

    def context_terms(self) -> Iterable[str]:
        """Further terms the detector looks up in ``Doc.term_starts`` (companions, signals)."""
        return ()

    def gate(self) -> re.Pattern[str] | None:
        """A pattern that must match the normalised text for the detector to fire, or None.

        The engine searches it once per batch over the texts joined by NUL, so it must pass
        ``prefilter.batch_safe``; a message without a match is not handed to ``detect``.
        """
        return None

    def screen(self, docs: Sequence[Doc], batch: dict[Any, Any]) -> Sequence[int] | None:
        """Batch work done once for all of a batch's messages (a model scoring them all): the numbers of the
        docs that may give a hit, or None for all of them; only those are handed to ``detect``. ``batch``
        is shared by every detector for this batch (work that several rules reuse); per-message results go
        in ``Doc.cache``. Most detectors need none."""
        return None

    def detect(self, doc: Doc) -> Iterable[Hit]:
        raise NotImplementedError


def register(cls: type[Detector]) -> type[Detector]:
    register_kind(RuleKind("message", cls.kind, cls.Spec, cls))
    return cls


def detector_kinds(needed: Iterable[str] | None = None) -> dict[str, type[Detector]]:
    """Every registered message kind: the built-in modules plus installed plugins (looked up only when
    ``needed`` is not given or names a kind that is not built in)."""
    return {name: kind.runner for name, kind in rule_kinds("message", needed).items()}
