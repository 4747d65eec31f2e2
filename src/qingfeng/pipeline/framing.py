"""Frames, half of the context stage (``qingfeng.pipeline.context``): how a message frames what a detector
found. Reporting is not doing.

After a hit has passed its rule's own allow-phrases, the context stage asks whether it is framed so that it
is no violation: crime in a news report, a scam quoted by an anti-fraud text, a debunked rumour, a weapon in
a game, a shop's address, a word inside quotation marks, a prohibition ("严禁赌博"). The frames are data
(``rulebook/frames.yaml``, terms from ``rulebook/vocab/``) and apply to every detector kind alike — lexicon,
pattern, score, model, form — by category, so one mechanism serves the whole rulebook.

A frame holds for a hit when one of its cues is present (anywhere, within ``within`` characters of the hit,
or only just ``before`` or ``after`` it), or, for ``quoted`` frames, when the hit lies inside quotation marks; and none
of its overriding cues is present (``unless`` anywhere, ``unless_near`` close to the hit: someone spoken to,
a demand to pay or forward). A ``forwarded`` frame reads a text pasted into the chat and the forwarder's own
words around it ("这条短信是真的吗？⏎【顺丰】您的快递丢失…"): its cues and overriding cues count only in the
forwarder's words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qingfeng.core.cache import YamlError, cached, yaml_data
from qingfeng.detectors.base import Doc, Hit
from qingfeng.rulebook.loader import PACKAGE_DIR, Rulebook, RulebookError
from qingfeng.rulebook.schema import Category, Localized
from qingfeng.text.words import MAX_TERM, words_of

FRAMES_FILE = PACKAGE_DIR / "frames.yaml"
# Opening mark → closing mark; straight quotes close themselves.
_QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》", "‘": "’", "〈": "〉", '"': '"'}
# Where a pasted text begins or ends: a new line, a sender's tag (【顺丰】), a dash before a comment (——这种能信吗)
_PART_BREAK = re.compile(r"\n|【|——")
_CLAUSE_END = re.compile(r"[，。,.;；!！?？、\s]")  # a label's colon ("电话：") joins
_QUOTED = re.compile("|".join(f"{re.escape(o)}[^{re.escape(c)}\n]{{1,60}}{re.escape(c)}" for o, c in _QUOTES.items()))


class FrameSpec(BaseModel):
    """One frame as declared in frames.yaml."""

    # defer_build: the schema is built at the first validation, which frames read from the cache never need
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(pattern=r"^[a-z_]+$")
    title: Localized  # said in the explanation of what was set aside
    categories: list[Category] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list, description="further rule ids the frame covers")
    about: list[str] = Field(default_factory=list, description="terms the hit must lie on (empty: any)")
    cues: list[str] = Field(default_factory=list)
    within: int | None = Field(default=None, ge=0, description="cue window around the hit; None: anywhere")
    before: bool = Field(default=False, description="the cue must end just before the hit (within `within`)")
    after: bool = Field(default=False, description="the cue must start just after the hit (within `within`)")
    quoted: Literal["any", "titles"] | None = Field(
        default=None, description="the frame holds when the hit lies inside quotation marks (any) or 《》 (titles)"
    )
    unless: list[str] = Field(default_factory=list, description="overriding cues anywhere in the message")
    unless_near: list[str] = Field(default_factory=list, description="overriding cues close to the hit")
    unless_within: int = Field(default=4, ge=0)
    quoted_overrides: bool = Field(default=True, description="whether overriding cues inside quotes count")
    forwarded: bool = Field(
        default=False,
        description="the cues are the forwarder's: they must lie outside the pasted text that holds the hit, and "
        "overriding cues count only there too",
    )

    @model_validator(mode="after")
    def _one_side(self) -> FrameSpec:
        if self.before and self.after:
            raise ValueError("a cue lies before the hit or after it, not both")
        return self


class Frame:
    def __init__(self, spec: FrameSpec, rulebook: Rulebook) -> None:
        where = f"{FRAMES_FILE.name}: frame {spec.name}"
        self.spec = spec
        self.name = spec.name
        self.categories = frozenset(spec.categories)
        self.rules = frozenset(spec.rules)
        self.about = frozenset(rulebook.expand(spec.about, where=where))
        self.cues = frozenset(rulebook.expand(spec.cues, where=where))
        self.unless = frozenset(rulebook.expand(spec.unless, where=where))
        self.unless_near = frozenset(rulebook.expand(spec.unless_near, where=where))
        # Without quotation marks to look for, a frame holds only where one of its cues was found at all
        self._needs_cue = spec.quoted is None

    def terms(self) -> Iterable[str]:
        return self.about | self.cues | self.unless | self.unless_near

    def covers(self, rule: str, category: str) -> bool:
        return category in self.categories or rule in self.rules

    def holds(self, doc: Doc, hit: Hit) -> bool:
        found = doc.term_starts
        if (self._needs_cue and self.cues.isdisjoint(found)) or (self.about and self.about.isdisjoint(found)):
            return False  # what follows would say so too, after longer look-ups
        spec = self.spec
        whole = hit.start is None or hit.end is None
        start, end = (0, len(doc.text)) if whole else (hit.start, hit.end)
        if self.about and doc.any_near(self.about, start, end, None if whole else 0) is None:
            return False
        if spec.forwarded:
            return not whole and self._forwarder_says(doc, start, end)
        cited = spec.quoted_overrides
        if self.unless and _said(doc, self.unless, 0, len(doc.text), None, cited):
            return False
        # a quoted hit's own words are what is cited, not who it is said to ("证据里有短信“打断你的腿”")
        own = (start, end) if spec.quoted and not whole else None
        if self.unless_near and _said(doc, self.unless_near, start, end, None if whole else spec.unless_within, cited,
                                      own):
            return False
        if spec.quoted and not whole and _inside_quotes(doc, start, end, titles=spec.quoted == "titles"):
            return True
        if not self.cues:
            return False
        # a negation before qualifies a word, never a whole message; after: what the word goes on to do or suffer
        # ("女的被骗了")
        if spec.before or spec.after:
            return not whole and _cue_beside(doc, self.cues, start, end, spec.within or 0, after=spec.after)
        return doc.any_near(self.cues, start, end, None if whole else spec.within) is not None

    def _forwarder_says(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the forwarder's own words — the message outside the pasted part that holds the hit — carry a
        cue and no overriding cue. An overriding cue inside a cue found is that cue (是真的 in 是真的吗). Parts are
        read in the original text: normalising drops a line break between two characters."""
        part = _pasted_part(doc.message.text, *doc.norm.to_original(start, end))
        if part is None:
            return False
        lo, hi = part

        def outside(terms: frozenset[str]) -> list[tuple[int, int]]:
            spans = (doc.norm.to_original(found, found + len(term)) for term, starts in doc.term_starts.items()
                     if term in terms for found in starts)
            return [(o_start, o_end) for o_start, o_end in spans if o_end <= lo or o_start >= hi]

        cues = outside(self.cues)
        return bool(cues) and all(
            any(c_start <= o_start and o_end <= c_end for c_start, c_end in cues)
            for o_start, o_end in outside(self.unless | self.unless_near)
        )


