"""`qingfeng spark ledger`: the ledger rules as Spark SQL, transpiled from the DuckDB queries they share.

The transfers are read, typed and validated by Spark (the DuckDB check statement, transpiled); the registers
are small, so they are read on the driver with the same readers and shipped as tables; the rules' rows then
become findings exactly as on one machine (``Screening``), so both engines give the same finding set.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import sqlglot
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.transfers import _CHECK, _TRANSFERS, COLUMNS, MAX_PROBLEMS, REQUIRED, check_problem
from qingfeng.ledger import tables
from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.rules import compile_rules
from qingfeng.ledger.screen import LedgerResult, Screening, read_registers
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.spark.rows import numbered
from qingfeng.spark.sql import run

REGISTERS = ("people", "relations", "elections", "workdays", "room_kinds")

# A repeated id is one receipt exported twice: the first is kept (as ingest.transfers does with an UPDATE,
# which Spark's temporary views cannot take).
_DUPLICATES = """
SELECT * EXCEPT (problem, seen),
       CASE WHEN seen > 1 THEN 'id:duplicate_transfer:' || id ELSE problem END AS problem
FROM (SELECT *, CASE WHEN problem IS NULL THEN row_number() OVER (PARTITION BY id, problem IS NULL ORDER BY row)
                END AS seen
      FROM checked_once)
"""


class SparkScreening(Screening):
    """The rules' queries run on Spark; everything after the rows is the one-machine code."""

    def __init__(self, spark: SparkSession, thresholds: Thresholds, people: dict[str, Any]) -> None:
        self.spark = spark
        super().__init__(None, thresholds, people)  # type: ignore[arg-type]

    def _rows(self, query: str) -> list[Any]:
        # Structs come back as Rows; the screening reads them as DuckDB gives them, as dicts.
        return [tuple(_plain(value) for value in row) for row in run(self.spark, query).collect()]

    def _table(self, name: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        schema = ", ".join(f"{part.split()[0]} {_SPARK_TYPES[part.split()[1]]}" for part in columns.split(", "))
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)


_SPARK_TYPES = {"INTEGER": "int", "VARCHAR": "string"}


def _plain(value: Any) -> Any:
    return value.asDict(recursive=True) if isinstance(value, Row) else value


def raw_transfers(spark: SparkSession, path: str, shown: str) -> DataFrame:
    """(row, ok, every contract column as text) in file order; ``row`` is the data row (CSV) or the line."""
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        frame = spark.read.parquet(path)
        names = frame.columns
        frame = frame.select((F.col("_metadata.row_index") + 1).alias("row"), F.lit(True).alias("ok"),
                             *(F.col(c).cast("string").alias(c) for c in COLUMNS if c in names))
    elif suffix in (".jsonl", ".ndjson", ".json"):
        frame = numbered(spark.read.text(path)).withColumnRenamed("value", "line").where("trim(line) <> ''")
        ok = F.get_json_object("line", "$").isNotNull()
        frame = frame.select("row", ok.alias("ok"),
                             *(F.when(ok, F.get_json_object("line", f"$.{c}")).alias(c) for c in COLUMNS))
        names = list(COLUMNS)
    else:
        frame = spark.read.csv(path, header=True, quote='"', escape='"')
        names = frame.columns
        frame = numbered(frame).select("row", F.lit(True).alias("ok"), *(F.col(c) for c in COLUMNS if c in names))
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(InputProblem(shown, 1, None, f"missing column(s): {', '.join(missing)}"))
    return frame.select("row", "ok", *(F.col(c) if c in names else F.lit(None).cast("string").alias(c)
                                        for c in COLUMNS))


def load_transfers(spark: SparkSession, path: str, shown: str) -> tuple[list[InputProblem], DataFrame]:
    """The ``transfers`` view (good rows) and the bad rows (all, for ``_bad/``; the first ones as problems)."""
    raw_transfers(spark, path, shown).createOrReplaceTempView("raw_transfers")
    select = sqlglot.parse_one(_CHECK, read="duckdb").expression.sql(dialect="duckdb")
    run(spark, f"CREATE TEMP TABLE checked_once AS {select}")
    run(spark, f"CREATE TEMP TABLE checked AS {_DUPLICATES}")
    run(spark, _TRANSFERS)
    csv_file = Path(path).suffix.lower() not in (".parquet", ".jsonl", ".ndjson", ".json")
    line = F.col("row") + 1 if csv_file else F.col("row")
    field, reason = F.split_part("problem", F.lit(":"), F.lit(1)), F.expr("substr(problem, instr(problem, ':') + 1)")
    bad = spark.table("checked").where("problem IS NOT NULL").select(
        F.lit(shown).alias("file"), line.alias("line"),
        F.when(field != "line", field).alias("field"), reason.alias("reason")).orderBy("line")
    first = spark.table("checked").where("problem IS NOT NULL").select(line.alias("line"), "problem") \
        .orderBy("line").limit(MAX_PROBLEMS).collect()
    problems = []
    total = bad.count()
    if total > MAX_PROBLEMS:
        problems.append(InputProblem(shown, None, None, f"{total:,} bad rows; the first {MAX_PROBLEMS} are listed"))
    problems += [check_problem(shown, row.line, row.problem) for row in first]
    return problems, bad


