"""One short normalised text scored by a model in plain Python, from the same mapped arrays as ``scoring``
and the same definitions (``grams``), so that a pre-send check need not import numpy to learn that no model
rule fires.

Each sum adds the same products in the same order as numpy's ``bincount`` does, so the sums are the same to
the last bit (tests/test_onetext.py); only the logistic function may differ, by the last bit of ``exp``
(numpy's vectorised ``exp`` is not the C library's). So this answers "below the threshold" only with a margin
far wider than that, and a text that might reach a threshold is scored again by ``scoring``: every finding,
its probability and its evidence come from there, as before."""

from __future__ import annotations

import math
from functools import cache
from itertools import accumulate
from pathlib import Path

from qingfeng.detectors.grams import (
    HAN_HIGH,
    HAN_LOW,
    JUNK,
    MASK,
    MIN_MEANINGFUL,
    MODELS,
    MULTIPLIER,
    PINYIN_TOKEN,
    model_data,
    setting_buckets,
)

MARGIN = 1e-9  # a probability this close below a threshold is left to numpy: exp's last bit cannot move it more


class OneText:
    """A model's probabilities for one text, computed in Python."""

    def __init__(self, path: Path) -> None:
        data = model_data(path)
        self.labels: list[str] = data["labels"]
        self.bits: int = data["bits"]
        self.char: tuple[int, int] = data["char"]
        self.pinyin: tuple[int, int] = data["pinyin"]
        self.uses_setting: bool = data["uses_setting"]
        self.idf, self.row, self.weights = data["idf"].flat(), data["row"].flat(), data["weights"].row()
        self.syllables = data["syllables"].flat()
        self.intercepts: list[float] = data["intercepts"].flat().tolist()

    def buckets(self, text: str, setting: str | None) -> tuple[list[int], int]:
        """The text's n-gram buckets in ``ngrams.featurise``'s order (characters by length, then pinyin by
        length, each from left to right, then the setting), and its meaningful characters."""
        joined = text + "\x00"
        codes = list(map(ord, joined))
        broken = [code == 0 for code in codes]
        for match in JUNK.finditer(joined):
            broken[match.start() : match.end()] = [True] * (match.end() - match.start())
        han = [HAN_LOW <= code <= HAN_HIGH and not out for code, out in zip(codes, broken, strict=True)]
        meaningful = sum(1 for code, out, chinese in zip(codes, broken, han, strict=True)
                         if chinese or (97 <= code <= 122 and not out))
        if meaningful < MIN_MEANINGFUL:
            return [], meaningful
        last = len(self.syllables) - 1
        spoken = [code if not chinese or not self.syllables[min(code, last)]
                  else self.syllables[min(code, last)] + PINYIN_TOKEN for code, chinese in zip(codes, han, strict=True)]
        broken_before = [0, *accumulate(broken)]
        han_before = [0, *accumulate(han)]
        shift = 64 - self.bits
        found: list[int] = []
        for tokens, (low, high), base, needs_han in ((codes, self.char, 0, False), (spoken, self.pinyin, 100, True)):
            for n in range(low, high + 1):
                for start in range(len(tokens) - n + 1):
                    if broken_before[start + n] != broken_before[start]:
                        continue
                    if needs_han and han_before[start + n] == han_before[start]:
                        continue
                    hashed = base + n
                    for token in tokens[start : start + n]:
                        hashed = ((hashed ^ token) * MULTIPLIER) & MASK
                    found.append(hashed >> shift)
        if self.uses_setting and setting is not None:
            found.extend(setting_buckets(setting, self.bits))
        return found, meaningful

    def sums(self, text: str, setting: str | None = None) -> tuple[list[float], int] | None:
        """Per label the sum of the text's pushes towards it (before the intercept), and the text's meaningful
        characters; None for a text a model does not read (``scoring``'s None)."""
        buckets, meaningful = self.buckets(text, setting)
        if meaningful < MIN_MEANINGFUL:
            return None
        idf = [self.idf[bucket] for bucket in buckets]
        total = 0.0
        for value in idf:  # as numpy's bincount: one by one, in order
            total += value * value
        length = math.sqrt(total) if total > 0 else 1.0
        sums = [0.0] * len(self.labels)
        weights, row = self.weights, self.row
        for bucket, value in zip(buckets, idf, strict=True):
            value /= length
            for label, weight in enumerate(weights(row[bucket])):
                sums[label] += weight * value
        return sums, meaningful

    def probabilities(self, text: str, setting: str | None = None) -> tuple[list[float], int] | None:
        """Per label its probability, and the text's meaningful characters; None as ``sums``."""
        found = self.sums(text, setting)
        if found is None:
            return None
        sums, meaningful = found
        return [1.0 / (1.0 + math.exp(-(total + intercept)))
                for total, intercept in zip(sums, self.intercepts, strict=True)], meaningful


@cache
def one_text(name: str) -> OneText:
    return OneText(MODELS / f"{name}.npz")
