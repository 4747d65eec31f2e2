"""`qingfeng spark scan|ledger`: the same checks and ledger rules, run on Apache Spark (``qingfeng[spark]``).

PySpark is imported only when a command runs, so the rest of qingfeng works without the extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

spark_app = typer.Typer(help="在 Apache Spark 上运行扫描和台账筛查 / run scan and ledger on Apache Spark.",
                        no_args_is_help=True)

Lang = Literal["zh", "en"]
MasterOption = Annotated[str | None, typer.Option("--master", help="Spark master，例如 local[2]、yarn、spark://host:7077")]
LangOption = Annotated[Lang, typer.Option("--lang", help="输出语言 / output language")]


def _spark(master: str | None):  # noqa: ANN202 - pyspark is optional
    from qingfeng.cli import fail

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
    partitions: Annotated[int, typer.Option("--partitions", help="检查前重新分区的数目（0：保持读入的分区）", min=0)] = 0,
    lang: LangOption = "zh",
) -> None:
    """在 Spark 上扫描聊天记录 / scan chat archives on Spark. Exit 0: nothing to act on; 1: findings; 2: bad input."""
    from qingfeng.cli import err, fail
    from qingfeng.i18n import t
    from qingfeng.ingest.chatcsv import parse_columns
    from qingfeng.ingest.errors import InputError
    from qingfeng.report.text import render_summary

    try:
        mapping = parse_columns(columns)
    except ValueError as error:
        raise fail(str(error)) from None
    spark = _spark(master)
    from pyspark.errors import PySparkException

    from qingfeng.spark.scan import run_scan

    try:
        stats = run_scan(spark, inputs, out, input_format=input_format, output_format=format_, lang=lang,
                         columns=mapping, partitions=partitions)
    except InputError as error:
        raise fail(str(error)) from None
    except PySparkException as error:
        raise fail(f"{', '.join(inputs)}: {str(error).splitlines()[0]}") from None
    for problem in stats.problems:
        err.print(str(problem), style="yellow", soft_wrap=True, markup=False)
    render_summary(err, stats, lang)
    if stats.messages == 0:
        raise fail(t("error.nothing_read", lang, path=", ".join(inputs)))
    raise typer.Exit(1 if stats.attention else 0)
