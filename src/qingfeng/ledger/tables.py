"""The DuckDB tables every rule's query reads, built once per screening.

transfers   the typed ledger (qingfeng.ingest.transfers)
people      id, name, unit, rank, official
relations   official, counterparty, relation — one row per pair, the most telling relation first
elections   unit, start, end
workdays    day, workday — the Chinese working calendar for the ledger's days
room_kinds  room, name, kind, work — work / branch / family … inferred from the group's name
receipts    transfers received by officials, with the relation, names and the working-hours flag
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import duckdb

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.ingest.people import Person
from qingfeng.ingest.relations import RELATIONS, Election, Relationship
from qingfeng.ledger.config import Thresholds
from qingfeng.text.rooms import WORK_ROOMS, infer_room_kind


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'Asia/Shanghai'")  # times without a zone are China Standard Time
    con.execute(f"SET threads = {threads or os.cpu_count() or 1}")
    return con


def insert(con: duckdb.DuckDBPyConnection, table: str, columns: str, rows: Sequence[Sequence[object]]) -> None:
    """(Re)create a table from rows, passed as one list per column: one statement, not one per row."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")
    if not rows:
        return
    names = [part.split()[0] for part in columns.split(", ")]
    types = [part.split()[1] for part in columns.split(", ")]
    unnests = ", ".join(f"unnest(?::{kind}[])" for kind in types)
    columns_data = [list(column) for column in zip(*rows, strict=True)]
    con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {unnests}", columns_data)


def load_registers(
    con: duckdb.DuckDBPyConnection,
    people: Iterable[Person],
    relations: Iterable[Relationship],
    elections: Iterable[Election],
) -> None:
    insert(con, "people", "id VARCHAR, name VARCHAR, unit VARCHAR, rank INTEGER, official BOOLEAN",
            [(p.id, p.name, p.unit, p.rank, bool(p.official)) for p in people])
    insert(con, "relation_rows", "official VARCHAR, counterparty VARCHAR, relation VARCHAR",
            [(r.official, r.counterparty, r.relation) for r in relations])
    # RELATIONS lists the interested relations first: a client who is also a friend is a client.
    ranks = ", ".join(f"('{name}', {rank})" for rank, name in enumerate(RELATIONS))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE relations AS
        SELECT official, counterparty, arg_min(relation, rank) AS relation
        FROM relation_rows JOIN (VALUES {ranks}) AS r(name, rank) ON r.name = relation
        GROUP BY official, counterparty
    """)
    insert(con, "elections", "unit VARCHAR, start DATE, \"end\" DATE",
            [(e.unit, e.start, e.end) for e in elections])


def load_calendar(con: duckdb.DuckDBPyConnection, calendar: WorkingCalendar) -> None:
    """The working calendar for the ledger's days and the kind of each group, both judged in Python once."""
    days = [row[0] for row in con.execute("SELECT DISTINCT time::DATE FROM transfers").fetchall()]
    insert(con, "workdays", "day DATE, workday BOOLEAN", [(day, calendar.is_workday(day)) for day in days])
    rooms = con.execute("SELECT room, any_value(room_name) FROM transfers WHERE room IS NOT NULL GROUP BY room")
    insert(con, "room_kinds", "room VARCHAR, name VARCHAR, kind VARCHAR, work BOOLEAN",
           [(room, name, kind, kind in WORK_ROOMS) for room, name in rooms.fetchall()
            for kind in [infer_room_kind(name)]])


def build_receipts(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE receipts AS {receipts_query(thresholds)}")


def receipts_query(thresholds: Thresholds) -> str:
    """The receipts table's query (also run, transpiled, by qingfeng.spark)."""
    window = thresholds.window
    return f"""
        SELECT t.*,
               o.name AS subject_name,
               coalesce(s.name, t.sender) AS sender_name,
               r.relation,
               coalesce(k.work AND w.workday AND t.time::TIME >= TIME '{window.start}'
                        AND t.time::TIME < TIME '{window.end}', false) AS work_hours_group
        FROM transfers t
        JOIN people o ON o.id = t.receiver AND o.official
        LEFT JOIN people s ON s.id = t.sender
        LEFT JOIN relations r ON r.official = t.receiver AND r.counterparty = t.sender
        LEFT JOIN room_kinds k ON k.room = t.room
        LEFT JOIN workdays w ON w.day = t.time::DATE
        WHERE t.sender <> t.receiver
    """
