"""The verifier, the last step of the context stage: a model that reads the words around each written rule's
hit and doubts the hits that look like no violation (crime news, a quoted scam, a game's weapons), across
writers' phrasings that no cue list of the frames names.

After the rules' allow-phrases and the frames (``qingfeng.pipeline.context``), the engine hands it every
standing hit of a batch at once. It reads only the hits of written rules that would be reported at warn or
block, and only of rules that let it (``verify``, true unless a rule's YAML says otherwise: a model-free
strong signal such as a checked ID number or a classification marking is never doubted, nor form and timing
advice). Each is scored by ``detectors/models/verifier.npz`` (a logistic regression over hashed character
and pinyin n-grams, ``qingfeng.detectors.scoring.Model``, trained by ``bench/train_verifier.py``) on a
window of the normalised text either side of the hit and the hit itself (its n-grams apart), with the rule,
its category and the hit's words as markers. A hit whose probability of being wrong reaches the threshold
stored with the model (some categories have one of their own) is lowered, never dropped: it becomes advice
(info), out of the warn and block counts, and its explanation names the words around it that weighed most
towards doubt. A block needs more: a hit its rule reports at block keeps it only while the verifier is
confident (its probability of being wrong under the block cut, ``BLOCK_CUTS``); between that and the
lowering threshold it is shown at warn, its explanation saying so. The engine stays category-agnostic:
which rules are read, and how sure each category's doubt must be, is data.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from qingfeng.core.models import MODEL_KINDS, SEVERITY_RANK, Doubt
from qingfeng.detectors.base import Doc
from qingfeng.detectors.grams import MODELS
from qingfeng.rulebook.schema import Rule
from qingfeng.text.words import words_of

if TYPE_CHECKING:
    from qingfeng.detectors.scoring import Model

MODEL = "verifier"
LABEL = "wrong"
WINDOW = 15  # characters read either side of the hit
GAP = "\ue000"  # either side of the hit: a break no n-gram spans (``detectors.ngrams.JUNK``)
_HIT_PLANE = 0xF0000  # the hit's characters are read moved into this private plane
_WARN = SEVERITY_RANK["warn"]
_NAMED = 3  # words named in a doubt's account
# The probability of being wrong from which a hit its rule reports at block is shown at warn instead (never above
# the category's lowering threshold): chosen by bench/train_verifier.py on the right blocks of every writer, at a
# share (98 %) that keeps 97 % of them or more on writers left out (README, "The verifier"); "" for every
# category not named. Fraud's and illegal's lie above their lowering threshold: their blocks move to advice or not
# at all.
BLOCK_CUTS: dict[str, float] = {"": 0.39, "fraud": 0.463, "gifts": 0.261, "illegal": 0.463, "secrecy": 0.346}
# the parts of a named phrase that lie around the hit: neither a break nor one of the hit's moved characters
_AROUND = re.compile(f"[^{GAP}\U000f0000-\U0010ffff]+")
# what the verifier makes of a hit (``fate``)
KEPT, WARNED, LOWERED = 0, 1, 2


def fate(probability: float, block: bool, lowering: float, block_cut: float) -> int:
    """What the verifier makes of one hit, from its probability of being wrong: ``LOWERED`` to advice at the
    category's lowering threshold; else, for a hit its rule reports at block, ``WARNED`` from the block cut
    (never above that threshold); else ``KEPT``. The run-time decision and the trainer's (bench/) alike."""
    if probability >= lowering:
        return LOWERED
    return WARNED if block and probability >= min(block_cut, lowering) else KEPT


def readable(rule: Rule, kind: str, severity: str) -> bool:
    """Whether the verifier reads hits of this rule reported at this severity."""
    return rule.verify and kind not in MODEL_KINDS and SEVERITY_RANK[severity] >= _WARN


def window(text: str, start: int | None, end: int | None, rule: Rule, width: int = WINDOW) -> tuple[str, str]:
    """What the model reads of a hit on ``[start, end)`` of the normalised ``text``, the same at training and
    at run time: the words either side of it, with the hit between breaks in characters of their own (its
    n-grams are features apart from the same words around a hit), and its markers (rule, category, the hit's
    words as a whole)."""
    if start is None or end is None:  # a finding on the whole message: its opening words
        start = end = 0
    hit = text[start:end]
    words = f"{text[max(0, start - width):start]}{GAP}{_moved(hit)}{GAP}{text[end:end + width]}"
    return words, _marker(rule.id) + _marker(rule.category) + _marker(hit)


