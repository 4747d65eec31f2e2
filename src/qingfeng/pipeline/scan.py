"""Archive scanning: read records as a stream, check them in chunks (in worker processes for large files),
hand results to a report in the order of the file."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import BinaryIO

from qingfeng.core.models import Finding, Message
from qingfeng.ingest.archive import LINE_FORMATS, Archive, gzip_errors, read_lines, read_records
from qingfeng.ingest.errors import InputProblem
from qingfeng.media.layout import Reading
from qingfeng.media.scan import Pictures, Shown
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.stats import ScanStats

BATCH = 1024
CHUNK = 4096  # records of a table (CSV, .xlsx) per unit of work
BLOCK = 1 << 20  # bytes of a line format per unit of work (about 4,000 records), cut after a newline


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


def scan_archive(
    archive: Archive,
    checker: Checker,
    stats: ScanStats,
    *,
    jobs: int = 1,
    columns: Mapping[str, str] | None = None,
    pictures: Pictures | None = None,
) -> Iterator[Checked]:
    """The messages with findings (and the recalled ones), in file order, whatever the number of processes.

    With ``jobs`` > 1, chunks go to a pool of processes; at most two chunks per process are in flight,
    so memory stays flat however large the archive. With ``pictures``, image records are read by OCR.
    """
    chunks = _chunks(archive, columns, pictures)
    if jobs <= 1:
        for chunk in chunks:
            yield from _merge(stats, _check_chunk(checker, chunk))
        return
    # fork: the workers inherit the built checker (its automaton and models) instead of rebuilding it.
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_adopt, initargs=(checker,)) as pool:
        pending: deque[Future[tuple[ScanStats, list[Checked]]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= 2 * jobs:
                yield from _merge(stats, pending.popleft().result())
        while pending:
            yield from _merge(stats, pending.popleft().result())


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


def _merge(stats: ScanStats, result: tuple[ScanStats, list[Checked]]) -> list[Checked]:
    stats.merge(result[0])
    return result[1]


_worker_checker: Checker | None = None


def _adopt(checker: Checker) -> None:
    global _worker_checker
    _worker_checker = checker


def _work(chunk: _Chunk) -> tuple[ScanStats, list[Checked]]:
    assert _worker_checker is not None, "worker started without a checker"
    return _check_chunk(_worker_checker, chunk)
