"""Companion terms: the words a keyword-like rule needs beside what it matched (``all``, within ``near``).

A term is a violation only in company (转账 beside 换了新号, 一点心意 beside 收下): each group of ``all`` must
have a term present. Shared by the lexicon, message, pattern, score and classifier kinds; allow-phrases and
boosts are context, applied to every kind by the pipeline's context stage.
"""

from __future__ import annotations

from pydantic import Field

from qingfeng.detectors.base import DetectorSpec, Doc, Terms


class KeywordSpec(DetectorSpec):
    """Options shared by the keyword-like kinds."""

    all: list[list[str]] = Field(default_factory=list, description="each group must also be present")
    near: int | None = Field(default=None, description="window, in characters, for `all`")
    confidence: float = Field(default=0.9, ge=0, le=1, description="ignored by named recognizers")


class Companions:
    """The ``all`` groups of a KeywordSpec, expanded."""

    __slots__ = ("groups", "near")

    def __init__(self, spec: KeywordSpec, terms: Terms) -> None:
        self.groups = [frozenset(terms(group)) for group in spec.all]
        self.near = spec.near

    def terms(self) -> list[str]:
        return [term for group in self.groups for term in group]

    def find(self, doc: Doc, start: int | None, end: int | None, apart: bool = False) -> tuple[str, ...] | None:
        """One companion per group for a match at [start, end) (None: the whole message), or None when a
        group has none. With ``apart`` (a matched term), a companion must be a word of its own, not a piece
        of it (型号 in 新型号); a recognizer's or a model's span may hold its companions."""
        if not self.groups:
            return ()
        whole = start is None or end is None
        lo, hi = (0, len(doc.text)) if whole else (start, end)
        window = None if whole else self.near
        found = []
        for group in self.groups:
            companion = doc.any_near(group, lo, hi, window, apart=apart and not whole)  # type: ignore[arg-type]
            if companion is None:
                return None
            found.append(companion)
        return tuple(found)


def with_companions(found: tuple[str, ...]) -> str:
    """How an explanation names the companions found ("with 收下, 您"), empty for none."""
    return "with " + ", ".join(found) if found else ""
