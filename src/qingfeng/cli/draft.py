"""`qingfeng draft notice`, and `check --fix`'s rendering of a draft fitted into a notice's shape."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.text import Text

from qingfeng.cli.common import parse_day
from qingfeng.coach.compose import draft_notice, fitted
from qingfeng.core.i18n import t

draft_app = typer.Typer(
    help="按公文格式起草消息 / draft official messages.", no_args_is_help=True, add_completion=False
)


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
