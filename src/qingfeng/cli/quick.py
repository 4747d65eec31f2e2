"""A plain ``qingfeng check TEXT`` without the command-line framework: typer, click and rich take a fifth of a
cold check's time, and a draft with the usual options needs none of them. ``main`` tries this path first; any
argument it does not read (help, --fix, --image, a calendar or register file, an option it cannot parse) hands
the command to typer unchanged, and errors are reported by the same functions as there. The answer is printed
by rich only where it would differ from the plain text (a terminal, a line to wrap, an unusual character)."""

from __future__ import annotations

import gc
import sys
from typing import Any

import orjson
from pydantic import ValidationError

from qingfeng.core.models import Finding, Message, needs_attention
from qingfeng.detectors.context import build_context, fallback_years
from qingfeng.pipeline.engine import Checker
from qingfeng.report.lines import console_width, finding_lines, plain_answer
from qingfeng.rulebook.loader import RulebookError

# option → (field it sets, the values it allows, None for any)
_OPTIONS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "--channel": ("channel", None), "--room-name": ("room_name", None), "--time": ("time", None),
    "--type": ("type", None), "--amount": ("amount", None), "--sender": ("sender", None),
    "--receiver": ("receiver", None), "--format": ("format", ("text", "json")), "--lang": ("lang", ("zh", "en")),
}


def draft_fields(text: str, channel: str, type_: str, optional: dict[str, Any]) -> dict[str, Any]:
    """A draft's message fields from the command's options (those not given left out)."""
    fields: dict[str, Any] = {"text": text, "channel": channel, "type": type_}
    fields.update({key: value for key, value in optional.items() if value is not None})
    return fields


def build_checker(lang: str, context: dict[str, Any] | None = None) -> Checker:
    # Building the checker makes many objects that last as long as the process and little garbage: the
    # collector would walk them again and again to no avail, and need never walk them after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Checker(lang=lang, context=context)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def findings_json(records: Any) -> bytes:
    return orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n"


def _parse(args: list[str]) -> dict[str, str] | None:
    """The options and the text (``text``), or None where this path does not read the arguments as click would."""
    chosen: dict[str, str] = {}
    position = 0
    while position < len(args):
        argument = args[position]
        if argument.startswith("-") and argument != "-":
            name, equals, value = argument.partition("=")
            if name not in _OPTIONS:
                return None
            if not equals:
                position += 1
                if position == len(args) or args[position].startswith("-"):
                    return None
                value = args[position]
            field, allowed = _OPTIONS[name]
            if allowed is not None and value not in allowed:
                return None
            chosen[field] = value  # given twice: the last counts, as with click
        elif "text" in chosen:
            return None  # an extra argument: click's error
        else:
            chosen["text"] = argument
        position += 1
    return chosen


def check(args: list[str]) -> int | None:
    """Run ``qingfeng check ARGS`` and give its exit status, or None (nothing done) where typer must run it."""
    chosen = _parse(args)
    if chosen is None:
        return None
    amount: float | None = None
    if "amount" in chosen:
        try:
            amount = float(chosen["amount"])
        except ValueError:
            return None
    text = chosen.get("text")
    if text is None or text == "-":
        if sys.stdin.isatty():
            return None
        text = sys.stdin.read().rstrip("\n")
    lang = chosen.get("lang", "zh")
    optional = {key: chosen.get(key) for key in ("room_name", "time", "sender", "receiver")}
    fields = draft_fields(text, chosen.get("channel", "private"), chosen.get("type", "text"),
                          {**optional, "amount": amount})
    try:
        message = Message.model_validate(fields)
    except ValidationError as error:
        from qingfeng.cli.check import invalid

        return invalid(error).exit_code
    context, _ = build_context(holidays=None, window=None, people=None)
    try:
        checker = build_checker(lang, context)
    except RulebookError as error:
        from qingfeng.cli.common import fail

        return fail(str(error)).exit_code
    findings = checker.check(message)
    if chosen.get("format") == "json":
        sys.stdout.buffer.write(findings_json([finding.to_dict() for finding in findings]))
    else:
        _answer(text, findings, checker, lang)
    if fallback_years(context):
        from qingfeng.cli.common import err, report_fallback

        report_fallback(err, context, lang)
    return 1 if needs_attention(findings) else 0


def _answer(text: str, findings: list[Finding], checker: Checker, lang: str) -> None:
    width = console_width()
    answer = None if width is None else plain_answer(text, finding_lines(findings, checker.rulebook, lang), width)
    if answer is None:
        from qingfeng.cli.common import out
        from qingfeng.report.text import render_findings

        render_findings(out, text, findings, checker.rulebook, lang)
    else:
        sys.stdout.write(answer)