def load_registers(spark: SparkSession, people: Path, relations: Path, elections: Path | None,
                   thresholds: Thresholds, calendar: WorkingCalendar) -> tuple[dict[str, Any], list[InputProblem]]:
    """People, relations and elections read on the driver; calendar days and group kinds judged there for the
    ledger's days and groups (few), exactly as ``tables`` does; all shipped to Spark, then ``receipts``."""
    register, links, periods, problems = read_registers(people, relations, elections)
    days = spark.sql("SELECT DISTINCT CAST(time AS DATE) AS day FROM transfers").collect()
    rooms = spark.sql("SELECT room, any_value(room_name) AS name FROM transfers "
                      "WHERE room IS NOT NULL GROUP BY room").collect()
    con = tables.connect(1)
    try:
        tables.load_registers(con, register.values(), links, periods)
        # load_calendar reads days and groups from `transfers`: give it those, not ten million rows.
        seen = [(datetime.combine(row.day, datetime.min.time()), None, None) for row in days]
        any_day = seen[0][0] if seen else datetime(2000, 1, 1)
        tables.insert(con, "transfers", "time TIMESTAMP, room VARCHAR, room_name VARCHAR",
                      seen + [(any_day, row.room, row.name) for row in rooms])
        tables.load_calendar(con, calendar)
        for name in REGISTERS:
            rows = con.execute(f"SELECT * FROM {name}").fetchall()
            spark.createDataFrame(rows, _schema(con, name)).createOrReplaceTempView(name)
    finally:
        con.close()
    run(spark, f"CREATE TEMP TABLE receipts AS {tables.receipts_query(thresholds)}")
    return register, problems


def _schema(con: Any, name: str) -> str:
    types = {"VARCHAR": "string", "INTEGER": "int", "BOOLEAN": "boolean", "DATE": "date"}
    return ", ".join(f"`{column}` {types[kind]}" for column, kind, *_ in con.execute(f"DESCRIBE {name}").fetchall())


def screen(spark: SparkSession, transfers: str, shown: str, *, people: Path, relations: Path,
           elections: Path | None, thresholds: Thresholds, calendar: WorkingCalendar | None = None,
           lang: str = "zh") -> tuple[LedgerResult, DataFrame]:
    """The ledger screened on Spark: the same ``LedgerResult`` as ``screen_file``, and every bad row."""
    calendar = calendar or WorkingCalendar()
    problems, bad = load_transfers(spark, transfers, shown)
    register, more = load_registers(spark, people, relations, elections, thresholds, calendar)
    rulebook = default_rulebook()
    screening = SparkScreening(spark, thresholds, register)
    findings = screening.run(compile_rules(rulebook), lang)
    stats = screening.stats() | {"bad_rows": len(problems) + len(more),
                                 "calendar_fallback_years": sorted(calendar.fallback_years)}
    result = LedgerResult(as_of=screening.as_of, rulebook=rulebook.version, thresholds=thresholds, findings=findings,
                          people=register, stats=stats, problems=problems + more, room_names=screening.rooms)
    return result, bad


def write_result(spark: SparkSession, result: LedgerResult, bad: DataFrame, out: str) -> None:
    """OUT/findings (finding records as JSON lines), OUT/summary (the report's summary) and OUT/_bad."""
    root = out.rstrip("/")
    records = [(orjson.dumps(finding.to_dict()).decode(),) for finding in result.findings]
    spark.createDataFrame(records, "value string").coalesce(1).write.mode("overwrite").text(f"{root}/findings")
    document = {key: value for key, value in result.to_dict().items() if key != "findings"}
    spark.createDataFrame([(orjson.dumps(document).decode(),)], "value string").coalesce(1) \
        .write.mode("overwrite").text(f"{root}/summary")
    bad.coalesce(1).write.mode("overwrite").json(f"{root}/_bad")
