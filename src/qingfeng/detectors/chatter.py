"""Chatter in work groups (ug-2, ug-6, ur-3): emoji runs, long off-topic talk. (Stickers need no kind of
their own: a `lexicon` rule finds the markers exports write for them.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from pydantic import Field

from qingfeng.coach.official import analyse
from qingfeng.detectors.base import Detector, DetectorSpec, Doc, Hit, register
from qingfeng.detectors.form import DOUBTFUL, hit_at
from qingfeng.text.joined import texts_matching

Terms = Callable[[Iterable[str]], list[str]]


def _separate(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Matches that do not overlap, longest first ("泡温泉" rather than "泡温泉" and "温泉")."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= other[0] or span[0] >= other[1] for other in kept):
            kept.append(span)
    return sorted(kept)


# Pictographs (astral, or the BMP symbol blocks), optionally with variation selectors, skin tones and
# joiners; or WeChat's bracketed emoji codes ("[强][握手][玫瑰]").
_EMOJI = (
    r"(?:[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff][\ufe0f\u200d\U0001f3fb-\U0001f3ff]*"
    r"|\[[\u4e00-\u9fff]{1,4}\])"
)


@register
class EmojiRunDetector(Detector):
    """A run of emoji in a work-group message (ug-6)."""

    kind = "emoji_run"

    class Spec(DetectorSpec):
        kind: Literal["emoji_run"]
        min_run: int = Field(default=3, ge=2)
        max_other: int | None = Field(
            default=None, ge=0,
            description="a flood: the run must be nearly the whole message, at most this many other characters "
            "(刷屏一下🐶🐶🐶🐶🐶); None: a run anywhere",
        )
        confidence: float = Field(default=0.9, ge=0, le=1)

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.pattern = re.compile(rf"{_EMOJI}(?:\s*{_EMOJI}){{{spec.min_run - 1},}}")

    def screen(self, docs: Sequence[Doc], batch: dict[Any, Any]) -> list[int]:
        """One search over the batch's original texts joined by NUL (a run holds no NUL, so never spans two)."""
        return texts_matching(self.pattern, [doc.message.text for doc in docs])

    def detect(self, doc: Doc) -> Iterable[Hit]:
        # The original text: normalisation stands a placeholder in for astral emoji.
        text = doc.message.text
        match = self.pattern.search(text)
        if match is None:
            return []
        if self.spec.max_other is not None:
            others = len("".join(text.split())) - len("".join(match.group().split()))
            if others > self.spec.max_other:
                return []
            return [hit_at(doc, match.span(), self.spec.confidence, f"nothing but an emoji run {match.group()}")]
        return [hit_at(doc, match.span(), self.spec.confidence, f"emoji run {match.group()}")]


@register
class ChatterDetector(Detector):
    """Off-topic talk in a work group (ug-2, ur-3): leisure topics, personal life, chat, and no work.

    Evidence adds up: distinct leisure topics, signs of personal talk, signs of chat. Long talk on a
    leisure topic with enough evidence is a clear breach; a passing remark is advice.
    """

    kind = "chatter"

    class Spec(DetectorSpec):
        kind: Literal["chatter"]
        topics: list[str] = Field(min_length=1, description="leisure topics; @name expands")
        personal: list[str] = Field(default_factory=list, description="signs of personal talk")
        markers: list[str] = Field(default_factory=list, description="signs of chat: laughter, asking round")
        work: list[str] = Field(default_factory=list, description="work matter: any of these and it is work")
        min_score: int = Field(default=3, ge=1, description="distinct topics, personal signs and chat signs")
        min_chars: int = Field(default=30, ge=1, description="long talk is at least this long")
        confidence: float = Field(default=0.9, ge=0, le=1)

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        self.topics = vocabulary(spec.topics)
        self.signs = [vocabulary(spec.personal), vocabulary(spec.markers)]
        self.work = vocabulary(spec.work)

    def terms(self) -> list[str]:
        return self.topics

    def context_terms(self) -> list[str]:
        return [term for signs in self.signs for term in signs] + self.work

    def detect(self, doc: Doc) -> Iterable[Hit]:
        if any(doc.has(term) for term in self.work):
            return []
        if analyse(doc.layout_text()).is_notice_like:
            return []
        topics = sorted({term for _, _, term in _separate(doc.spans(frozenset(self.topics)))})
        signs = sorted({term for group in self.signs for _, _, term in _separate(doc.spans(frozenset(group)))})
        clear = len(doc.text) >= self.spec.min_chars and len(topics) + len(signs) >= self.spec.min_score
        why = "topics " + ", ".join(topics) + ("; signs " + ", ".join(signs) if signs else "")
        return [Hit(None, None, self.spec.confidence if clear else DOUBTFUL, why)]
