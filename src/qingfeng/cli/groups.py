"""`qingfeng groups …`: the work-group register's commands, a sub-Typer registered in qingfeng.cli."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from qingfeng.cli.common import err, fail, fail_input, parse_day, print_problems, write_result
from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.core.i18n import t
from qingfeng.groups.audit import AuditResult, run_audit
from qingfeng.groups.notify import WebhookSettings, load_webhooks, notify_owners
from qingfeng.groups.remarks import parse_formats
from qingfeng.ingest.archive import read_archive
from qingfeng.ingest.encoding import forced_encoding
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.groups import read_register
from qingfeng.report.groups_html import render_html
from qingfeng.report.groups_text import jsonl_lines, owner_alerts, render_text
from qingfeng.rulebook.loader import RulebookError

groups_app = typer.Typer(
    help="工作群登记与审计 / work-group register and audits.", no_args_is_help=True, add_completion=False
)

Format = Literal["text", "jsonl", "json", "html"]


@groups_app.command("audit")
def audit(
    groups: Annotated[Path, typer.Option("--groups", help="群登记表 groups.csv")],
    members: Annotated[Path, typer.Option("--members", help="群成员表 members.csv")],
    people: Annotated[Path, typer.Option("--people", help="人员登记表 people.csv")],
    archive: Annotated[Path | None, typer.Option("--archive", help="这些群的聊天记录")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="审计日 YYYY-MM-DD，默认今天")] = None,
    holidays: Annotated[Path | None, typer.Option("--holidays", help="补充的节假日/调休表 CSV")] = None,
    remark_format: Annotated[
        list[str] | None, typer.Option("--remark-format", help="群昵称格式，可重复；默认 单位-姓名、姓名")
    ] = None,
    format_: Annotated[Format, typer.Option("--format", help="输出格式")] = "text",
    out_path: Annotated[Path | None, typer.Option("--out", help="写入文件（默认标准输出）")] = None,
    notify: Annotated[bool, typer.Option("--notify", help="通过企业微信群机器人提醒各群主")] = False,
    webhooks: Annotated[Path | None, typer.Option("--webhooks", help="群主 webhook 配置 TOML")] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="输入文件的编码，例如 gb18030（默认自动识别）/ input encoding")
    ] = None,
    lang: Annotated[Literal["zh", "en"], typer.Option("--lang", help="输出语言 / output language")] = "zh",
) -> None:
    """审计工作群：群主、实名备注、陌生人、离岗人员、通知确认、每日汇报、群内违规内容 / audit the work groups.

    Exit 0: nothing at warn or block; 1: such findings; 2: bad input, or an alert that was not delivered.
    """
    day = parse_day(as_of, "--as-of")
    try:
        formats = parse_formats(remark_format) if remark_format else None
    except ValueError as error:
        raise fail(str(error)) from None
    if notify and webhooks is None:
        raise fail("--notify needs --webhooks FILE (the owners' robot URLs, see docs/groups.md)")
    try:
        with forced_encoding(encoding):
            settings = load_webhooks(webhooks) if notify and webhooks is not None else None
            calendar = WorkingCalendar.from_file(holidays) if holidays is not None else WorkingCalendar()
            register = read_register(groups, members, people)
            if not register.groups:
                print_problems(err, register.problems, lang, "groups")
                raise InputError(InputProblem.of(str(groups), None, None, "no_group"))
            messages = (item for _, item in read_archive(archive)) if archive is not None else None
            result = run_audit(register, as_of=day, messages=messages, calendar=calendar, remark_formats=formats,
                               lang=lang)
    except InputError as error:
        raise fail_input(error, lang) from None
    except RulebookError as error:
        raise fail(str(error)) from None

    write_result(out_path, format_, result, lang, "groups",
                 render_text=render_text, jsonl_lines=jsonl_lines, render_html=render_html)
    delivered = _notify(err, result, settings, lang) if settings is not None else True
    if not delivered:
        raise typer.Exit(2)
    raise typer.Exit(1 if result.attention else 0)


def _notify(console: Console, result: AuditResult, settings: WebhookSettings, lang: str) -> bool:
    """Alert each owner; True when every alert that had somewhere to go arrived."""
    alerts = owner_alerts(result, lang)
    if not alerts:
        console.print(t("groups.notify.nothing", lang))
        return True
    ok = True
    for delivery in notify_owners(alerts, settings):
        owner = delivery.owner or t("groups.alert.no_owner", lang)
        if delivery.url is None:
            line, style = t("groups.notify.no_webhook", lang, owner=owner), "yellow"
        elif delivery.ok:
            line, style = t("groups.notify.sent", lang, owner=owner, attempts=delivery.attempts), ""
        else:
            ok = False
            line, style = t("groups.notify.failed", lang, owner=owner, error=delivery.error), "red"
        console.print(line, style=style, soft_wrap=True, markup=False)
    return ok
