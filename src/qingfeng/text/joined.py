"""One regex search over a whole batch of texts joined by NUL, instead of one search per text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

JOIN = "\x00"


class Joined:
    """A batch of texts joined by NUL once, to be searched with as many patterns as needed."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = JOIN.join(texts)
        self._starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))

    def matching(self, pattern: re.Pattern[str]) -> list[int]:
        """The numbers of the texts in which ``pattern`` matches, in order. The pattern must never match NUL or
        the empty string (``detectors.prefilter.batch_safe``), so that no match spans two texts. Once a
        text matched, the search goes on from the next text: one match a text is enough."""
        text, starts, found = self.text, self._starts, []
        match = pattern.search(text)
        while match is not None:
            number = bisect_right(starts, match.start()) - 1
            found.append(number)
            if number + 1 == len(starts):
                break
            match = pattern.search(text, starts[number + 1])
        return found


def texts_matching(pattern: re.Pattern[str], texts: Sequence[str]) -> list[int]:
    """``Joined(texts).matching(pattern)``, for a single pattern."""
    return Joined(texts).matching(pattern)
