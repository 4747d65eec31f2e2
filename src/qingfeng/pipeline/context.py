"""The context stage: what the words around a hit do to it, for hits of every detector kind alike.

Between detect and merge the engine hands each rule's raw hits here. Two sources of context judge them:

- the rule's own (options of every detector spec, ``detectors.base.DetectorSpec``): allow-phrases anywhere in
  the message (``unless``), near the hit (``unless_near`` within ``unless_within``) or just before it
  (``unless_before``, ``unless_before_regex`` within ``before``) set a hit aside; ``boost`` moves the
  confidence of a hit that stands, by terms present or the kind of room;
- the frames of ``frames.yaml`` (``qingfeng.pipeline.framing``): a hit the message only reports, quotes,
  forbids or debunks is set aside.

A kind that reports one hit per message (``Detector.first_hit``) gets the first of its hits that stands: the
hits are judged in text order until one does, so a hit set aside does not hide a later one of another word that
its own context admits ("没有收过红包…他私下塞了购物卡"). The same word said again after a frame set it aside is
read as that frame read it: the topic, quotation or report goes on ("“反色情”…也反色情", "堕胎的权利…不堕胎").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qingfeng.core.models import MODEL_KINDS, ContextMove
from qingfeng.detectors.base import DetectorSpec, Doc, Hit, Terms
from qingfeng.pipeline.framing import Frames
from qingfeng.rulebook.schema import Rule

Judged = tuple[Hit, float, tuple[ContextMove, ...]]  # a hit that stands, its confidence, the moves made


class RuleContext:
    """A rule's own context, its terms expanded."""

    __slots__ = ("allows", "before", "before_regex", "boosts", "unless", "unless_before", "unless_near",
                 "unless_within")

    def __init__(self, spec: DetectorSpec, terms: Terms) -> None:
        self.unless = frozenset(terms(spec.unless))
        self.unless_near = frozenset(terms(spec.unless_near))
        self.unless_within = spec.unless_within
        self.unless_before = frozenset(terms(spec.unless_before))
        self.before_regex = re.compile(spec.unless_before_regex) if spec.unless_before_regex else None
        self.before = spec.before
        self.boosts = [(frozenset(terms(b.terms)), frozenset(b.rooms), b.by) for b in spec.boost]
        self.allows = bool(self.unless or self.unless_near or self.unless_before or self.before_regex)

    def terms(self) -> list[str]:
        """The terms it looks up in ``Doc.term_starts`` (searched by the engine's shared pass)."""
        boosting = [term for terms, _, _ in self.boosts for term in terms]
        return [*self.unless, *self.unless_near, *self.unless_before, *boosting]

    def rules_out(self, doc: Doc) -> bool:
        """Whether an allow-phrase anywhere in the message sets aside every hit the rule could make."""
        return bool(self.unless) and not doc.term_starts.keys().isdisjoint(self.unless)

    def excuses(self, doc: Doc, hit: Hit) -> bool:
        """Whether an allow-phrase of the rule sets this hit aside."""
        if self.rules_out(doc):
            return True
        start, end = hit.start, hit.end
        if start is None or end is None:
            return bool(self.unless_near) and not doc.term_starts.keys().isdisjoint(self.unless_near)
        if self.unless_near and doc.any_near(self.unless_near, start, end, self.unless_within) is not None:
            return True
        return (bool(self.unless_before) or self.before_regex is not None) and self._before(doc, start)

    def _before(self, doc: Doc, start: int) -> bool:
        if self.before_regex is not None and self.before_regex.search(doc.text, max(0, start - self.before), start):
            return True
        for term, starts in doc.term_starts.items():
            if term in self.unless_before and any(start - self.before <= f + len(term) <= start for f in starts):
                return True
        return False

    def boosted(self, doc: Doc, confidence: float) -> tuple[float, tuple[ContextMove, ...]]:
        """The confidence after the rule's boosts (kept within 0..1), and the moves they made."""
        moves = []
        for terms, rooms, by in self.boosts:
            if rooms and doc.room_kind in rooms:
                moves.append(ContextMove(f"room {doc.room_kind}", by))
            elif terms and (term := doc.any_near(terms, 0, len(doc.text), None)) is not None:
                moves.append(ContextMove(term, by))
            else:
                continue
            confidence += by
        return min(1.0, max(0.0, confidence)), tuple(moves)


def judge(doc: Doc, rule: Rule, context: RuleContext, frames: Frames, hits: Iterable[Hit], first: bool) -> list[Judged]:
    """The hits of ``rule`` that stand in their context, with their confidence after it; with ``first``,
    only the first hit that stands is kept (those before it were set aside, each by its own context). A written
    rule's hit that is a piece of other words (开房 in 放开房价) is no hit; a model's span is its n-grams, not a
    word."""
    kept: list[Judged] = []
    words = rule.detector["kind"] not in MODEL_KINDS
    framed: set[str] = set()  # words a frame set aside: said again, they are the same topic, quote or report
    for hit in hits:
        if context.allows and context.excuses(doc, hit):
            continue
        if words and frames.piece_of_words(doc, hit):
            continue
        said = doc.text[hit.start : hit.end] if first and hit.start is not None else None
        if said in framed:
            continue
        if frames.excuse(doc, rule.id, rule.category, hit) is None:
            if context.boosts:
                kept.append((hit, *context.boosted(doc, hit.confidence)))
            else:
                kept.append((hit, hit.confidence, ()))
            if first:
                break
        elif said is not None:
            framed.add(said)
    return kept


__all__ = ["Judged", "RuleContext", "judge"]
