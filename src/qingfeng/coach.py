"""The official-message coach on the command line: `qingfeng draft notice`, `check --fix`, and the
calendar / people options that `check` and `scan` share (a sub-Typer and helpers used by qingfeng.cli)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.text import Text

from qingfeng.compose import Fitted, draft_notice, fit_notice
from qingfeng.context import build_context, fallback_years
from qingfeng.i18n import t
from qingfeng.models import DEFAULT_ZONE
from qingfeng.options import parse_day
from qingfeng.workcal import today

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

draft_app = typer.Typer(
    help="按公文格式起草消息 / draft official messages.", no_args_is_help=True, add_completion=False
)


def run_context(
    console: Console, lang: str, holidays: Path | None, window: str | None, people: Path | None
) -> dict[str, Any]:
    """The detectors' context from the options; register rows that cannot be used are reported on
    ``console`` and left out. Raises InputError / ValueError for input that cannot be used at all."""
    context, problems = build_context(holidays=holidays, window=window, people=people)
    for problem in problems[:20]:
        console.print(t("input.row_skipped", lang, problem=problem), style="yellow", soft_wrap=True, markup=False)
    return context


def report_fallback(console: Console, context: dict[str, Any], lang: str) -> None:
    """Say once per run that some years were judged Monday–Friday."""
    years = fallback_years(context)
    if years:
        text = t("calendar.fallback_years", lang, years=", ".join(map(str, years)))
        console.print(text, style="yellow", soft_wrap=True, markup=False)


def fitted(text: str, sent: datetime | None, lang: str) -> Fitted | None:
    """The draft in a notice's shape, dated the day it is sent (today when the time is not given)."""
    day = sent.astimezone(DEFAULT_ZONE).date() if sent is not None else today()
    return fit_notice(text, day=day, lang=lang)


def render_fix(console: Console, text: str, sent: datetime | None, lang: str) -> None:
    """Show the draft fitted into a notice's shape, saying which parts were added."""
    result = fitted(text, sent, lang)
    if result is None:
        console.print(Text(t("fix.none", lang), style="dim"))
        return
    added = t("compose.list_separator", lang).join(t(f"compose.added.{key}", lang) for key in result.added)
    console.print(Text("\n" + t("fix.title", lang, added=added), style="bold"))
    console.print(Text(result.text), soft_wrap=True)


@draft_app.command("notice")
def notice(
    title: Annotated[str, typer.Option("--title", help="事由，例如「召开一季度预算执行分析会」/ subject")],
    to: Annotated[str, typer.Option("--to", help="称谓，例如「各股室」/ recipients")] = "",
    items: Annotated[
        list[str] | None, typer.Option("--items", help="事项，可重复，或用；分隔 / points (repeatable)")
    ] = None,
    signature: Annotated[str, typer.Option("--signature", help="落款：单位或姓名 / signature")] = "",
    day: Annotated[str | None, typer.Option("--date", help="日期 YYYY-MM-DD，默认今天；none 不写 / date")] = None,
    reply: Annotated[bool, typer.Option("--reply/--no-reply", help="结尾加“收到请回复” / ask to confirm")] = True,
    lang: Annotated[Literal["zh", "en"], typer.Option("--lang", help="输出语言 / output language")] = "zh",
) -> None:
    """起草一份格式规范的通知 / draft a well-formed notice."""
    text = draft_notice(
        title=title,
        to=to,
        items=items or (),
        signature=signature,
        day=parse_day(day, "--date", allow_none=True),
        reply=reply,
        lang=lang,
    )
    typer.echo(text)


__all__ = [
    "HolidaysOption",
    "PeopleOption",
    "WindowOption",
    "draft_app",
    "fitted",
    "render_fix",
    "report_fallback",
    "run_context",
]
