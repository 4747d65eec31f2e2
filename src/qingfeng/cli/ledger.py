"""`qingfeng ledger TRANSFERS …`: screen a red-envelope and transfer ledger (registered in qingfeng.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from qingfeng.cli.common import err, fail, fail_input, parse_day, print_problems, write_result
from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.ingest.encoding import forced_encoding
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ledger.config import load_thresholds
from qingfeng.ledger.screen import screen_file
from qingfeng.report.ledger_html import render_html
from qingfeng.report.ledger_text import jsonl_lines, render_text
from qingfeng.rulebook.loader import RulebookError

Format = Literal["text", "jsonl", "json", "html"]


def ledger(
    transfers: Annotated[Path, typer.Argument(help="转账/红包台账 transfers.csv（或 .xlsx / .jsonl / .parquet）")],
    people: Annotated[Path, typer.Option("--people", help="人员登记表 people.csv")],
    relations: Annotated[Path, typer.Option("--relations", help="工作关系表 relations.csv")],
    elections: Annotated[Path | None, typer.Option("--elections", help="换届选举期 elections.csv")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="阈值配置 TOML")] = None,
    holidays: Annotated[Path | None, typer.Option("--holidays", help="补充的节假日/调休表 CSV")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="判断退还期限的日期 YYYY-MM-DD，默认今天")] = None,
    limit: Annotated[float | None, typer.Option("--limit", help="每笔礼尚往来标准（元），默认 200")] = None,
    counterparty_limit: Annotated[
        float | None, typer.Option("--counterparty-limit", help="同一人 30 天累计标准（元），默认 500")
    ] = None,
    work_hours: Annotated[str | None, typer.Option("--work-hours", help="工作时间，默认 08:30-17:30")] = None,
    return_days: Annotated[int | None, typer.Option("--return-days", help="退还期限（天），默认 7")] = None,
    format_: Annotated[Format, typer.Option("--format", help="输出格式")] = "text",
    out_path: Annotated[Path | None, typer.Option("--out", help="写入文件（默认标准输出）")] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="输入文件的编码，例如 gb18030（默认自动识别）/ input encoding")
    ] = None,
    lang: Annotated[Literal["zh", "en"], typer.Option("--lang", help="输出语言 / output language")] = "zh",
) -> None:
    """筛查红包和转账台账：工作关系人送钱、超出礼尚往来、化整为零、选举拉票、礼品卡、红包赌博、逾期未退。

    Screen a red-envelope / transfer ledger. Exit 0: nothing at warn or block; 1: such findings; 2: bad input.
    """
    day = parse_day(as_of, "--as-of") if as_of is not None else None  # None: the config's day, else today
    try:
        with forced_encoding(encoding):
            thresholds = load_thresholds(config, as_of=day, per_transfer_limit=limit,
                                         per_counterparty_limit=counterparty_limit, work_hours=work_hours,
                                         return_days=return_days)
            calendar = WorkingCalendar.from_file(holidays) if holidays is not None else WorkingCalendar()
            result = screen_file(transfers, people=people, relations=relations, elections=elections,
                                 thresholds=thresholds, calendar=calendar, lang=lang)
    except InputError as error:
        raise fail_input(error, lang) from None
    except RulebookError as error:
        raise fail(str(error)) from None
    if result.stats["transfers"] == 0:  # only bad rows: they are the answer, and the exit says bad input
        print_problems(err, result.problems, lang, "ledger")
        raise fail_input(InputError(InputProblem.of(str(transfers), None, None, "no_transfer")), lang)

    write_result(out_path, format_, result, lang, "ledger",
                 render_text=render_text, jsonl_lines=jsonl_lines, render_html=render_html)
    raise typer.Exit(1 if result.attention else 0)
