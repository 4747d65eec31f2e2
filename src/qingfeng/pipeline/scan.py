"""Archive scanning: read records as a stream, check them in chunks (in worker processes for large files),
hand results to a report in the order of the file."""

from __future__ import annotations

import ctypes
import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import islice
from multiprocessing import get_context
from typing import Any, BinaryIO, TypeVar

import orjson

from qingfeng.core.models import Finding, Message, message_card
from qingfeng.ingest.archive import LINE_FORMATS, Archive, gzip_errors, read_lines, read_records
from qingfeng.ingest.errors import InputProblem
from qingfeng.media.layout import Reading
from qingfeng.media.scan import Pictures, Shown
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.stats import ScanStats

BATCH = 1024
CHUNK = 4096  # records of a table (CSV, .xlsx) per unit of work
BLOCK = 1 << 18  # bytes of a line format per unit of work (about 1,000 records: a batch), cut after a newline

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Checked:
    line: int
    message: Message
    findings: list[Finding]
    picture: Shown | None = None  # a picture message's thumbnail (scans with --media)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Work for one process: whole lines of a line format (split and parsed where they are checked), or
    parsed records."""

    format: str
    path: str
    first_line: int
    block: bytes | None = None
    records: list[tuple[int, Message | InputProblem]] | None = None
    pictures: Pictures | None = None


def scan_records(
    records: Iterable[tuple[int, Message | InputProblem]], checker: Checker, stats: ScanStats
) -> Iterator[Checked]:
    """Check messages in batches; problems are counted in ``stats`` and skipped."""
    iterator = iter(records)
    while chunk := list(islice(iterator, BATCH)):
        batch: list[tuple[int, Message]] = []
        for line, item in chunk:
            if isinstance(item, InputProblem):
                stats.add_problem(item)
            else:
                batch.append((line, item))
        if not batch:
            continue
        for (line, message), findings in zip(batch, checker.check_batch([m for _, m in batch]), strict=True):
            stats.add(findings)
            yield Checked(line, message, findings)


def finding_records(checked: Checked) -> list[dict[str, Any]]:
    """One record per rule, each saying whether it leads its message's card."""
    card = message_card(checked.findings)
    return [f.to_dict() | {"line": checked.line, "lead": card is not None and f is card.lead} for f in checked.findings]


def jsonl(kept: list[Checked]) -> bytes:
    """The finding records of checked messages as JSON lines."""
    records = (record for checked in kept for record in finding_records(checked))
    return b"".join(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE) for record in records)


def scan_archive(
    archive: Archive,
    checker: Checker,
    stats: ScanStats,
    *,
    jobs: int = 1,
    columns: Mapping[str, str] | None = None,
    pictures: Pictures | None = None,
) -> Iterator[Checked]:
    """The messages with findings (and the recalled ones), in file order, whatever the number of processes."""
    for kept in scan_parts(archive, checker, stats, list, jobs=jobs, columns=columns, pictures=pictures):
        yield from kept


def scan_parts(
    archive: Archive,
    checker: Checker,
    stats: ScanStats,
    emit: Callable[[list[Checked]], T],
    *,
    jobs: int = 1,
    columns: Mapping[str, str] | None = None,
    pictures: Pictures | None = None,
) -> Iterator[T]:
    """``emit`` of each part's kept messages (those with findings, and the recalled ones), in file order.

    ``emit`` runs where the part was checked, so with ``jobs`` > 1 what it returns (a report's bytes, say) is
    all that comes back from a worker process. ``jobs`` processes check: this one and ``jobs`` - 1 forked ones.
    A bounded number of parts is in flight, so memory stays flat however large the archive. With
    ``pictures``, image records are read by OCR.
    """
    chunks = _chunks(archive, columns, pictures)
    first = next(chunks, None)
    if first is None:
        return
    # The first part loads what the checker loads lazily (automaton, models, Hyperscan database); settled
    # before forking, it is shared copy-on-write by the workers instead of loaded by each.
    done = _part(checker, emit, first)
    _settle()
    if jobs <= 1:
        yield _merged(stats, done)
        for chunk in chunks:
            yield _merged(stats, _part(checker, emit, chunk))
        return
    context = get_context("fork")
    with ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_adopt, initargs=(checker, emit)) as pool:
        yield _merged(stats, done)
        for result in _spread(pool, jobs - 1, chunks, checker, emit):
            yield _merged(stats, result)


