"""Hashed n-gram features of a whole batch of texts at once, the same at training and at run time.

A batch's normalised texts are joined into one array of code points; every n-gram of every text is hashed
into one of 2**bits buckets by a few array operations per n, with no Python loop per text or per n-gram.
Three families of n-grams are read:

- characters (``char`` lengths);
- toneless pinyin syllables (``pinyin`` lengths, from a table made with pypinyin at training time and
  shipped in the model), so that homophone disguises (薇芯 / 微信, 菜票 / 彩票) meet the words they stand for;
  only n-grams holding at least one Chinese character count, the rest repeat the character n-grams;
- the message's setting (channel, kind of room, type, amount), one bucket per value and per pair.

Junk never reaches a model: digit runs (phone, card and ID numbers are for the validating recognizers),
laughter, runs of one repeated character, emoji and placeholders such as ``[图片]`` break the text, no
n-gram spans them, and a text left with fewer than two Chinese characters or letters is not scored at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qingfeng.detectors.grams import (
    HAN_HIGH,
    HAN_LOW,
    JUNK,
    MIN_MEANINGFUL,
    MULTIPLIER,
    PINYIN_TOKEN,
    SETTING_GROUPS,
    setting_buckets,
)

_MULTIPLIER = np.uint64(MULTIPLIER)


@dataclass(frozen=True)
class FeatureSpec:
    bits: int
    char: tuple[int, int]
    pinyin: tuple[int, int]
    syllables: np.ndarray  # code point (BMP) → toneless syllable number + 1, 0 when none


@dataclass(frozen=True)
class Features:
    """Every n-gram occurrence of a batch: which text, where it starts, how many characters it covers,
    its bucket. Setting features have start -1 and cover nothing."""

    doc: np.ndarray
    start: np.ndarray
    size: np.ndarray
    bucket: np.ndarray
    meaningful: np.ndarray  # per text: Chinese characters and letters left once junk is taken out

    @property
    def scored(self) -> np.ndarray:
        """Per text: whether enough is left for a model to read."""
        return self.meaningful >= MIN_MEANINGFUL


def _hashes(tokens: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Hash of the n tokens starting at each position (the last n-1 positions have none)."""
    count = len(tokens) - n + 1
    hashed = (tokens[:count] ^ np.uint64(seed)) * _MULTIPLIER
    for k in range(1, n):
        hashed = (hashed ^ tokens[k : k + count]) * _MULTIPLIER
    return hashed


def _running(flags: np.ndarray) -> np.ndarray:
    """How many positions before each (and before the end) are flagged: window sums for every n."""
    return np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))


def _window_sums(running: np.ndarray, n: int) -> np.ndarray:
    """For each start position, how many of the n positions from it are flagged (``running``: ``_running``)."""
    return running[n:] - running[:-n]


def featurise(texts: Sequence[str], spec: FeatureSpec, settings: Sequence[str] | None = None) -> Features:
    """The n-grams of normalised ``texts``; ``settings`` is one short marker string per text (or None)."""
    return with_settings(text_features(texts, spec), settings, spec.bits)


def text_features(texts: Sequence[str], spec: FeatureSpec) -> Features:
    """The n-grams of the texts alone: models with the same feature spec share them (``with_settings``)."""
    lengths = np.fromiter((len(text) + 1 for text in texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    joined = "\x00".join(texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    broken = codes == 0
    for match in JUNK.finditer(joined):
        broken[match.start() : match.end()] = True
    han = (codes >= HAN_LOW) & (codes <= HAN_HIGH) & ~broken
    letter = (codes >= ord("a")) & (codes <= ord("z")) & ~broken
    doc_of = np.repeat(np.arange(len(texts)), lengths)
    meaningful = np.bincount(doc_of, weights=han | letter, minlength=len(texts)).astype(np.int64)
    scored = meaningful >= MIN_MEANINGFUL
    broken |= ~scored.take(doc_of)
    syllables = spec.syllables.take(np.minimum(codes, len(spec.syllables) - 1).astype(np.int64)).astype(np.uint64)
    syllables[~han] = 0
    spoken = np.where(syllables > 0, syllables + np.uint64(PINYIN_TOKEN), codes)

    # Each family's windows that span no break, left to right; the few array calls per family are what a
    # draft pays for, so the break windows are shared by the families of one length and the buckets cut once.
    wheres, hashes, sizes, counts = [], [], [], []
    broken_before, han_before = _running(broken), _running(han)
    clear: dict[int, np.ndarray] = {}
    families = [(codes, n, n) for n in range(spec.char[0], spec.char[1] + 1)]
    families += [(spoken, n, 100 + n) for n in range(spec.pinyin[0], spec.pinyin[1] + 1)]
    for tokens, n, seed in families:
        if len(tokens) < n:
            continue
        keep = clear.get(n)
        if keep is None:
            keep = clear[n] = _window_sums(broken_before, n) == 0
        if tokens is spoken:  # a pinyin n-gram holds at least one Chinese character
            keep = keep & (_window_sums(han_before, n) > 0)
        where = keep.nonzero()[0]
        wheres.append(where)
        hashes.append(_hashes(tokens, n, seed).take(where))
        sizes.append(n)
        counts.append(len(where))
    if not wheres:
        empty = np.zeros(0, dtype=np.int64)
        return Features(empty, empty, empty, empty, meaningful)
    position = np.concatenate(wheres)
    doc = doc_of.take(position)
    start = position - offsets.take(doc)
    size = np.repeat(np.array(sizes, dtype=np.int64), counts)
    bucket = (np.concatenate(hashes) >> np.uint64(64 - spec.bits)).astype(np.int64)
    return Features(doc, start, size, bucket, meaningful)


def with_settings(features: Features, settings: Sequence[str] | None, bits: int) -> Features:
    """The text features followed by the setting's (none without ``settings``)."""
    if settings is None:
        return features
    setting_doc, setting_bucket = _setting_features(settings, features.scored, bits)
    return Features(
        np.concatenate((features.doc, setting_doc)),
        np.concatenate((features.start, np.full(len(setting_doc), -1))),
        np.concatenate((features.size, np.zeros(len(setting_doc), dtype=np.int64))),
        np.concatenate((features.bucket, setting_bucket)),
        features.meaningful,
    )


def _setting_features(settings: Sequence[str], scored: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The setting features of the scored texts, group by group. A batch holds a handful of distinct settings:
    each one's buckets are hashed once (``grams.setting_buckets``) and looked up per text."""
    width = len(settings[0]) if settings else 0
    groups = sum(1 for group in SETTING_GROUPS if max(group) < width)
    if not groups:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows = np.array([setting_buckets(setting, bits) for setting in settings], dtype=np.int64).reshape(-1, groups)
    chosen = scored.nonzero()[0]
    # the texts' numbers once per group (np.tile's, in two array calls rather than its dozen)
    return (np.zeros((groups, 1), dtype=chosen.dtype) + chosen).ravel(), rows.take(chosen, axis=0).T.ravel()
