"""What runs inside Spark's executors: parse a run of raw records and check it with the same ``Checker``.

Input rows (file, line, value) are one raw record each — a line of JSONL or WeCom records, a Parquet row as a
JSON line — or, for CSV, a whole file. Output rows (``OUTPUT_SCHEMA``) are findings, bad rows and one row of
counts per batch, so that a single pass feeds the report, ``_bad/`` and the exit code. The checker's context
(calendar, window, people register) arrives as JSON text (``detectors.context.to_plain``), read on the driver
and broadcast, so a large register goes to each executor once rather than with every task.
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import orjson
import pyarrow as pa
from pyspark import Broadcast

from qingfeng.core.models import DEFAULT_ZONE, Message, message_card
from qingfeng.detectors.context import fallback_years, from_plain
from qingfeng.ingest.archive import read_lines
from qingfeng.ingest.chatcsv import read_chat_bytes
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.stats import ScanStats

OUTPUT_SCHEMA = (
    "kind string, file string, line long, message_id string, rule string, category string, severity string, "
    "fingerprint string, lead boolean, date string, record string"
)
_GZIP_MAGIC = b"\x1f\x8b"


@cache
def checker(lang: str, context: str) -> Checker:
    """One checker (rulebook, automaton, models) per Python worker and context, built on its first batch and
    reused by every later batch and task the worker runs (Spark reuses its Python workers)."""
    return Checker(lang=lang, context=from_plain(orjson.loads(context)))


def check_batches(batches: Iterator[pa.RecordBatch], input_format: str, lang: str,
                  columns: dict[str, str] | None, context: Broadcast[str]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``'s function: every finding, bad row and the batch's counts."""
    for batch in batches:
        stats = ScanStats()
        rows: list[dict[str, Any]] = []
        checking = checker(lang, context.value)
        for path, records in _records(batch, input_format, columns, stats.skipped):
            rows.extend(_checked(records, checking, stats, path))
        # The years this worker's calendar judged Monday–Friday, for the driver to say once.
        counts = _counts(stats) | {"fallback_years": fallback_years(checking.context)}
        rows.append({"kind": "counts", "record": orjson.dumps(counts).decode()})
        yield pa.RecordBatch.from_pylist(rows, schema=_OUTPUT)


def _records(batch: pa.RecordBatch, input_format: str, columns: dict[str, str] | None, skipped: Counter[str]
             ) -> Iterator[tuple[str, Iterator[tuple[int, Message | InputProblem]]]]:
    files, lines, values = (batch.column(name).to_pylist() for name in ("file", "line", "value"))
    if input_format == "csv":  # a whole file per row: CSV rows may span lines
        for path, value in zip(files, values, strict=True):
            data = gzip.decompress(value) if value.startswith(_GZIP_MAGIC) else value
            yield path, _whole_file(read_chat_bytes(data, path, columns))
        return
    start = 0
    for end in range(1, len(files) + 1):  # runs of consecutive lines of one file, parsed as scan parses a chunk
        if end == len(files) or files[end] != files[start] or lines[end] != lines[end - 1] + 1:
            yield files[start], read_lines(input_format, values[start:end], files[start], lines[start], skipped)
            start = end


def _whole_file(records: Iterator[tuple[int, Message | InputProblem]]
                ) -> Iterator[tuple[int | None, Message | InputProblem]]:
    """A file that cannot be read at all (no text column …) is one bad row, not a failed job."""
    try:
        yield from records
    except InputError as error:
        yield error.problem.line, error.problem


def _checked(records: Iterator[tuple[int | None, Message | InputProblem]], checker: Checker, stats: ScanStats,
             path: str) -> Iterator[dict[str, Any]]:
    good: list[tuple[int | None, Message]] = []
    for line, item in records:
        if isinstance(item, InputProblem):
            stats.bad_lines += 1
            # key and params let the driver word it in the user's language
            bad = {"file": path, "line": line, "field": item.field, "reason": item.reason, "problem": str(item),
                   "key": item.key, "params": item.params}
            yield {"kind": "bad", "file": path, "line": line, "record": orjson.dumps(bad, default=str).decode()}
        else:
            good.append((line, item))
    for (line, message), findings in zip(good, checker.check_batch([m for _, m in good]), strict=True):
        stats.add(findings)
        card = message_card(findings)
        day = message.time.astimezone(DEFAULT_ZONE).date().isoformat() if message.time else None
        for finding in findings:
            lead = card is not None and finding is card.lead
            record = finding.to_dict() | {"file": path, "line": line, "lead": lead}
            yield {"kind": "finding", "file": path, "line": line, "message_id": finding.message_id,
                   "rule": finding.rule, "category": finding.category, "severity": finding.severity,
                   "fingerprint": finding.fingerprint, "lead": lead, "date": day,
                   "record": orjson.dumps(record).decode()}


def _counts(stats: ScanStats) -> dict[str, Any]:
    return {"messages": stats.messages, "flagged": stats.flagged, "attention": stats.attention,
            "bad_lines": stats.bad_lines, "skipped": dict(stats.skipped),
            "by": [[c, s, n] for (c, s), n in stats.by_category_severity.items()]}


_OUTPUT = pa.schema([
    ("kind", pa.string()), ("file", pa.string()), ("line", pa.int64()), ("message_id", pa.string()),
    ("rule", pa.string()), ("category", pa.string()), ("severity", pa.string()), ("fingerprint", pa.string()),
    ("lead", pa.bool_()), ("date", pa.string()), ("record", pa.string()),
])
