"""Keyword detectors: a trigger term and optional co-occurring terms (allow-phrases and boosts are the
rule's context, applied by the pipeline's context stage).

``lexicon`` reports the trigger's span; ``message`` reports the whole message (red envelopes, transfers,
stickers…) when it is in the rule's scope and its cue groups are present.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import Field

from qingfeng.detectors.base import Detector, Doc, Hit, Terms, register
from qingfeng.detectors.companions import Companions, KeywordSpec, with_companions


@register
class LexiconDetector(Detector):
    kind = "lexicon"
    first_hit = True  # one finding per message: the first occurrence its context admits

    class Spec(KeywordSpec):
        kind: Literal["lexicon"]
        any: list[str] = Field(min_length=1, description="trigger terms; @name expands a vocabulary")
        min_distinct: int = Field(default=1, ge=1, description="how many different trigger terms must occur")

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.triggers = vocabulary(spec.any)
        self.trigger_set = frozenset(self.triggers)
        self.min_distinct = spec.min_distinct
        self.confidence = spec.confidence
        self.companions = Companions(spec, vocabulary)

    def terms(self) -> list[str]:
        return self.triggers

    def context_terms(self) -> list[str]:
        return self.companions.terms()

    def detect(self, doc: Doc) -> Iterator[Hit]:
        # A generator: the context stage takes the first hit it admits and asks for no more.
        spans = doc.spans(self.trigger_set)
        if self.min_distinct > 1:
            distinct = tuple(sorted({term for _, _, term in spans}))
            if len(distinct) < self.min_distinct:
                return
        for start, end, term in spans:
            companions = self.companions.find(doc, start, end, apart=True)
            if companions is None:
                continue
            matched = distinct if self.min_distinct > 1 else (term,)
            found = f"terms {', '.join(matched)}" if self.min_distinct > 1 else f"term {term}"
            if companions:
                found += " " + with_companions(companions)
            yield Hit(start, end, self.confidence, found, pattern=(*matched, *companions))


@register
class MessageDetector(Detector):
    """Fires on the whole message when it is in scope and its cue groups (``all``) are present."""

    kind = "message"

    class Spec(KeywordSpec):
        kind: Literal["message"]

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.confidence = spec.confidence
        self.companions = Companions(spec, vocabulary)

    def context_terms(self) -> list[str]:
        return self.companions.terms()

    def detect(self, doc: Doc) -> Iterable[Hit]:
        companions = self.companions.find(doc, None, None)
        if companions is None:
            return []
        return [Hit(None, None, self.confidence, with_companions(companions) or "message in scope", pattern=companions)]
