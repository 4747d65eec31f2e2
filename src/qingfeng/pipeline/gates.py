"""Gates: the regexes some detectors need in a text, searched once per batch over the texts joined by NUL.

With Hyperscan installed (``pip install 'qingfeng[fast]'``) every gate it can read exactly is compiled into one
database and a batch is scanned once for all of them, about fifty times faster than one ``re`` search per
gate (bench/matchers.py); a gate Hyperscan cannot read (or every gate, without it) is searched with ``re``.
The database is compiled (and Hyperscan imported) at the first batch of ``BULK`` texts or more, so that a
single draft check never pays for it. Either way a text passes a gate when the gate matches inside it: gates
are ``prefilter.batch_safe`` (no anchors, look-arounds, NUL or empty match), so a match never spans two texts.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from typing import Any

from qingfeng.text.joined import Joined

BULK = 64  # texts in a batch from which the Hyperscan database is worth compiling (~50 ms, once)
HYPERSCAN = importlib.util.find_spec("hyperscan") is not None  # optional: the re path gives the same answers

# Escapes whose meaning could differ between Python's Unicode tables and Hyperscan's (\d, \w, \s, \b…): a
# gate holding one stays with re. Classes spelled out and escaped punctuation read the same in both.
_CLASS_ESCAPE = re.compile(r"\\[A-Za-z]")


def _exact_in_hyperscan(pattern: re.Pattern[str]) -> bool:
    return not _CLASS_ESCAPE.search(pattern.pattern) and not pattern.flags & ~re.UNICODE


class Gates:
    """Per text of a batch, an int whose bit n is set when gate n matches in it."""

    def __init__(self, patterns: list[re.Pattern[str]], use_hyperscan: bool = True) -> None:
        self.patterns = patterns
        self._every = list(range(len(patterns)))
        # (bits past 62 would overflow the int64 bit sets of _scan)
        self._candidates = [n for n, pattern in enumerate(patterns) if n < 62 and _exact_in_hyperscan(pattern)]
        self._wanted = use_hyperscan and HYPERSCAN and bool(self._candidates)
        self._database: Any = None
        self._by_re = self._every  # the gates re searches in a bulk batch
        self._compiling = threading.Lock()
        self._local = threading.local()  # Hyperscan's scratch space serves one scan at a time: one per thread

    def bulk(self, count: int) -> bool:
        """Whether a batch of ``count`` texts is worth searching whole (``passed``) rather than text by text,
        gate by gate, as its rules ask (``matching``)."""
        return count >= BULK

    def matching(self, text: str, wanted: int) -> int:
        """The gates among ``wanted`` (bit n: gate n) that match in ``text``."""
        passed = 0
        while wanted:
            bit = wanted & -wanted
            if self.patterns[bit.bit_length() - 1].search(text):
                passed |= bit
            wanted ^= bit
        return passed

    def passed(self, texts: list[str]) -> list[int]:
        passed = [0] * len(texts)
        if not self.patterns or not texts:
            return passed
        bulk = len(texts) >= BULK and self._hyperscan()
        joined = Joined(texts)
        for number in self._by_re if bulk else self._every:
            for text in joined.matching(self.patterns[number]):
                passed[text] |= 1 << number
        if bulk:
            self._scan(joined.text, passed)
        return passed

    def _hyperscan(self) -> bool:
        """Whether the Hyperscan database is there, compiling it the first time it is wanted."""
        if self._wanted and self._database is None:
            with self._compiling:
                if self._database is None:
                    self._compile()
        return self._database is not None

    def _compile(self) -> None:
        import hyperscan

        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            database.compile(expressions=[self.patterns[n].pattern.encode() for n in self._candidates],
                             ids=self._candidates, flags=[hyperscan.HS_FLAG_UTF8] * len(self._candidates))
        except hyperscan.error:
            self._wanted = False  # a construct it does not support: every gate through re
            return
        self._by_re = [n for n in self._every if n not in self._candidates]
        self._database = database

    def _scan(self, joined: str, passed: list[int]) -> None:
        data = joined.encode()
        found: list[tuple[int, int]] = []

        def seen(gate: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found.append((gate, end))

        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            import hyperscan

            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        self._database.scan(data, match_event_handler=seen, scratch=scratch)
        if not found:
            return
        import numpy as np  # bulk batches only: a draft's check does not load it

        # Byte offsets where each text starts; a match belongs to the text holding its last byte.
        starts = np.concatenate(([0], np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0) + 1))
        gates, ends = np.array(found, dtype=np.int64).T
        bits = np.zeros(len(passed), dtype=np.int64)
        np.bitwise_or.at(bits, np.searchsorted(starts, ends - 1, side="right") - 1, np.left_shift(1, gates))
        for text in np.flatnonzero(bits).tolist():
            passed[text] |= int(bits[text])
