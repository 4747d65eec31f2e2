"""Spark in local mode (``local[2]``) for the spark tests. They need PySpark (``qingfeng[spark]``) and a Java
runtime (Debian's openjdk-17-jre-headless); outside CI a missing one skips with the reason, under CI=true it
fails."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


def _require(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    try:
        from qingfeng.spark.session import java_missing, session
    except ImportError:
        _require("the Spark tests need pyspark: pip install 'qingfeng[spark]'")
    if reason := java_missing():
        _require(f"the Spark tests need Java: {reason}")
    os.environ["QINGFENG_SPARK_SHUFFLE_PARTITIONS"] = "4"
    started = session("local[2]", app="qingfeng-tests")
    yield started
    started.stop()