def _spread(
    pool: ProcessPoolExecutor, workers: int, chunks: Iterator[_Chunk], checker: Checker,
    emit: Callable[[list[Checked]], T],
) -> Iterator[tuple[ScanStats, T]]:
    """The parts' results in file order. A part goes to the workers while fewer than two per worker wait
    there, else this process checks it; at most ``2 × (workers + 1)`` parts are held at once."""
    pending: deque[Future[tuple[ScanStats, T]]] = deque()
    for chunk in chunks:
        if sum(not future.done() for future in pending) >= 2 * workers:
            here: Future[tuple[ScanStats, T]] = Future()
            here.set_result(_part(checker, emit, chunk))
            pending.append(here)
        else:
            pending.append(pool.submit(_work, chunk))
        while pending and (pending[0].done() or len(pending) > 2 * (workers + 1)):
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _settle() -> None:
    """What is loaded now lasts as long as the checker: the garbage of loading it is collected and its free heap
    given back; the rest is frozen (as the CLI freezes its modules), so that no garbage collection visits it
    again (a worker's would write to, and so copy, its pages)."""
    gc.collect()
    gc.freeze()
    _give_back()


def _give_back() -> None:
    """Free heap back to the system. A part's arrays and blocks, once freed, would otherwise stay resident in
    every process (~40 MB each); glibc's malloc_trim returns them (elsewhere nothing is done)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _chunks(archive: Archive, columns: Mapping[str, str] | None, pictures: Pictures | None) -> Iterator[_Chunk]:
    path = str(archive.path)
    if archive.format in LINE_FORMATS:
        with gzip_errors(path, archive.encoding):
            for first, block in _blocks(archive.stream):
                yield _Chunk(archive.format, path, first, block=block, pictures=pictures)
        return
    records = read_records(archive, columns)
    while batch := list(islice(records, CHUNK)):
        yield _Chunk(archive.format, path, batch[0][0], records=batch, pictures=pictures)


def _blocks(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(number of its first line, whole lines) of about ``BLOCK`` bytes each: one read and one count of its
    newlines here, where iterating its lines and pickling each would cost more than parsing them."""
    first = 1
    while block := stream.read(BLOCK):
        if not block.endswith(b"\n"):
            block += stream.readline()
        yield first, block
        first += block.count(b"\n")


def _lines(block: bytes) -> list[bytes]:
    """The lines of a block, split on newlines only, as a file's lines are read."""
    lines = block.split(b"\n")
    if not lines[-1]:
        lines.pop()
    return lines


def _check_chunk(checker: Checker, chunk: _Chunk) -> tuple[ScanStats, list[Checked]]:
    stats = ScanStats()
    if chunk.block is not None:
        records = read_lines(chunk.format, _lines(chunk.block), chunk.path, chunk.first_line, stats.skipped)
    else:
        records = iter(chunk.records or ())
    if chunk.pictures is None:
        checked = scan_records(records, checker, stats)
        return stats, [item for item in checked if item.findings or item.message.recalled]
    readings: dict[int, tuple[Reading, int]] = {}
    checked = scan_records(chunk.pictures.read(records, chunk.path, readings), checker, stats)
    kept = []
    for item in checked:
        if item.findings and item.line in readings:
            findings, shown = chunk.pictures.place(item.message, item.findings, readings[item.line])
            item = Checked(item.line, item.message, findings, shown)
        if item.findings or item.message.recalled:
            kept.append(item)
    return stats, kept


def _part(checker: Checker, emit: Callable[[list[Checked]], T], chunk: _Chunk) -> tuple[ScanStats, T]:
    stats, kept = _check_chunk(checker, chunk)
    result = stats, emit(kept)
    _give_back()
    return result


def _merged(stats: ScanStats, result: tuple[ScanStats, T]) -> T:
    stats.merge(result[0])
    return result[1]


_worker: tuple[Checker, Callable[[list[Checked]], Any]] | None = None


def _adopt(checker: Checker, emit: Callable[[list[Checked]], Any]) -> None:
    global _worker
    _worker = checker, emit


def _work(chunk: _Chunk) -> tuple[ScanStats, Any]:
    assert _worker is not None, "worker started without a checker"
    return _part(*_worker, chunk)
