"""`qingfeng check`: one draft (or one picture's text) before it is sent."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from qingfeng.cli.common import (
    HolidaysOption,
    Lang,
    LangOption,
    PeopleOption,
    WindowOption,
    context_options,
    err,
    fail,
    make_checker,
    out,
    report_fallback,
)
from qingfeng.cli.quick import draft_fields, findings_json
from qingfeng.core.models import Message, needs_attention
from qingfeng.ingest.errors import problems_from_validation
from qingfeng.report.text import render_findings

# --fix and --image import what they need when asked: a plain check loads neither (start-up time).


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


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
        context = context_options(lang.value, holidays, window, people)
        _check_image(image, channel, room_name, time, format_, lang.value, context)
    if text is None or text == "-":
        if sys.stdin.isatty():
            raise fail("give the message as an argument, or pipe it in with `-`")
        text = sys.stdin.read().rstrip("\n")
    optional = {"room_name": room_name, "time": time, "amount": amount, "sender": sender, "receiver": receiver}
    try:
        message = Message.model_validate(draft_fields(text, channel, type_, optional))
    except ValidationError as error:
        raise invalid(error) from None
    context = context_options(lang.value, holidays, window, people)
    checker = make_checker(lang.value, context)
    findings = checker.check(message)
    if format_ is CheckFormat.json:
        records: Any = [f.to_dict() for f in findings]
        if fix:  # opt-in: the default output stays the documented list of findings
            from qingfeng.coach.compose import fitted

            result = fitted(text, message.time, lang.value)
            records = {"findings": records, "fixed": result.text if result else None}
        sys.stdout.buffer.write(findings_json(records))
    else:
        render_findings(out, text, findings, checker.rulebook, lang.value)
        if fix:
            from qingfeng.cli.draft import render_fix

            render_fix(out, text, message.time, lang.value)
    report_fallback(err, context, lang.value)
    raise typer.Exit(1 if needs_attention(findings) else 0)


def invalid(error: ValidationError) -> typer.Exit:
    """A draft's field that cannot be used: named, exit 2."""
    return fail(str(problems_from_validation("command line", None, error)))


def _check_image(
    path: Path, channel: str, room_name: str | None, time: str | None, format_: CheckFormat, lang: str,
    context: dict[str, Any],
) -> None:
    """``check --image``: the picture's text through the same rules; JSON gives ``{"text", "findings"}``."""
    from qingfeng.core.i18n import t
    from qingfeng.media import PictureError, check_picture
    from qingfeng.media.folder import MediaFolder

    checker = make_checker(lang, context)
    fields = {key: value for key, value in (("channel", channel), ("room_name", room_name), ("time", time)) if value}
    try:
        result = check_picture(checker, MediaFolder(path.parent).read((path.name,)), fields)
    except PictureError as error:
        raise fail(f"{path}: {error.text(lang)}") from None
    except ValidationError as error:
        raise invalid(error) from None
    if format_ is CheckFormat.json:
        sys.stdout.buffer.write(findings_json(result.to_dict()))
    else:
        if not result.reading.text:
            out.print(t("image.no_text", lang), style="dim")
        render_findings(out, result.reading.text, result.findings, checker.rulebook, lang)
    raise typer.Exit(1 if needs_attention(result.findings) else 0)
