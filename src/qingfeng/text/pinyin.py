"""Pinyin spellings of a vocabulary term, for messages written wholly in pinyin ("ni ta ma de", "du bo wang zhan").

A term's toneless pinyin (pypinyin's reading in context, so 长城 is "chang cheng") is matched in two forms:
syllables apart and run together. Short spellings collide with ordinary Latin text and with each other
(two syllables: "ma de", "shi bu"), so only terms of three or more syllables get them, and two-syllable terms
only where the rulebook names them as strong evidence on their own (``@common.pinyin_pairs``).

Evaders also write one character of a word in pinyin, whole or by its initial (抑y症, 公wu员, 招dai理): a term
of three characters is matched with its middle character so written. Only the middle one: the characters
around the letters keep the match to the word, where a letter at its edge would run into a Latin word beside
it ("ok发票").
"""

from __future__ import annotations

import re
from functools import cache

from pypinyin import Style, lazy_pinyin

MIN_SYLLABLES = 3
# Only three-character terms get a middle character in pinyin: every longer term would double the automaton
# (18,000 terms → 35,000, +70 ms CPU at every start) for the few disguises seen in four-character words.
MIXED_LENGTH = 3
_HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")


@cache
def spellings(term: str, *, pair: bool = False) -> tuple[str, ...]:
    """The term in pinyin, syllables apart and run together; none for a term that is not all Chinese or is too
    short to be told apart from other words."""
    if not _HAN_ONLY.fullmatch(term) or len(term) < (2 if pair else MIN_SYLLABLES):
        return ()
    syllables = lazy_pinyin(term, style=Style.NORMAL, errors="ignore", v_to_u=False)
    if len(syllables) != len(term) or not all(syllable.isascii() and syllable.isalpha() for syllable in syllables):
        return ()
    whole = (" ".join(syllables), "".join(syllables))
    if len(term) != MIXED_LENGTH:
        return whole
    middle = syllables[1]
    return (*whole, *dict.fromkeys((f"{term[0]}{middle}{term[2]}", f"{term[0]}{middle[0]}{term[2]}")))


__all__ = ["MIN_SYLLABLES", "spellings"]
