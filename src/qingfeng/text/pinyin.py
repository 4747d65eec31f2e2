"""Pinyin spellings of a vocabulary term, for messages written wholly in pinyin ("ni ta ma de", "du bo wang zhan").

A term's toneless pinyin (pypinyin's reading in context, so 长城 is "chang cheng") is matched in two forms:
syllables apart and run together. Short spellings collide with ordinary Latin text and with each other
(two syllables: "ma de", "shi bu"), so only terms of three or more syllables get them, and two-syllable terms
only where the rulebook names them as strong evidence on their own (``@common.pinyin_pairs``).

Evaders also write one character of a word in pinyin, whole or by its initial (抑y症, 艾z病, 内bu消息, 公wu员):
a term of three or more characters is matched with any one inner character so written. Only inner ones: the
rest of the word around the letters keeps the match to the word, where a letter at its edge would run into a
Latin word beside it ("ok发票").
"""

from __future__ import annotations

import re
from functools import cache

from pypinyin import Style, lazy_pinyin

MIN_SYLLABLES = 3
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
    inner = range(1, len(term) - 1) if not pair else range(0)
    mixed = [f"{term[:i]}{letters}{term[i + 1:]}"
             for i in inner for letters in dict.fromkeys((syllables[i], syllables[i][0]))]
    return (" ".join(syllables), "".join(syllables), *mixed)


__all__ = ["MIN_SYLLABLES", "spellings"]
