"""Multi-pattern matching candidates on our own terms and texts: which is fastest for the engine's term pass?

    python bench/matchers.py                    # 20,000 synthetic messages (30 % problems), seed 0
    python bench/matchers.py --messages 50000 --repeat 5

Needs the candidates installed: ``pip install pyahocorasick hyperscan`` (ahocorasick-rs is a dependency).
Texts are normalised first, as the engine sees them; terms are the engine's (``Checker().terms``). Each
candidate must report the same (message, term, start) occurrences as pyahocorasick, and is timed twice:

- bare: every overlapping occurrence found and handed to Python (the automaton pass alone);
- engine: that, plus grouping into the per-message ``{term: [starts]}`` that the detectors read.

The regex gates (``Checker._gates``) are timed with Python's ``re`` over the joined batch against one
Hyperscan database of all of them. Prints best-of-``--repeat`` CPU seconds and messages per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from bisect import bisect_right
from collections.abc import Callable

from qingfeng import Checker, Message
from qingfeng.samples.synth import Generator
from qingfeng.text.normalize import normalize_many

try:
    import ahocorasick
except ImportError:
    ahocorasick = None
try:
    import ahocorasick_rs
except ImportError:
    ahocorasick_rs = None
try:
    import hyperscan
except ImportError:
    hyperscan = None

BATCH = 1000
Found = list[list[tuple[str, int]]]


def _timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = run()
        best = min(best, time.process_time() - started)
    return best, result


def _batches(texts: list[str]) -> list[list[str]]:
    return [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]


def pyahocorasick(terms: list[str], batches: list[list[str]]) -> dict[str, Callable[[], Found]]:
    if ahocorasick is None:
        return {}
    automaton = ahocorasick.Automaton()
    for term in terms:
        automaton.add_word(term, (term, len(term) - 1))
    automaton.make_automaton()

    def bare() -> Found:
        return [[(term, end - size) for end, (term, size) in automaton.iter(text)] for batch in batches
                for text in batch]

    def engine() -> Found:
        out = []
        for batch in batches:
            for text in batch:
                found: dict[str, list[int]] = {}
                for end, (term, size) in automaton.iter(text):
                    starts = found.get(term)
                    if starts is None:
                        found[term] = [end - size]
                    else:
                        starts.append(end - size)
                out.append([(term, start) for term, starts in found.items() for start in starts])
        return out

    return {"pyahocorasick iter per text": bare, "pyahocorasick, grouped per message": engine}


def rust(terms: list[str], batches: list[list[str]]) -> dict[str, Callable[[], Found]]:
    if ahocorasick_rs is None:
        return {}
    automaton = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)

    def bare() -> Found:
        find = automaton.find_matches_as_indexes
        return [[(terms[index], start) for index, start, _ in find(text, overlapping=True)] for batch in batches
                for text in batch]

    def engine() -> Found:
        find, out = automaton.find_matches_as_indexes, []
        for batch in batches:
            for text in batch:
                found: dict[str, list[int]] = {}
                for index, start, _ in find(text, overlapping=True):
                    term = terms[index]
                    starts = found.get(term)
                    if starts is None:
                        found[term] = [start]
                    else:
                        starts.append(start)
                out.append([(term, start) for term, starts in found.items() for start in starts])
        return out

    return {"ahocorasick-rs per text": bare, "ahocorasick-rs, grouped per message": engine}


def hyperscan_terms(terms: list[str], batches: list[list[str]]) -> dict[str, Callable[[], Found]]:
    """One Hyperscan literal database over each batch joined; byte offsets mapped back to characters."""
    if hyperscan is None:
        return {}
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    encoded = [term.encode() for term in terms]
    database.compile(expressions=encoded, ids=list(range(len(terms))),
                     flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(terms), literal=True)

    def bare() -> Found:
        out: Found = []
        for batch in batches:
            data = "\x00".join(batch).encode()
            hits: list[tuple[int, int]] = []

            def seen(index: int, start: int, _end: int, _flags: int, found: list[tuple[int, int]]) -> None:
                found.append((index, start))

            database.scan(data, match_event_handler=seen, context=hits)
            # Byte offsets → (message, character offset): decode the prefix lengths once per batch.
            per: list[list[tuple[str, int]]] = [[] for _ in batch]
            bounds, position = [], 0
            for text in batch:
                bounds.append(position)
                position += len(text.encode()) + 1
            for index, start in hits:
                number = bisect_right(bounds, start) - 1
                char = len(data[bounds[number] : start].decode())
                per[number].append((terms[index], char))
            out += per
        return out

    return {"hyperscan literals, joined batch": bare}


def _same(reference: Found, other: Found) -> bool:
    return [sorted(found) for found in reference] == [sorted(found) for found in other]


def gates(checker: Checker, batches: list[list[str]], repeat: int) -> list[tuple[str, float]]:
    joined = ["\x00".join(batch) for batch in batches]

    def python_re() -> int:
        return sum(1 for text in joined for gate in checker._gates for _ in gate.finditer(text))

    rows = [("gates: Python re, joined batch", _timed(python_re, repeat)[0])]
    if hyperscan is not None:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            database.compile(expressions=[gate.pattern.encode() for gate in checker._gates],
                             ids=list(range(len(checker._gates))), flags=[hyperscan.HS_FLAG_UTF8] * len(checker._gates))
        except hyperscan.error as error:
            print(f"hyperscan cannot compile the gates: {error}", file=sys.stderr)
        else:
            encoded = [text.encode() for text in joined]

            def hyper() -> int:
                count = 0

                def seen(*_: object) -> None:
                    nonlocal count
                    count += 1

                for data in encoded:
                    database.scan(data, match_event_handler=seen)
                return count

            rows.append(("gates: hyperscan, joined batch (UTF-8 encoded beforehand)", _timed(hyper, repeat)[0]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    generator = Generator(seed=0, problem_share=0.3)
    messages = [Message.model_validate(record) for record in generator.records(args.messages)]
    texts = [norm.text for norm in normalize_many([message.text for message in messages])]
    checker = Checker()
    terms = sorted(checker.terms)
    batches = _batches(texts)
    candidates = {**pyahocorasick(terms, batches), **rust(terms, batches), **hyperscan_terms(terms, batches)}
    reference = None
    rows: list[tuple[str, float]] = []
    for name, run in candidates.items():
        seconds, found = _timed(run, args.repeat)
        if reference is None:
            reference = found
        same = "" if _same(reference, found) else "  (DIFFERENT occurrences)"
        rows.append((name + same, seconds))
    rows += gates(checker, batches, args.repeat)
    print(f"{len(terms):,} terms, {len(texts):,} normalised messages, {sum(map(len, texts)):,} characters")
    width = max(len(name) for name, _ in rows)
    print(f"{'matcher':{width}}  {'CPU s':>7}  {'msg/s':>11}")
    for name, seconds in rows:
        print(f"{name:{width}}  {seconds:7.3f}  {len(texts) / seconds:11,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
