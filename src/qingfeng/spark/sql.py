"""DuckDB SQL → Spark SQL: the ledger's queries keep one source (``ledger/sql/*.sql``) and are transpiled by
SQLGlot, with the few constructs Spark lacks rewritten on the syntax tree:

- ``list(x ORDER BY k)``: Spark's ``collect_list`` has no order, so collect (k, x) pairs, sort, keep x;
- ``isinf(x)``: no such function, compare with infinity;
- ``x::TIME`` against ``TIME '08:30'``: no TIME type before Spark 4.1, so compare HH:mm:ss text;
- ``unnest(…)::DATE``: a generator cannot sit inside a cast, so cast the elements instead.

``CREATE … TABLE name AS SELECT`` statements become cached temporary views (Spark cannot replace temp tables).
"""

from __future__ import annotations

from datetime import time
from functools import cache

import sqlglot
from pyspark.sql import DataFrame, SparkSession
from sqlglot import exp


@cache
def to_spark(query: str) -> str:
    """The Spark SQL of one DuckDB SELECT (comments dropped)."""
    tree = sqlglot.parse_one(query, read="duckdb").transform(_rewrite)
    return tree.sql(dialect="spark", comments=False)


def run(spark: SparkSession, query: str) -> DataFrame:
    """A DuckDB statement run on Spark: a SELECT's rows, or ``CREATE … name AS SELECT`` as a cached view."""
    tree = sqlglot.parse_one(query, read="duckdb")
    if isinstance(tree, exp.Create):
        name = tree.this.name
        frame = spark.sql(to_spark(tree.expression.sql(dialect="duckdb"))).cache()
        frame.createOrReplaceTempView(name)
        return frame
    return spark.sql(to_spark(query))


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _sorted_list(node.this)
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Explode | exp.Unnest):
        return exp.Explode(this=exp.func("TRANSFORM", node.this.this.copy(), exp.Lambda(
            this=exp.Cast(this=exp.column("x"), to=node.to.copy()), expressions=[exp.to_identifier("x")])))
    if isinstance(node, exp.IsInf):
        return exp.EQ(this=exp.Abs(this=node.this.copy()), expression=sqlglot.parse_one("DOUBLE('Infinity')"))
    if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.TIME:
        if isinstance(node.this, exp.Literal):
            return exp.Literal.string(time.fromisoformat(node.this.name).isoformat(timespec="seconds"))
        return exp.func("DATE_FORMAT", node.this.copy(), exp.Literal.string("HH:mm:ss"))
    return node


def _sorted_list(order: exp.Order) -> exp.Expression:
    """``TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(k0, k1, …, value))), e -> e.v)``: sorted by the keys."""
    keys = [ordered.this.copy() for ordered in order.expressions]
    if any(ordered.args.get("desc") for ordered in order.expressions):
        raise ValueError("descending list order is not supported on Spark")
    fields = [exp.PropertyEQ(this=exp.to_identifier(f"k{n}"), expression=key) for n, key in enumerate(keys)]
    fields.append(exp.PropertyEQ(this=exp.to_identifier("v"), expression=order.this.copy()))
    pairs = exp.func("COLLECT_LIST", exp.Struct(expressions=fields))
    take = exp.Lambda(this=exp.column("v", table="e"), expressions=[exp.to_identifier("e")])
    return exp.func("TRANSFORM", exp.func("ARRAY_SORT", pairs), take)
