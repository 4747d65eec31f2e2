"""Reading ledgers: CSV, JSONL and Parquet; bad rows named by file, line and field, the rest kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingfeng.ingest.errors import InputError
from qingfeng.ingest.relations import read_elections, read_relations
from qingfeng.ingest.transfers import load_transfers
from qingfeng.ledger import tables

HEADER = "id,time,kind,sender,receiver,amount,room,room_name,packet,memo,status,returned_at\n"


def _load(path: Path) -> tuple[list[tuple], list[str]]:
    con = tables.connect(threads=1)
    problems = load_transfers(con, path)
    rows = con.execute("SELECT id, time::VARCHAR, kind, amount, packet, status FROM transfers ORDER BY id").fetchall()
    return rows, [str(problem) for problem in problems]


def test_csv_bad_rows_are_reported_with_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "transfers.csv"
    path.write_text(
        HEADER
        + "t1,2024-03-04 20:00,transfer,c1,p1,100,,,,,,\n"
        + "t2,2024-13-40 20:00,transfer,c1,p1,100,,,,,,\n"
        + '\nt3,2024-03-04 20:00,transfer,c1,p1,100,,,,"a memo\nover two lines",,\n'
        + "t4,2024-03-04 20:00,cash,c1,p1,100,,,,,,\n"
        + "t5,2024-03-04 20:00,redpacket,c1,p1,-5,,,,,,\n"
        + "t6,2024-03-04T12:00:00+00:00,redpacket,c1,p1,1e2,r1,群,k1,,returned,2024-03-05\n"
        + "t7,2024-03-04 20:00,transfer,,p1,100,,,,,,\n"
        + "t1,2024-03-05 20:00,transfer,c1,p1,100,,,,,,\n"
        + "t8,2024-03-04 20:00,transfer,c1,p1,abc,,,,,lost,\n",
        encoding="utf-8",
    )
    rows, problems = _load(path)
    assert [row[0] for row in rows] == ["t1", "t3", "t6"]
    assert rows[2] == ("t6", "2024-03-04 20:00:00", "redpacket", 100.0, "k1", "returned")  # UTC → Shanghai
    assert rows[0][4:] == ("t1", "received")  # no packet: its own; no status: received
    where = tmp_path / "transfers.csv"
    assert problems == [
        f"{where}:3: time: expected a time such as 2026-03-02 09:05 (got '2024-13-40 20:00')",
        f"{where}:7: kind: expected redpacket, transfer or giftcard (got 'cash')",
        f"{where}:8: amount: expected an amount of yuan, not negative (got '-5')",
        f"{where}:10: sender: missing",
        f"{where}:11: id: the id t1 is repeated; the first row is kept",
        f"{where}:12: amount: expected a number (got 'abc')",
    ]


def test_jsonl_lines_that_are_not_json_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "transfers.jsonl"
    path.write_text(
        '{"id": "t1", "time": "2024-03-04 20:00", "kind": "transfer", "sender": "c1", "receiver": "p1", "amount": 9}\n'
        "\n"
        "{not json\n"
        '{"id": 2, "time": "2024-03-04 20:00", "kind": "giftcard", "sender": "c1", "receiver": "p1", "amount": "x"}\n'
        '{"id": "t3", "time": "2024-03-04 20:00", "kind": "redpacket", "sender": "c1", "receiver": "p1", '
        '"amount": 1.5, "extra": true}\n',
        encoding="utf-8",
    )
    rows, problems = _load(path)
    assert [row[0] for row in rows] == ["t1", "t3"]
    assert problems == [f"{path}:3: not valid JSON", f"{path}:4: amount: expected a number (got 'x')"]


def test_parquet_is_read(tmp_path: Path) -> None:
    source = tmp_path / "t.csv"
    source.write_text(HEADER + "t1,2024-03-04 20:00,transfer,c1,p1,100,,,,,,\n", encoding="utf-8")
    con = tables.connect(threads=1)
    con.execute(f"COPY (SELECT * FROM read_csv('{source}')) TO '{tmp_path / 't.parquet'}' (FORMAT parquet)")
    rows, problems = _load(tmp_path / "t.parquet")
    assert [row[0] for row in rows] == ["t1"] and not problems


@pytest.mark.parametrize(
    ("content", "complaint"),
    [("id,time,kind\nt1,2024-03-04,transfer\n", "missing column(s): sender, receiver, amount"), (None, "no such file")],
)
def test_unreadable_ledgers_are_input_errors(tmp_path: Path, content: str | None, complaint: str) -> None:
    path = tmp_path / "transfers.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_transfers(tables.connect(threads=1), path)
    assert str(path) in str(raised.value) and complaint in str(raised.value)


def test_relations_and_elections_report_bad_rows(tmp_path: Path) -> None:
    relations = tmp_path / "relations.csv"
    relations.write_text("official,counterparty,relation\np1,c1,Client\np1,c2,lover\n", encoding="utf-8")
    found, problems = read_relations(relations)
    assert [r.relation for r in found] == ["client"]
    assert str(problems[0]).startswith(f"{relations}:3: relation:")
    elections = tmp_path / "elections.csv"
    elections.write_text("unit,start,end\n财政局,2024-03-10,2024-03-20\n税务局,2024-03-10,2024-03-01\n", "utf-8")
    periods, problems = read_elections(elections)
    assert len(periods) == 1 and "end is before start" in str(problems[0]) and ":3:" in str(problems[0])


def test_csv_rows_of_the_wrong_width_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "transfers.csv"
    path.write_text(
        HEADER
        + "t1,2024-03-04 20:00,transfer,c1,p1,100,,,,,,\n"
        + "t2,2024-03-04 20:00,transfer,c1,p1,100,,,,,,,surplus\n"
        + "t3,2024-03-04 20:00\n"
        + "t4,2024-03-04 20:00,transfer,c1,p1,-1,,,,,,\n"
        + "t5,2024-03-04 20:00,transfer,c1,p1,5,,,,,,\n",
        encoding="utf-8",
    )
    rows, problems = _load(path)
    assert [row[0] for row in rows] == ["t1", "t5"]
    assert [problem.split(": ")[0] for problem in problems] == [f"{path}:{n}" for n in (3, 4, 5)]
    assert "another number of cells than the header" in problems[0] and "amount" in problems[2]
