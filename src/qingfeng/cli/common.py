"""What every sub-command shares: the consoles, the language and input options, failing with exit 2, writing
a report atomically, listing bad input rows, and the detectors' run context from --holidays/--window/--people."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.console import Console

from qingfeng.cli.quick import build_checker
from qingfeng.core.i18n import t
from qingfeng.detectors.context import build_context, fallback_years
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import RulebookError

if TYPE_CHECKING:
    from qingfeng.runtime.result import RunResult

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", help="输入文件的编码，例如 gb18030、utf-8、utf-16（默认自动识别）/ input encoding"),
]
HolidaysOption = Annotated[
    Path | None,
    typer.Option("--holidays", help="节假日文件 CSV（date,kind,name），补充或更正法定节假日与调休 / holiday file"),
]
WindowOption = Annotated[
    str | None, typer.Option("--window", help="工作消息发送时段，默认 08:00-22:00 / daily send window")
]
PeopleOption = Annotated[
    Path | None,
    typer.Option("--people", help="人员名册 CSV（id,name,unit,rank…），用于判断上下级 / people register"),
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


def write_result(
    out_path: Path | None,
    format_: str,
    result: RunResult,
    lang: str,
    family: str,
    *,
    render_text: Callable[[Console, Any, str], None],
    jsonl_lines: Callable[[Any], Iterable[bytes]],
    render_html: Callable[[Any, str], str],
) -> None:
    """A sub-command's result in the chosen format, to standard output or atomically to ``out_path``; then the
    bad input it met, on standard error."""
    with atomic_output(out_path) as sink:
        if format_ == "text":
            if out_path is None:
                render_text(out, result, lang)
            else:
                buffer = io.StringIO()
                render_text(Console(file=buffer, width=160, highlight=False), result, lang)
                sink.write(buffer.getvalue().encode())
        elif format_ == "jsonl":
            sink.writelines(jsonl_lines(result))
        elif format_ == "html":
            sink.write(render_html(result, lang).encode())
        else:
            sink.write(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    print_problems(err, result.problems, lang, family)


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


def parse_day(text: str | None, hint: str, *, allow_none: bool = False) -> date | None:
    """A YYYY-MM-DD option: absent means today; ``none`` (where allowed) means no day at all."""
    if text is None:
        from qingfeng.coach.workcal import today  # only the commands that take a day need the calendar

        return today()
    if allow_none and text.lower() == "none":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        expected = "YYYY-MM-DD or none" if allow_none else "YYYY-MM-DD"
        raise typer.BadParameter(f"expected {expected}, not {text!r}", param_hint=hint) from None


def report_fallback(console: Console, context: dict[str, Any], lang: str) -> None:
    """Say once per run that some years were judged Monday–Friday."""
    years = fallback_years(context)
    if years:
        text = t("calendar.fallback_years", lang, years=", ".join(map(str, years)))
        console.print(text, style="yellow", soft_wrap=True, markup=False)


def make_checker(lang: str, context: dict[str, Any] | None = None) -> Checker:
    try:
        return build_checker(lang, context)
    except RulebookError as error:
        raise fail(str(error)) from None


def context_options(lang: str, holidays: Path | None, window: str | None, people: Path | None) -> dict[str, Any]:
    """The detectors' run context from the options. Register rows that cannot be used are reported and left
    out; input that cannot be used at all exits 2, naming what."""
    try:
        context, problems = build_context(holidays=holidays, window=window, people=people)
    except InputError as error:
        raise fail_input(error, lang) from None
    except ValueError:
        # only the window is parsed here without a file; its own message is English
        raise fail(t("error.bad_window", lang, window=window)) from None
    for problem in problems[:20]:
        shown = t("input.row_skipped", lang, problem=problem.describe(lang))
        err.print(shown, style="yellow", soft_wrap=True, markup=False)
    return context
