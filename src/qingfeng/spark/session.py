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
    """A session on MASTER (None: whatever spark-submit or the environment chose, else local[*])."""
    # Local executors run this interpreter (with qingfeng installed); a cluster names its own.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    elif "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.config("spark.master", os.environ.get("QINGFENG_SPARK_MASTER", "local[*]"))
    spark = (
        builder.config("spark.sql.session.timeZone", ZONE)
        .config("spark.driver.memory", os.environ.get("QINGFENG_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("QINGFENG_SPARK_SHUFFLE_PARTITIONS", "8"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("FATAL")  # failures are reported once, by the command
    return spark
