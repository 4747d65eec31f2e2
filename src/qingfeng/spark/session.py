"""The Spark session both commands share: the cluster's own settings, or bounded local ones for a laptop."""

from __future__ import annotations

import os
import shutil
import sys

from pyspark.sql import SparkSession

# Times without a zone are China Standard Time, as in `qingfeng scan` and the DuckDB ledger.
ZONE = "Asia/Shanghai"


def java_missing() -> str | None:
    """Why Spark cannot start here, or None: PySpark needs a Java runtime (17 or later)."""
    if os.environ.get("JAVA_HOME") or shutil.which("java"):
        return None
    return "no Java runtime: install openjdk-17-jre-headless or set JAVA_HOME"


def session(master: str | None = None, app: str = "qingfeng") -> SparkSession:
    """A session on MASTER. Under spark-submit (which already started the JVM) the cluster's settings stand;
    otherwise local mode, bounded for a shared machine (2 GB driver, few shuffle partitions)."""
    builder = SparkSession.builder.appName(app).config("spark.sql.session.timeZone", ZONE) \
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    if master:
        builder = builder.master(master)
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit: we start Spark here
        # Local executors run this interpreter (with qingfeng installed).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        if not master:
            builder = builder.master(os.environ.get("QINGFENG_SPARK_MASTER", "local[*]"))
        builder = (
            builder.config("spark.driver.memory", os.environ.get("QINGFENG_SPARK_DRIVER_MEMORY", "2g"))
            .config("spark.sql.shuffle.partitions", os.environ.get("QINGFENG_SPARK_SHUFFLE_PARTITIONS", "8"))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("FATAL")  # failures are reported once, by the command
    return spark
