"""The command line: a thin shell over the engine, the scanner and the rulebook."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from qingfeng.coach import (
    HolidaysOption,
    PeopleOption,
    WindowOption,
    draft_app,
    fitted,
    render_fix,
    report_fallback,
    run_context,
)
from qingfeng.engine import Checker
from qingfeng.groups.cli import groups_app
from qingfeng.i18n import t
from qingfeng.ingest.archive import open_archive
from qingfeng.ingest.chatcsv import parse_columns
from qingfeng.ingest.encoding import forced_encoding
from qingfeng.ingest.errors import InputError, InputProblem, problems_from_validation
from qingfeng.ingest.limits import Limits
from qingfeng.ledger.cli import ledger as ledger_command
from qingfeng.media import PictureError, check_picture
from qingfeng.media.folder import MediaFolder
from qingfeng.media.scan import Pictures
from qingfeng.models import Message, message_card, needs_attention
from qingfeng.report.scan_html import ScanReport
from qingfeng.report.stats import ScanResult, ScanStats
from qingfeng.report.text import card_line, render_findings, render_summary
from qingfeng.rulebook.loader import Clause, RulebookError, default_rulebook
from qingfeng.rulebook.pages import rule_page
from qingfeng.scan import Checked, scan_archive
from qingfeng.spark.cli import spark_app
from qingfeng.web import commands as web_commands

app = typer.Typer(
    help="清风 qingfeng — 工作微信合规助手 / conduct-compliance checks for work messaging.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
app.add_typer(groups_app, name="groups")
app.add_typer(draft_app, name="draft")
app.command("ledger")(ledger_command)
app.add_typer(spark_app, name="spark")


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


class ScanFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"
    json = "json"
    html = "html"


LangOption = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", help="输入文件的编码，例如 gb18030、utf-8、utf-16（默认自动识别）/ input encoding"),
]


def fail(message: str) -> typer.Exit:
    """Bad usage or bad input: say what and where, exit 2, never a traceback."""
    err.print("qingfeng: ", style="bold red", end="")
    err.print(message, soft_wrap=True, markup=False)
    return typer.Exit(2)


def fail_input(error: InputError, lang: str) -> typer.Exit:
    """A file that cannot be read: one line in the user's language, exit 2."""
    return fail(error.describe(lang))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: Path | None):
    """Write to a temporary file beside PATH and rename it into place only when the run completes."""
    if path is None:
        yield sys.stdout.buffer
        return
    folder = path.resolve().parent
    if not folder.is_dir():
        raise fail(f"{path}: folder does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    # mkstemp makes the file private (0600); a report is an ordinary file, so the umask decides, as for `>`.
    os.chmod(temporary, 0o666 & ~_umask())
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_report(
    out_path: Path | None,
    format_: str,
    *,
    text: Callable[[Console], None],
    jsonl: Callable[[], Iterable[bytes]],
    html: Callable[[], str],
    document: Callable[[], Any],
) -> None:
    """A sub-command's report in the chosen format, to standard output or atomically to ``out_path``."""
    with atomic_output(out_path) as sink:
        if format_ == "text":
            if out_path is None:
                text(out)
            else:
                buffer = io.StringIO()
                text(Console(file=buffer, width=160, highlight=False))
                sink.write(buffer.getvalue().encode())
        elif format_ == "jsonl":
            sink.writelines(jsonl())
        elif format_ == "html":
            sink.write(html().encode())
        else:
            sink.write(orjson.dumps(document(), option=orjson.OPT_INDENT_2) + b"\n")


MAX_PROBLEMS_SHOWN = 20


def print_problems(console: Console, problems: Sequence[object], lang: str, family: str) -> None:
    """The bad input rows a sub-command left out: the first few, then how many more (``family.problems``)."""
    if not problems:
        return
    console.print(t(f"{family}.problems", lang, n=len(problems)), style="yellow")
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        shown = problem.describe(lang) if isinstance(problem, InputProblem) else str(problem)
        console.print(f"  {shown}", style="yellow", soft_wrap=True, markup=False)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        console.print(t(f"{family}.more_problems", lang, n=len(problems) - MAX_PROBLEMS_SHOWN), style="yellow")


def _checker(lang: str, context: dict[str, Any] | None = None) -> Checker:
    try:
        return Checker(lang=lang, context=context)
    except RulebookError as error:
        raise fail(str(error)) from None


def _context(lang: str, holidays: Path | None, window: str | None, people: Path | None) -> dict[str, Any]:
    try:
        return run_context(err, lang, holidays, window, people)
    except InputError as error:
        raise fail_input(error, lang) from None
    except ValueError as error:
        raise fail(str(error)) from None


@app.command()
def check(
    text: Annotated[str | None, typer.Argument(help="待检查的消息；`-` 或省略则从标准输入读取")] = None,
    channel: Annotated[str, typer.Option(help="group | private | moments")] = "private",
    room_name: Annotated[str | None, typer.Option(help="群名称，例如「县财政局办公室工作群」")] = None,
    time: Annotated[str | None, typer.Option(help="发送时间 ISO 8601，默认时区 Asia/Shanghai")] = None,
    type_: Annotated[
        str, typer.Option("--type", help="text | redpacket | transfer | voice | image | file | link | sticker")
    ] = "text",
    amount: Annotated[float | None, typer.Option(help="红包/转账金额（元）")] = None,
    sender: Annotated[str | None, typer.Option(help="发送人编号（人员名册 id）")] = None,
    receiver: Annotated[str | None, typer.Option(help="接收人编号（人员名册 id）")] = None,
    holidays: HolidaysOption = None,
    window: WindowOption = None,
    people: PeopleOption = None,
    fix: Annotated[bool, typer.Option("--fix", help="按通知格式改写，只补缺少的部分 / fit the draft")] = False,
    format_: Annotated[CheckFormat, typer.Option("--format", help="text | json")] = CheckFormat.text,
    image: Annotated[Path | None, typer.Option("--image", help="检查图片中的文字（PNG、JPEG、WebP、HEIC）")] = None,
    lang: LangOption = Lang.zh,
) -> None:
    """发送前检查一条消息 / check one draft before sending it."""
    if image is not None:
        context = _context(lang.value, holidays, window, people)
        _check_image(image, channel, room_name, time, format_, lang.value, context)
    if text is None or text == "-":
        if sys.stdin.isatty():
            raise fail("give the message as an argument, or pipe it in with `-`")
        text = sys.stdin.read().rstrip("\n")
    fields: dict[str, Any] = {"text": text, "channel": channel, "type": type_}
    optional = {"room_name": room_name, "time": time, "amount": amount, "sender": sender, "receiver": receiver}
    fields.update({k: v for k, v in optional.items() if v is not None})
    try:
        message = Message.model_validate(fields)
    except ValidationError as error:
        raise fail(str(problems_from_validation("command line", None, error))) from None
    context = _context(lang.value, holidays, window, people)
    checker = _checker(lang.value, context)
    findings = checker.check(message)
    if format_ is CheckFormat.json:
        records: Any = [f.to_dict() for f in findings]
        if fix:  # opt-in: the default output stays the documented list of findings
            result = fitted(text, message.time, lang.value)
            records = {"findings": records, "fixed": result.text if result else None}
        sys.stdout.buffer.write(orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        render_findings(out, text, findings, checker.rulebook, lang.value)
        if fix:
            render_fix(out, text, message.time, lang.value)
    report_fallback(err, context, lang.value)
    raise typer.Exit(1 if needs_attention(findings) else 0)


def _check_image(
    path: Path, channel: str, room_name: str | None, time: str | None, format_: CheckFormat, lang: str,
    context: dict[str, Any],
) -> None:
    """``check --image``: the picture's text through the same rules; JSON gives ``{"text", "findings"}``."""
    checker = _checker(lang, context)
    fields = {key: value for key, value in (("channel", channel), ("room_name", room_name), ("time", time)) if value}
    try:
        result = check_picture(checker, MediaFolder(path.parent).read((path.name,)), fields)
    except PictureError as error:
        raise fail(f"{path}: {error.text(lang)}") from None
    except ValidationError as error:
        raise fail(str(problems_from_validation("command line", None, error))) from None
    if format_ is CheckFormat.json:
        sys.stdout.buffer.write(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        if not result.reading.text:
            out.print(t("image.no_text", lang), style="dim")
        render_findings(out, result.reading.text, result.findings, checker.rulebook, lang)
    raise typer.Exit(1 if needs_attention(result.findings) else 0)


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


@app.command()
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
    context = _context(lang, *detectors)
    checker = _checker(lang, context)
    stats = ScanStats()
    archive = open_archive(file, input_format.value if input_format else None, limits)
    size = file.stat().st_size
    report = ScanReport(checker.rulebook, lang) if format_ is ScanFormat.html else None
    collected: list[dict[str, Any]] = []
    sink_path = out_path if format_ is not ScanFormat.text else None
    with archive, atomic_output(sink_path) as sink:
        found = scan_archive(
            archive, checker, stats, jobs=_jobs(jobs, size, pictures is not None), columns=mapping,
            pictures=pictures,
        )
        with _progress(size) as progress:
            task = progress.add_task(t("scan.progress", lang), total=size)
            for checked in found:
                progress.update(task, completed=archive.position())
                if report is not None:
                    report.add(checked)
                elif format_ is ScanFormat.text:
                    _print_findings(file, checked, lang)
                else:
                    records = _records(checked)
                    if format_ is ScanFormat.jsonl:
                        sink.write(b"".join(orjson.dumps(record) + b"\n" for record in records))
                    else:
                        collected.extend(records)
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


def _records(checked: Checked) -> list[dict[str, Any]]:
    """One record per rule, each saying whether it leads its message's card."""
    card = message_card(checked.findings)
    return [f.to_dict() | {"line": checked.line, "lead": card is not None and f is card.lead} for f in checked.findings]


def _print_findings(file: Path, checked: Checked, lang: str) -> None:
    card = message_card(checked.findings)
    if card is not None:
        out.print(card_line(f"{file}:{checked.line}", card, lang), soft_wrap=True, markup=False)


@app.command()
def rules(
    rule_id: Annotated[str | None, typer.Argument(help="规则编号，例如 SEC001")] = None,
    coverage: Annotated[bool, typer.Option("--coverage", help="列出每个条款的覆盖情况")] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """规则列表、规则说明页、条款覆盖 / list rules, show a rule's page, or clause coverage."""
    try:
        rulebook = default_rulebook()
    except RulebookError as error:
        raise fail(str(error)) from None
    code = lang.value
    if coverage:
        table = Table(show_lines=False)
        for key in ("clause", "gist", "coverage", "rules"):
            table.add_column(t(f"coverage.{key}", code), overflow="fold")
        for clause in rulebook.clauses.values():
            cited = " ".join(rule.id for rule in rulebook.rules_citing(clause.id))
            table.add_row(clause.id, clause.gist(code), coverage_words(clause, code), cited)
        out.print(table)
        return
    if rule_id is None:
        table = Table()
        for key in ("id", "category", "severity", "title", "sources"):
            table.add_column(t(f"rules.{key}", code))
        for rule in rulebook.rules:
            table.add_row(
                rule.id, t("category." + rule.category, code), t("severity." + rule.severity, code),
                rule.title.get(code), " ".join(rule.sources),
            )
        out.print(table)
        return
    try:
        rule = rulebook.rule(rule_id)
    except KeyError:
        raise fail(t("rules.unknown", code, id=rule_id)) from None
    page = rule_page(rulebook, rule, code)
    kind = f"{t('category.' + rule.category, code)}, {t('severity.' + rule.severity, code)}"
    out.print(f"[bold]{page.heading}[/]  ({kind})")
    for title, body in page.titled_sections(code):
        out.print(f"\n[bold underline]{title}[/]")
        out.print(body, soft_wrap=True)


def coverage_words(clause: Clause, lang: str) -> str:
    """How a clause is covered, in the user's language: status, category and part of each entry."""
    colon, parenthesis, separator = (": ", " ({})", "; ") if lang == "en" else ("：", "（{}）", "；")
    parts = []
    for entry in clause.coverage:
        words = t(f"coverage.{entry.status}", lang)
        if entry.category:
            words += colon + t(f"category.{entry.category}", lang)
        part = entry.part_en if lang == "en" else entry.part_zh
        if part:
            words += parenthesis.format(part)
        parts.append(words)
    return separator.join(parts)


app.command()(web_commands.serve)
app.command()(web_commands.demo)
app.add_typer(web_commands.users_app, name="users")


def main() -> None:
    try:
        app()
    except InputError as error:
        argv = sys.argv[1:]
        english = "--lang=en" in argv or any(pair == ("--lang", "en") for pair in pairwise(argv))
        lang = "en" if english else "zh"
        err.print("qingfeng: ", style="bold red", end="")
        err.print(error.describe(lang), soft_wrap=True, markup=False)
        sys.exit(2)


__all__ = ["InputProblem", "app", "main"]
