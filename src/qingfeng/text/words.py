"""Word boundaries: whether a short term found in a text is a word there, or a piece of other words.

The term pass finds a term wherever its characters stand, so 开房 is found in 放开房价, 下注 in 如下注释, 粉
in 米粉 and 冰 in 冰糖心. Chinese has no spaces; the segmenter (jieba's dictionary through ``rjieba``, its
Rust port, without the HMM guesser, so that every word it gives is a dictionary word) says where the words are:

- a single character inside a longer dictionary word is a piece of that word (粉 in 米粉, 骚 in 骚扰), unless
  the rulebook names it as a character that keeps its sense inside words (``@context.bound_chars``: 嫖 in 嫖娼);
- a term that is itself a word, of two to four characters, is a piece of other words when the text reads far
  likelier with a word across one of its edges than with the term as a word (下注 in 如下|注释, 试题 in
  考试|题目, 大烟 in 大|烟囱). "Far": by a factor of e**9 (``READS_BETTER``), the smallest at which no
  labelled violation in our sets is lost; a smaller factor also takes 密级 out of 秘密级 and 新号 out of
  新号码. Terms that are phrases (你这个废, 请转) are no words and are never judged: their edges fall inside
  words by design.

Only Chinese characters are judged; the segmenter loads (about 0.1 s) when the first hit is judged.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import cache, lru_cache
from typing import Any

READS_BETTER = 9.0  # natural log of the factor by which the text must read likelier across the term's edge
MAX_TERM = 4
_HAN = re.compile(r"[\u3400-\u9fff]+")
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")
_TOTAL = 60_101_967  # the sum of the frequencies of jieba's dictionary, which its probabilities divide by


@cache
def _segmenter() -> Any:
    import rjieba  # a wheel with jieba's dictionary compiled in; imported only when a hit is judged

    return rjieba


class Words:
    """A text cut into dictionary words (offsets into the text), cut once and asked many times."""

    __slots__ = ("ends", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        tokens = _segmenter().tokenize(text, hmm=False)
        self.text = text
        self.words = [word for word, _, _ in tokens]
        self.starts = [start for _, start, _ in tokens]
        self.ends = [end for _, _, end in tokens]

    def _at(self, offset: int) -> int:
        """The index of the word holding the character at ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def piece_of_words(self, start: int, end: int, bound: frozenset[str] = frozenset()) -> bool:
        """Whether text[start:end] is a piece of other words here rather than a word of its own."""
        term = self.text[start:end]
        if not _HAN.fullmatch(term):
            return False
        if _NUMERALS.issuperset(term) and self._in_number(start, end):
            return True  # 二百五 in 第一千二百五十四条, 二百五十块: a piece of a longer number
        first, last = self._at(start), self._at(end - 1)
        if self.starts[first] == start and self.ends[last] == end:
            return False  # its edges are word edges
        if len(term) == 1:
            return len(self.words[first]) > 1 and term not in bound
        if len(term) > MAX_TERM or not _segmenter().has_word(term):
            return False
        around = self.text[self.starts[first]:self.ends[last]]
        at, to = start - self.starts[first], end - self.starts[first]
        # inside one word: how that word divides (without reading it whole); across words: the words around
        whole = first != last
        best = _best(around, (), whole)
        return best - _best(around, (at, to), whole) >= READS_BETTER

    def whole(self, start: int, end: int) -> tuple[int, int]:
        """The span of the words that text[start:end] touches, so that a piece cut out of words reads whole
        (势明 in 趋势明显). Where that widened it, a word of one character at either edge is left out while two
        characters or more remain (的穴 in 的穴位 reads 穴位)."""
        first, last = self._at(start), self._at(end - 1)
        if (self.starts[first], self.ends[last]) != (start, end):
            while first < last and self.ends[first] - self.starts[first] == 1 and \
                    self.ends[last] - self.starts[first + 1] >= 2:
                first += 1
            while last > first and self.ends[last] - self.starts[last] == 1 and \
                    self.ends[last - 1] - self.starts[first] >= 2:
                last -= 1
        return self.starts[first], self.ends[last]

    def _in_number(self, start: int, end: int) -> bool:
        text = self.text
        return (start > 0 and text[start - 1] in _NUMERALS) or (end < len(text) and text[end] in _NUMERALS)


def log_frequency(piece: str) -> float:
    """The dictionary's log probability of a piece (a word or one character); -inf for neither."""
    found = _log_frequency(piece)
    return -math.inf if found is None else found


def dictionary_word(piece: str) -> bool:
    """Whether jieba's dictionary holds ``piece`` as a word (T恤, B超, A股: with letters as it writes them)."""
    return bool(_segmenter().has_word(piece))


# Bounded: a long scan meets ever new texts around its hits, and memory must stay flat.
@lru_cache(maxsize=1 << 16)
def _log_frequency(piece: str) -> float | None:
    """The dictionary's log probability of a piece: a word or a single character; None for neither."""
    segmenter = _segmenter()
    if len(piece) > 1 and not segmenter.has_word(piece):
        return None
    return math.log(segmenter.suggest_freq(piece) / _TOTAL)


@lru_cache(maxsize=1 << 14)
def _best(text: str, edges: tuple[int, ...], whole: bool) -> float:
    """The log probability of the likeliest division of ``text`` into dictionary words with a word edge at each
    of ``edges``; unless ``whole``, the text itself is not one of the words."""
    lowest = -math.inf
    score = [0.0] + [lowest] * len(text)
    for stop in range(1, len(text) + 1):
        for begin in range(stop):
            if score[begin] == lowest or (not whole and begin == 0 and stop == len(text)):
                continue
            if any(begin < edge < stop for edge in edges):
                continue
            logp = _log_frequency(text[begin:stop])
            if logp is not None and score[begin] + logp > score[stop]:
                score[stop] = score[begin] + logp
    return score[-1]


def tagged(text: str) -> list[tuple[str, str]]:
    """The dictionary words of a text with their parts of speech (jieba's tags: n noun, v verb, r pronoun…)."""
    return _segmenter().tag(text, hmm=False)


def words_of(doc_cache: dict[Any, Any], text: str) -> Words:
    """The text's words, cut once per message (kept in the message's cache)."""
    words = doc_cache.get("words")
    if words is None:
        words = doc_cache["words"] = Words(text)
    return words


__all__ = ["MAX_TERM", "READS_BETTER", "Words", "tagged", "words_of"]
