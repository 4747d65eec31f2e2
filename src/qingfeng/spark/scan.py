"""`qingfeng spark scan`: read archives wherever Spark reads, check them in the executors, write findings.

Line formats (JSONL, WeCom records) are read line by line, numbered within their file; Parquet rows become
JSON lines of the same record; a CSV file is parsed whole in one task (its rows may span lines). Every
path is listed through Hadoop's file system, so local paths, ``hdfs://`` and ``s3a://`` work alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from qingfeng.detectors.context import CALENDAR, to_plain
from qingfeng.ingest.archive import detect_format
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.pipeline.stats import ScanStats
from qingfeng.spark.executor import OUTPUT_SCHEMA, check_batches
from qingfeng.spark.rows import numbered

INPUT_FORMATS = ("jsonl", "csv", "wecom", "parquet")
FINDING_COLUMNS = ("message_id", "rule", "category", "severity", "fingerprint", "file", "line", "lead", "date",
                   "record")


@dataclass(frozen=True)
class Source:
    """One file to read: its Hadoop path and the name the user knows it by."""

    path: str
    shown: str


def list_files(spark: SparkSession, inputs: list[str]) -> list[Source]:
    """Every file under the inputs (files, folders, globs), in name order; hidden files are skipped."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    found: list[Source] = []
    for given in inputs:
        path = jvm.org.apache.hadoop.fs.Path(given)
        fs = path.getFileSystem(conf)
        statuses = fs.globStatus(path)
        if not statuses:
            raise InputError(InputProblem(given, None, None, "no such file"))
        for status in statuses:
            if status.isFile():
                found.append(Source(status.getPath().toString(), given if len(statuses) == 1 else _local(status)))
                continue
            files = fs.listFiles(status.getPath(), True)
            inside = []
            while files.hasNext():
                child = files.next()
                name = child.getPath().getName()
                if not name.startswith((".", "_")):
                    inside.append(child.getPath().toString())
            base = status.getPath().toString()
            root = given.rstrip("/") if len(statuses) == 1 else _local(status)
            found.extend(Source(child, root + child[len(base):]) for child in sorted(inside))
    return found


def _local(status: object) -> str:
    text = status.getPath().toString()  # type: ignore[attr-defined]
    return text.removeprefix("file:")


def guess_format(spark: SparkSession, source: Source) -> str:
    """Parquet and CSV by name; otherwise the first line says JSONL or WeCom records, as for `qingfeng scan`."""
    name = source.path.lower().removesuffix(".gz")
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(".csv"):
        return "csv"
    head = spark.sparkContext.textFile(source.path, use_unicode=False).take(1)
    return detect_format(head[0] if head else b"")


def raw_rows(spark: SparkSession, sources: list[Source], input_format: str, partitions: int) -> DataFrame:
    """(file, line, value) rows: a line with its number, a Parquet row as JSON, or a whole CSV file."""
    if input_format == "csv":
        frames = [spark.read.format("binaryFile").load(s.path).select(F.lit(s.shown).alias("file"),
                                                                      F.lit(0).cast("long").alias("line"),
                                                                      F.col("content").alias("value"))
                  for s in sources]
    elif input_format == "parquet":
        frames = [spark.read.parquet(s.path)
                  .select(F.lit(s.shown).alias("file"), (F.col("_metadata.row_index") + 1).alias("line"),
                          F.to_json(F.struct("*")).cast("binary").alias("value"))
                  for s in sources]
    else:
        frames = [numbered(spark.read.text(s.path), "line")
                  .select(F.lit(s.shown).alias("file"), "line", F.col("value").cast("binary").alias("value"))
                  for s in sources]
    frame = frames[0]
    for more in frames[1:]:
        frame = frame.unionByName(more)
    # A gzip file is one split: spread its lines over the cluster before the (expensive) checking.
    return frame.repartition(partitions) if partitions else frame


def run_scan(spark: SparkSession, inputs: list[str], out: str, *, input_format: str | None = None,
             output_format: str = "parquet", lang: str = "zh", columns: dict[str, str] | None = None,
             partitions: int = 0, context: dict[str, Any] | None = None) -> ScanStats:
    """Check every message under INPUTS; write findings (by date and category) and ``_bad/`` under OUT.
    ``context`` is the checker's (calendar, window, people), built on the driver; executors get it as broadcast
    JSON, and the driver's calendar learns the years their copies judged Monday–Friday (``report_fallback``)."""
    context = context or {}
    shared = spark.sparkContext.broadcast(orjson.dumps(to_plain(context)).decode())
    sources = list_files(spark, inputs)
    if not sources:
        raise InputError(InputProblem(", ".join(inputs), None, None, "no file to read"))
    kinds: dict[str, list[Source]] = {}
    for source in sources:
        kinds.setdefault(input_format or guess_format(spark, source), []).append(source)
    stats = ScanStats()
    first = True
    for kind, group in kinds.items():
        checked = (raw_rows(spark, group, kind, partitions)
                   .mapInArrow(partial(check_batches, input_format="jsonl" if kind == "parquet" else kind,
                                       lang=lang, columns=columns, context=shared), OUTPUT_SCHEMA)
                   .persist(StorageLevel.MEMORY_AND_DISK))
        mode = "overwrite" if first else "append"
        findings = checked.where("kind = 'finding'").select(*FINDING_COLUMNS)
        writer = (findings.select("date", "category", "record").write if output_format == "jsonl"
                  else findings.write).mode(mode).partitionBy("date", "category")
        writer.text(out) if output_format == "jsonl" else writer.parquet(out)
        bad = checked.where("kind = 'bad'").select("record").orderBy("file", "line")
        bad.coalesce(1).write.mode(mode).text(f"{out.rstrip('/')}/_bad")
        for row in checked.where("kind = 'counts'").select("record").collect():
            counts = orjson.loads(row.record)
            _add_counts(stats, counts)
            if CALENDAR in context:
                context[CALENDAR].fallback_years.update(counts["fallback_years"])
        for row in bad.limit(20).collect():
            problem = orjson.loads(row.record)
            stats.problems.append(InputProblem(problem["file"], problem["line"], problem["field"], problem["reason"],
                                               problem["key"], tuple(map(tuple, problem["params"]))))
        checked.unpersist()
        first = False
    shared.unpersist()
    return stats


def _add_counts(stats: ScanStats, counts: dict) -> None:
    part = ScanStats(messages=counts["messages"], flagged=counts["flagged"], attention=counts["attention"],
                     bad_lines=counts["bad_lines"], skipped=Counter(counts["skipped"]),
                     by_category_severity=Counter({(c, s): n for c, s, n in counts["by"]}))
    stats.merge(part)
