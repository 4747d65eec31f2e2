"""`qingfeng spark scan|ledger`: the same checks and ledger rules, run on Apache Spark (``qingfeng[spark]``).

PySpark is imported only when a command runs, so the rest of qingfeng works without the extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from qingfeng.cli.common import HolidaysOption, PeopleOption, WindowOption

spark_app = typer.Typer(help="在 Apache Spark 上运行扫描和台账筛查 / run scan and ledger on Apache Spark.",
                        no_args_is_help=True)

Lang = Literal["zh", "en"]
MasterOption = Annotated[str | None, typer.Option("--master", help="Spark master，例如 local[2]、yarn、spark://host:7077")]
LangOption = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]


def _spark(master: str | None):
    from qingfeng.cli.common import fail

    try:
        from qingfeng.spark.session import java_missing, session
    except ImportError:
        raise fail("pyspark is not installed: pip install 'qingfeng[spark]'") from None
    if reason := java_missing():
        raise fail(reason)
    return session(master)


@spark_app.command("scan")
def scan(
    inputs: Annotated[list[str], typer.Argument(help="聊天记录：文件、文件夹或通配符（本地、hdfs://、s3a://）")],
    out: Annotated[str, typer.Option("--out", help="输出文件夹：按日期和类别分区的发现记录，坏行在 _bad/")],
    master: MasterOption = None,
    format_: Annotated[Literal["parquet", "jsonl"], typer.Option("--format", help="parquet | jsonl")] = "parquet",
    input_format: Annotated[
        Literal["jsonl", "csv", "wecom", "parquet"] | None,
        typer.Option("--input-format", help="jsonl | csv | wecom | parquet（默认按文件识别）"),
    ] = None,
    columns: Annotated[str | None, typer.Option("--columns", help="CSV 列名对应，同 qingfeng scan")] = None,
    partitions: Annotated[
        int, typer.Option("--partitions", help="检查前重新分区的数目（0：保持读入的分区）", min=0)
    ] = 0,
    holidays: HolidaysOption = None,
    window: WindowOption = None,
    people: PeopleOption = None,
    lang: LangOption = "zh",
) -> None:
    """在 Spark 上扫描聊天记录 / scan chat archives on Spark. Exit 0: nothing to act on; 1: findings; 2: bad input.
    --holidays, --window and --people mean what they mean for `qingfeng scan`: read on the driver, their data
    goes to the executors."""
    from qingfeng.cli.common import context_options, err, fail, report_fallback
    from qingfeng.core.i18n import t
    from qingfeng.ingest.chatcsv import parse_columns
    from qingfeng.ingest.errors import InputError
    from qingfeng.report.text import render_summary

    try:
        mapping = parse_columns(columns)
    except ValueError as error:
        raise fail(str(error)) from None
    context = context_options(lang, holidays, window, people)
    spark = _spark(master)
    from pyspark.errors import PySparkException

    from qingfeng.spark.scan import run_scan

    try:
        stats = run_scan(spark, inputs, out, input_format=input_format, output_format=format_, lang=lang,
                         columns=mapping, partitions=partitions, context=context)
    except InputError as error:
        raise fail(str(error)) from None
    except PySparkException as error:
        raise fail(f"{', '.join(inputs)}: {str(error).splitlines()[0]}") from None
    for problem in stats.problems:
        err.print(problem.describe(lang), style="yellow", soft_wrap=True, markup=False)
    render_summary(err, stats, lang)
    if stats.messages == 0:
        raise fail(t("error.nothing_read", lang, path=", ".join(inputs)))
    report_fallback(err, context, lang)
    raise typer.Exit(1 if stats.attention else 0)


@spark_app.command("ledger")
def ledger(
    transfers: Annotated[str, typer.Argument(help="转账/红包台账（csv / jsonl / parquet；本地、hdfs://、s3a://）")],
    people: Annotated[Path, typer.Option("--people", help="人员登记表 people.csv（驱动端读取）")],
    relations: Annotated[Path, typer.Option("--relations", help="工作关系表 relations.csv")],
    out: Annotated[str, typer.Option("--out", help="输出文件夹：findings/（JSON lines）、summary/、坏行在 _bad/")],
    elections: Annotated[Path | None, typer.Option("--elections", help="换届选举期 elections.csv")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="阈值配置 TOML")] = None,
    holidays: Annotated[Path | None, typer.Option("--holidays", help="补充的节假日/调休表 CSV")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="判断退还期限的日期 YYYY-MM-DD，默认今天")] = None,
    master: MasterOption = None,
    lang: LangOption = "zh",
) -> None:
    """在 Spark 上筛查转账台账 / screen a transfer ledger on Spark. Exit 0: nothing at warn or block; 1: such
    findings; 2: bad input."""
    from qingfeng.cli.common import err, fail, parse_day, print_problems
    from qingfeng.coach.workcal import WorkingCalendar
    from qingfeng.ingest.errors import InputError
    from qingfeng.ledger.config import load_thresholds
    from qingfeng.rulebook.loader import RulebookError

    day = parse_day(as_of, "--as-of") if as_of is not None else None
    try:
        thresholds = load_thresholds(config, as_of=day)
        calendar = WorkingCalendar.from_file(holidays) if holidays is not None else WorkingCalendar()
    except (InputError, RulebookError) as error:
        raise fail(str(error)) from None
    spark = _spark(master)
    from pyspark.errors import PySparkException

    from qingfeng.spark.ledger import screen, write_result

    try:
        result, bad = screen(spark, transfers, transfers, people=people, relations=relations, elections=elections,
                             thresholds=thresholds, calendar=calendar, lang=lang)
    except (InputError, RulebookError) as error:
        raise fail(str(error)) from None
    except PySparkException as error:
        raise fail(f"{transfers}: {str(error).splitlines()[0]}") from None
    print_problems(err, result.problems, lang, "ledger")
    if result.stats["transfers"] == 0:
        raise fail(f"{transfers}: no transfer could be read")
    write_result(spark, result, bad, out)
    summary = result.to_dict()["summary"]
    err.print(f"transfers {summary['transfers']:,} · findings {summary['findings']:,} · {out}", markup=False)
    raise typer.Exit(1 if result.attention else 0)