@lru_cache(maxsize=8192)  # the same few hundred terms and rules recur: worked out once each
def _moved(hit: str) -> str:
    """The hit's characters moved into a private plane of their own."""
    return "".join(chr(_HIT_PLANE + ord(char)) if ord(char) < 0x10000 else char for char in hit)


def _named(doc: Doc, start: int | None, end: int | None, phrases: Sequence[str]) -> tuple[str, ...]:
    """What a person reads of the phrases the model named (``Scores.evidence``: its strongest n-grams merged
    into phrases) for a hit on ``[start, end)``: each part of them around the hit, widened to the whole words
    of the message it touches (``Words.whole``), as the message writes them; two characters or more, none
    repeated or inside another."""
    text = doc.text
    start, end = (start, end) if start is not None and end is not None else (0, 0)
    low, high = max(0, start - WINDOW), min(len(text), end + WINDOW)
    words = words_of(doc.cache, text)
    named: list[str] = []
    for phrase in phrases:
        for piece in _AROUND.findall(phrase):
            at = text.rfind(piece, low, start)
            at = at if at >= 0 else text.find(piece, end, high)
            if at < 0:
                continue
            first, last = doc.norm.to_original(*words.whole(at, at + len(piece)))
            word = doc.message.text[first:last].strip()
            if len(word) >= 2 and not any(word in other for other in named):
                named = [other for other in named if other not in word] + [word]
    return tuple(named[:_NAMED])


@lru_cache(maxsize=8192)
def _marker(value: str) -> str:
    """One character standing for a value, stable across processes (setting features hash its code point)."""
    return chr(0x10000 + zlib.crc32(value.encode()) % 0xF0000)


class Verifier:
    """The shipped verifier; ``lower`` judges a batch's standing hits."""

    def __init__(self, load: Callable[[], Model]) -> None:
        self._load = load

    @cached_property
    def model(self) -> Model:
        """Loaded at the first hit to read: a clean draft's check never imports numpy for it."""
        return self._load()

    def threshold(self, category: str) -> float:
        """The probability of being wrong at which a hit of this category is lowered (some categories have
        one of their own: bare profanity rarely changes with the words around it)."""
        return self.model.cuts.get(category, self.model.cut)

    def fate(self, probability: float, category: str, severity: str) -> int:
        """What becomes of a hit of this category reported at this severity (``fate``)."""
        return fate(probability, severity == "block", self.threshold(category),
                    BLOCK_CUTS.get(category, BLOCK_CUTS[""]))

    def lower(self, docs: Sequence[Doc], standing: Sequence[Sequence[Any]]) -> dict[int, Doubt]:
        """The doubted hits, by ``id`` of their standing record, for a batch: ``standing[n]`` holds the hits
        that stood on ``docs[n]`` (the engine's records: each has its ``rule``, detector ``kind``, ``hit`` and
        ``severity``). A doubt lowers its hit to advice, or a block the verifier is not confident of to warn
        (``Doubt.was``). Scored in one batch; a hit with nothing readable around it is never doubted."""
        chosen: list[tuple[Doc, Any, str]] = []
        texts: list[str] = []
        markers: list[str] = []
        for doc, hits in zip(docs, standing, strict=True):
            for one in hits:
                if readable(one.rule, one.kind, one.severity):
                    words, marks = window(doc.text, one.hit.start, one.hit.end, one.rule)
                    chosen.append((doc, one, words))
                    texts.append(words)
                    markers.append(marks)
        if not chosen:
            return {}
        scored = self.model.score_batch(texts, markers)
        lowest = min(self.model.cut, *self.model.cuts.values(), *BLOCK_CUTS.values())
        found = {}
        for number in scored.over(LABEL, lowest, 2):
            doc, one, words = chosen[number]
            probability = float(scored.probabilities[number, 0])
            outcome = self.fate(probability, one.rule.category, one.severity)
            if outcome == KEPT:
                continue
            scores = scored.scores(number)
            evidence = scores.evidence(LABEL, words) if scores is not None else None
            said = _named(doc, one.hit.start, one.hit.end, evidence.words) if evidence is not None else ()
            found[id(one)] = Doubt(probability, said) if outcome == LOWERED else Doubt(probability, said, "block")
        return found


@cache
def shipped() -> Verifier | None:
    """The verifier of the package, or None where its model is not shipped."""
    if not (MODELS / f"{MODEL}.npz").exists():
        return None

    def load() -> Model:
        from qingfeng.detectors.scoring import load_model  # numpy: only once a hit is to be read

        return load_model(MODEL)

    return Verifier(load)


__all__ = ["BLOCK_CUTS", "GAP", "KEPT", "LABEL", "LOWERED", "MODEL", "WARNED", "WINDOW", "Verifier", "fate", "readable",
           "shipped", "window"]
