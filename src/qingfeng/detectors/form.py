"""Official-message form (fm-1..5, ug-4, ug-7): openers, the parts of a notice, length.

The message's structure comes from ``qingfeng.coach.official`` (read from the original text); hits are
reported on the normalised text, as the engine expects. Only clear breaches carry the spec's confidence;
doubtful ones come out lower, so the engine reports them as advice (info).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from pydantic import Field

from qingfeng.coach.official import NOTICE_CUES, OPENERS, Span, Structure, analyse, find_opener, is_kin
from qingfeng.detectors.base import Detector, DetectorSpec, Doc, Hit, register
from qingfeng.text.normalize import NormText

Terms = Callable[[Iterable[str]], list[str]]

DOUBTFUL = 0.4  # below the engine's threshold: reported as info whatever the rule's severity


def norm_span(norm: NormText, span: Span) -> Span:
    """A span of the original text as a span of the normalised text (the engine maps it back)."""
    start, end = span
    size = len(norm.text)
    if size == 0:
        return 0, 0
    low, high = 0, size - 1
    while low < high:  # the first normalised character that comes from at or after ``start``
        middle = (low + high) // 2
        if norm.to_original(middle, middle + 1)[1] <= start:
            low = middle + 1
        else:
            high = middle
    first = low
    low, high = first, size
    while low < high:  # the first normalised character that starts at or after ``end``
        middle = (low + high) // 2
        if norm.to_original(middle, middle + 1)[0] < end:
            low = middle + 1
        else:
            high = middle
    return first, max(low, first + 1)


def hit_at(doc: Doc, span: Span | None, confidence: float, why: str) -> Hit:
    """A hit on a span of the original text (None: the whole message)."""
    if span is None:
        return Hit(None, None, confidence, why)
    start, end = norm_span(doc.norm, span)
    return Hit(start, end, confidence, why)


@register
class OpenerDetector(Detector):
    """"在吗" / "看到请回复" at the start of a message (ug-4): bare, or before the subject."""

    kind = "opener"

    class Spec(DetectorSpec):
        kind: Literal["opener"]
        bare: bool = Field(description="true: nothing but the opener and an address; false: the subject follows")
        confidence: float = Field(default=0.9, ge=0, le=1)

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.triggers = vocabulary([*OPENERS, "？"])  # "？": a bare call ("李所？") holds no opener word

    def terms(self) -> list[str]:
        return self.triggers

    def detect(self, doc: Doc) -> Iterable[Hit]:
        opener = find_opener(doc.layout_text())
        if opener is None or opener.bare != self.spec.bare:
            return []
        if doc.message.channel == "private" and is_kin(opener.address):
            return []  # a message to one's family is not a work message
        what = "bare opener" if opener.bare else "opener before the subject"
        return [hit_at(doc, opener.span, self.spec.confidence, what)]


Part = Literal["salutation", "numbering", "closing_notice", "closing_reply", "signature"]


@register
class NoticePartDetector(Detector):
    """A part missing from a notice or a task given to a group (fm-1, fm-3, fm-4, fm-5)."""

    kind = "notice_part"

    class Spec(DetectorSpec):
        kind: Literal["notice_part"]
        part: Part = Field(description="the part that must be there")
        min_items: int = Field(default=3, ge=2, description="numbering: this many requests call for numbers")
        confidence: float = Field(default=0.9, ge=0, le=1)

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.triggers = vocabulary(NOTICE_CUES)
        self.trigger_set = frozenset(self.triggers)

    def terms(self) -> list[str]:
        return self.triggers

    @staticmethod
    def _notice(doc: Doc) -> Structure | None:
        """The message's structure when it is a notice (or an instruction given as one) of its sender's own."""
        form = analyse(doc.layout_text())
        return None if form.forwarded or not form.is_notice_like else form

    def screen(self, docs: Sequence[Doc], batch: dict[Any, Any]) -> list[int]:
        """The notices among the messages holding a cue, worked out once per batch for every part's rule."""
        key = ("notice_part", self.trigger_set)
        chosen = batch.get(key)
        if chosen is None:
            chosen = batch[key] = [number for number, doc in enumerate(docs)
                                   if not self.trigger_set.isdisjoint(doc.term_starts) and self._notice(doc)]
        return chosen

    def detect(self, doc: Doc) -> Iterable[Hit]:
        form = self._notice(doc)
        if form is None:
            return []
        found = getattr(self, f"_{self.spec.part}")(form, doc.message.channel == "group")
        if found is None:
            return []
        span, confidence, why = found
        return [hit_at(doc, span, confidence, why)]

    def _salutation(self, form: Structure, _to_group: bool) -> tuple[Span, float, str] | None:
        if form.salutation is not None:
            return None
        return form.first_clause, self.spec.confidence, "no salutation naming the recipients"

    def _numbering(self, form: Structure, _to_group: bool) -> tuple[Span, float, str] | None:
        if form.numbered or form.items < self.spec.min_items:
            return None
        body = (form.sentences[0][0], form.sentences[-1][1])
        return body, self.spec.confidence, f"{form.items} requests, not numbered"

    def _closing_notice(self, form: Structure, _to_group: bool) -> tuple[Span, float, str] | None:
        if form.header is None or form.closing_notice:
            return None
        return form.header, self.spec.confidence, "notice without 特此通知"

    def _closing_reply(self, form: Structure, _to_group: bool) -> tuple[Span, float, str] | None:
        if form.important is None or form.closing_reply:
            return None
        return form.important, self.spec.confidence, "important request without 收到请回复"

    def _signature(self, form: Structure, to_group: bool) -> tuple[Span, float, str] | None:
        if form.signature is not None:
            return None
        # Clear only for a notice (通知), or a group instruction as formal as one, that says nowhere who sends it.
        formal = form.is_notice or (to_group and form.formal_instruction)
        clear = formal and not form.header_names_issuer and not form.contact_line
        why = "notice without a signature" if clear else "no signature (the sender may be named elsewhere)"
        return form.last_sentence, self.spec.confidence if clear else DOUBTFUL, why


@register
class LengthDetector(Detector):
    """A work message too long or too involved for chat: call or meet instead (ug-7)."""

    kind = "length"

    class Spec(DetectorSpec):
        kind: Literal["length"]
        max_chars: int = Field(default=300, ge=20, description="longer than this is too long for chat")
        max_questions: int = Field(default=3, ge=1, description="more questions than this need a talk")
        confidence: float = Field(default=0.9, ge=0, le=1)

    def _questions(self, text: str) -> int | None:
        """How many questions a text too long or too involved asks; None for a text that is neither."""
        questions = text.count("？") + text.count("?")
        if len(text) <= self.spec.max_chars and questions <= self.spec.max_questions:
            return None
        return questions

    def screen(self, docs: Sequence[Doc], batch: dict[Any, Any]) -> list[int]:
        return [number for number, doc in enumerate(docs) if self._questions(doc.message.text) is not None]

    def detect(self, doc: Doc) -> Iterable[Hit]:
        text = doc.message.text
        questions = self._questions(text)
        if questions is None:
            return []
        why = f"{len(text)} characters" if len(text) > self.spec.max_chars else f"{questions} questions"
        return [hit_at(doc, (0, len(text)), self.spec.confidence, why)]
