"""Archive scanning: read records as a stream, check them in batches, hand results to a report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from qingfeng.engine import Checker
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.jsonl import read_message_lines
from qingfeng.models import Finding, Message
from qingfeng.report.stats import ScanStats

BATCH = 1024


@dataclass(frozen=True, slots=True)
class Checked:
    line: int
    message: Message
    findings: list[Finding]


def open_archive(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as error:
        raise InputError(InputProblem(str(path), None, None, error.strerror or "cannot open")) from None


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


def scan_file(path: Path, checker: Checker, stats: ScanStats, stream: BinaryIO) -> Iterator[Checked]:
    yield from scan_records(read_message_lines(stream, str(path)), checker, stats)