def _pasted_part(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of a message that holds [start, end): the quotation around it, or else the stretch between two
    breaks (a new line, a sender's tag, a dash); None when that part is the whole message or the hit crosses
    a break."""
    for quote in _QUOTED.finditer(text):
        if quote.start() < start and end < quote.end():
            return quote.start(), quote.end()
    lo, hi = 0, len(text)
    for brk in _PART_BREAK.finditer(text):
        if brk.start() <= start:
            lo = brk.start()
        elif brk.start() < end:
            return None
        else:
            hi = brk.start()
            break
    return None if (lo, hi) == (0, len(text)) else (lo, hi)


def _said(doc: Doc, terms: frozenset[str], start: int, end: int, window: int | None, cited: bool,
          own: tuple[int, int] | None = None) -> bool:
    """Whether one of these terms occurs (within ``window`` of [start, end)), not inside the ``own`` span;
    unless ``cited``, only outside quotation marks count (a lesson that quotes a scam, "骗子会说‘我是王局’",
    does not make the demand)."""
    for term, starts in doc.term_starts.items():
        if term not in terms:
            continue
        for found in starts:
            if own and own[0] <= found and found + len(term) <= own[1]:
                continue
            near = window is None or (found < end + window and found + len(term) > start - window)
            if near and (cited or not _inside_quotes(doc, found, found + len(term), titles=False)):
                return True
    return False


def _cue_beside(doc: Doc, cues: frozenset[str], start: int, end: int, window: int, *, after: bool) -> bool:
    """A cue ending at most ``window`` characters before ``start`` (or, ``after``, starting at most ``window``
    characters after ``end``), in the same clause."""
    text = doc.text
    for term, starts in doc.term_starts.items():
        if term in cues:
            for found in starts:
                gap_start, gap_end = (end, found) if after else (found + len(term), start)
                if 0 <= gap_end - gap_start <= window and not _CLAUSE_END.search(text, gap_start, gap_end):
                    return True
    return False


def _inside_quotes(doc: Doc, start: int, end: int, *, titles: bool) -> bool:
    spans = doc.cache.get("quoted")
    if spans is None:
        original = doc.message.text
        spans = doc.cache["quoted"] = [(m.start(), m.end(), m.group()[0]) for m in _QUOTED.finditer(original)]
    if not spans:
        return False
    lo, hi = doc.norm.to_original(start, end)
    return any(q_start < lo and hi < q_end and (not titles or mark == "《") for q_start, q_end, mark in spans)


class Frames:
    """Every frame of the rulebook, indexed by what each covers; and the word boundaries a hit must keep."""

    def __init__(self, frames: list[Frame], bound: frozenset[str] = frozenset()) -> None:
        self.frames = frames
        self.bound = bound  # single characters that keep their sense inside longer words (嫖 in 嫖娼)
        self._for: dict[tuple[str, str], tuple[Frame, ...]] = {}

    def piece_of_words(self, doc: Doc, hit: Hit) -> bool:
        """Whether a short hit is a piece of other words rather than a word (开房 in 放开房价, 粉 in 米粉):
        ``qingfeng.text.words``. Hits without a span, and long ones, are not judged."""
        start, end = hit.start, hit.end
        if start is None or end is None or end - start > MAX_TERM:
            return False
        return words_of(doc.cache, doc.text).piece_of_words(start, end, self.bound)

    def terms(self) -> set[str]:
        return {term for frame in self.frames for term in frame.terms()}

    def excuse(self, doc: Doc, rule: str, category: str, hit: Hit) -> Frame | None:
        """The first frame that sets this hit aside, or None when the hit stands."""
        key = (rule, category)
        covering = self._for.get(key)
        if covering is None:
            covering = self._for[key] = tuple(f for f in self.frames if f.covers(rule, category))
        for frame in covering:
            if frame.holds(doc, hit):
                return frame
        return None


def load_frames(rulebook: Rulebook, path: Path = FRAMES_FILE) -> Frames:
    bound = frozenset(rulebook.expand(["@context.bound_chars"], where=f"{path.name}: word boundaries"))
    return Frames([Frame(spec, rulebook) for spec in _read_specs(path)], bound)


@lru_cache(maxsize=4)
def _read_specs(path: Path) -> tuple[FrameSpec, ...]:
    """The frames of ``path``, validated once and then read from the cache (validating them builds the
    schema of FrameSpec, which a warm start otherwise never needs)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RulebookError(f"{path.name}: cannot read frames: {error}") from None
    return cached("frames", hashlib.sha256(text.encode()).hexdigest(), lambda: _validated(text, path.name))


def _validated(text: str, name: str) -> tuple[FrameSpec, ...]:
    try:
        data = yaml_data(text) or []
    except YamlError as error:
        raise RulebookError(f"{name}: cannot read frames: {error}") from None
    specs = []
    for number, item in enumerate(data, 1):
        try:
            specs.append(FrameSpec.model_validate(item))
        except ValidationError as error:
            raise RulebookError(f"{name}: frame {number}: {error.errors()[0]['msg']}") from None
    return tuple(specs)


__all__ = ["FRAMES_FILE", "Frame", "FrameSpec", "Frames", "load_frames"]
