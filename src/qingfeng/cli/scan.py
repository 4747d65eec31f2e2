"""`qingfeng scan`: a chat archive, streamed, in text, JSON lines, JSON or a self-contained HTML report."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from qingfeng.cli.common import (
    EncodingOption,
    HolidaysOption,
    Lang,
    LangOption,
    PeopleOption,
    WindowOption,
    atomic_output,
    context_options,
    err,
    fail,
    fail_input,
    make_checker,
    out,
    report_fallback,
)
from qingfeng.core.i18n import t
from qingfeng.core.models import message_card
from qingfeng.ingest.archive import open_archive
from qingfeng.ingest.chatcsv import parse_columns
from qingfeng.ingest.encoding import forced_encoding
from qingfeng.ingest.errors import InputError
from qingfeng.ingest.limits import Limits
from qingfeng.media.folder import MediaFolder
from qingfeng.media.scan import Pictures
from qingfeng.pipeline.scan import Checked, finding_records, jsonl, scan_archive, scan_parts
from qingfeng.pipeline.stats import ScanResult, ScanStats
from qingfeng.report.scan_html import ScanReport
from qingfeng.report.text import card_line, render_summary


class ScanFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"
    json = "json"
    html = "html"


def _progress(total: int) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


class InputFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    wecom = "wecom"


# Below this size one process is quicker than starting a pool.
PARALLEL_FROM_BYTES = 16 * 1024 * 1024


def _jobs(requested: int, size: int, pictures: bool = False) -> int:
    if requested > 0:
        return requested
    # Pictures cost about a second each: worth a pool whatever the file's size.
    return min(os.cpu_count() or 1, 4) if size >= PARALLEL_FROM_BYTES or pictures else 1


def scan(
    file: Annotated[
        Path, typer.Argument(help="聊天记录文件：消息记录 JSONL、CSV、Excel（.xlsx）或企业微信存档记录，可为 gzip 压缩")
    ],
    format_: Annotated[ScanFormat, typer.Option("--format", help="text | jsonl | json | html")] = ScanFormat.text,
    out_path: Annotated[Path | None, typer.Option("--out", help="写入文件（默认标准输出）")] = None,
    input_format: Annotated[
        InputFormat | None, typer.Option("--input-format", help="jsonl | csv | wecom（默认自动识别）")
    ] = None,
    columns: Annotated[
        str | None, typer.Option("--columns", help="CSV 列名对应，例如 time=发送时间,text=内容,room_name=群名称")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="进程数（默认：大文件用全部核心）", min=0)] = 0,
    media: Annotated[
        Path | None, typer.Option("--media", help="图片文件夹：识别图片消息中的文字（记录的 media 字段）")
    ] = None,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="不识别图片 / skip pictures")] = False,
    holidays: HolidaysOption = None,
    window: WindowOption = None,
    people: PeopleOption = None,
    max_decompressed_mb: Annotated[
        int, typer.Option(help="解压后大小上限（MB）/ bound on the decompressed size", min=1)
    ] = Limits.decompressed_bytes >> 20,
    max_line_kb: Annotated[int, typer.Option(help="单行长度上限（KB）/ bound on one line", min=1)] = (
        Limits.line_bytes >> 10
    ),
    max_rows: Annotated[int, typer.Option(help="行数上限 / bound on the lines", min=1)] = Limits.rows,
    encoding: EncodingOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """扫描聊天记录 / scan a chat archive."""
    limits = Limits(decompressed_bytes=max_decompressed_mb << 20, line_bytes=max_line_kb << 10, rows=max_rows)
    if media is not None and not media.is_dir():
        raise fail(f"{media}: {t('image.no_folder', lang.value)}")
    pictures = Pictures(MediaFolder(media), lang.value) if media is not None and not no_ocr else None
    try:
        mapping = parse_columns(columns)
    except ValueError as error:
        raise fail(str(error)) from None
    try:
        with forced_encoding(encoding):
            _scan(file, format_, out_path, input_format, mapping, jobs, (holidays, window, people), limits,
                  pictures, lang.value)
    except InputError as error:
        raise fail_input(error, lang.value) from None


def _scan(file: Path, format_: ScanFormat, out_path: Path | None, input_format: InputFormat | None,
          mapping: dict[str, str], jobs: int, detectors: tuple[Path | None, str | None, Path | None],
          limits: Limits, pictures: Pictures | None, lang: str) -> None:
    context = context_options(lang, *detectors)
    checker = make_checker(lang, context)
    stats = ScanStats()
    archive = open_archive(file, input_format.value if input_format else None, limits)
    size = file.stat().st_size
    report = ScanReport(checker.rulebook, lang) if format_ is ScanFormat.html else None
    collected: list[dict[str, Any]] = []
    sink_path = out_path if format_ is not ScanFormat.text else None
    with archive, atomic_output(sink_path) as sink:
        options: dict[str, Any] = {"jobs": _jobs(jobs, size, pictures is not None), "columns": mapping,
                                   "pictures": pictures}
        with _progress(size) as progress:
            task = progress.add_task(t("scan.progress", lang), total=size)
            if format_ is ScanFormat.jsonl:  # records are encoded where they are checked: only bytes come back
                for part in scan_parts(archive, checker, stats, jsonl, **options):
                    progress.update(task, completed=archive.position())
                    sink.write(part)
            else:
                for checked in scan_archive(archive, checker, stats, **options):
                    progress.update(task, completed=archive.position())
                    if report is not None:
                        report.add(checked)
                    elif format_ is ScanFormat.text:
                        _print_findings(file, checked, lang)
                    else:
                        collected.extend(finding_records(checked))
        if format_ is ScanFormat.json:
            document = ScanResult(rulebook=checker.rulebook.version, stats=stats, records=collected).to_dict()
            sink.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        elif report is not None:
            sink.write(report.render(stats, file.name).encode())
    for problem in stats.problems[:20]:
        err.print(problem.describe(lang), style="yellow", soft_wrap=True, markup=False)
    if stats.messages == 0:  # nothing was checked: the error alone, not a summary of zeros
        raise fail(t("error.nothing_read", lang, path=file))
    render_summary(out if format_ is ScanFormat.text else err, stats, lang)
    report_fallback(err, context, lang)
    raise typer.Exit(1 if stats.attention else 0)


def _print_findings(file: Path, checked: Checked, lang: str) -> None:
    card = message_card(checked.findings)
    if card is not None:
        out.print(card_line(f"{file}:{checked.line}", card, lang), soft_wrap=True, markup=False)
