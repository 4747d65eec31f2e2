"""Gates: the regexes some detectors need in a text, searched once per batch over the texts joined by NUL.

With Hyperscan installed (``pip install 'qingfeng[fast]'``) every gate it can read exactly is compiled into one
database and the batch is scanned once for all of them, about fifty times faster than one ``re`` search per
gate (bench/matchers.py); a gate Hyperscan cannot read (or every gate, without it) is searched with ``re``.
Either way a text passes a gate when the gate matches inside it: gates are ``prefilter.batch_safe`` (no
anchors, look-arounds, NUL or empty match), so a match never spans two texts.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from qingfeng.text.joined import JOIN, texts_matching

try:
    import hyperscan
except ImportError:  # optional: the re path gives the same answers
    hyperscan = None

# Escapes whose meaning could differ between Python's Unicode tables and Hyperscan's (\d, \w, \s, \b…): a
# gate holding one stays with re. Classes spelled out and escaped punctuation read the same in both.
_CLASS_ESCAPE = re.compile(r"\\[A-Za-z]")


def _exact_in_hyperscan(pattern: re.Pattern[str]) -> bool:
    return not _CLASS_ESCAPE.search(pattern.pattern) and not pattern.flags & ~re.UNICODE


class Gates:
    """Per text of a batch, an int whose bit n is set when gate n matches in it."""

    def __init__(self, patterns: list[re.Pattern[str]], use_hyperscan: bool = True) -> None:
        self.patterns = patterns
        self._database = None
        self._local = threading.local()  # Hyperscan's scratch space serves one scan at a time: one per thread
        self._by_re = list(range(len(patterns)))
        # (bits past 62 would overflow the int64 bit sets of _scan)
        candidates = [n for n, pattern in enumerate(patterns) if n < 62 and _exact_in_hyperscan(pattern)]
        if use_hyperscan and hyperscan is not None and candidates:
            database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            try:
                database.compile(expressions=[patterns[n].pattern.encode() for n in candidates], ids=candidates,
                                 flags=[hyperscan.HS_FLAG_UTF8] * len(candidates))
            except hyperscan.error:
                pass  # a construct it does not support: all of them through re
            else:
                self._database = database
                self._by_re = [n for n in self._by_re if n not in candidates]

    def passed(self, texts: list[str]) -> list[int]:
        passed = [0] * len(texts)
        if not self.patterns or not texts:
            return passed
        for number in self._by_re:
            for text in texts_matching(self.patterns[number], texts):
                passed[text] |= 1 << number
        if self._database is not None:
            self._scan(JOIN.join(texts), passed)
        return passed

    def _scan(self, joined: str, passed: list[int]) -> None:
        data = joined.encode()
        found: list[tuple[int, int]] = []

        def seen(gate: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found.append((gate, end))

        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        self._database.scan(data, match_event_handler=seen, scratch=scratch)
        if not found:
            return
        # Byte offsets where each text starts; a match belongs to the text holding its last byte.
        starts = np.concatenate(([0], np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0) + 1))
        gates, ends = np.array(found, dtype=np.int64).T
        bits = np.zeros(len(passed), dtype=np.int64)
        np.bitwise_or.at(bits, np.searchsorted(starts, ends - 1, side="right") - 1, np.left_shift(1, gates))
        for text in np.flatnonzero(bits).tolist():
            passed[text] |= int(bits[text])
