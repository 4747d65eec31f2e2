"""`qingfeng spark scan` finds what `qingfeng scan` finds — message id, rule and fingerprint — on the bundled
examples and on a generated archive, and reports bad rows by file and line without failing the job."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.samples.synth import Generator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scan"
runner = CliRunner()


CSV_COLUMNS = ["--columns",
               "id=消息编号,time=发送时间,room_name=群名称,sender_name=发送人,text=内容,type=类型,amount=金额"]


def _local(tmp_path: Path, archive: Path, *args: str) -> tuple[int, set[tuple[str, str, str]]]:
    out = tmp_path / "local.jsonl"
    result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl", "--out", str(out), *args])
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    return result.exit_code, {(r["message_id"], r["rule"], r["fingerprint"]) for r in records}


def _spark(tmp_path: Path, *args: str) -> tuple[int, Path, str]:
    out = tmp_path / "spark"
    result = runner.invoke(app, ["spark", "scan", *args, "--out", str(out), "--master", "local[2]"])
    assert not isinstance(result.exception, Exception), result.exception  # an exit code, never a traceback
    return result.exit_code, out, result.output


def _findings(spark, out: Path) -> set[tuple[str, str, str]]:
    rows = spark.read.parquet(str(out)).select("message_id", "rule", "fingerprint").collect()
    return {tuple(row) for row in rows}


@pytest.mark.parametrize("name", ["messages.jsonl", "messages.csv", "wecom.jsonl", "wecom.jsonl.gz"])
def test_examples_give_the_same_findings(spark, tmp_path: Path, name: str) -> None:
    archive = EXAMPLES / name
    args = CSV_COLUMNS if name.endswith(".csv") else []
    code, expected = _local(tmp_path, archive, *args)
    spark_code, out, output = _spark(tmp_path, str(archive), *args)
    assert spark_code == code == 1, output
    assert expected and _findings(spark, out) == expected


def test_generated_archive_jsonl_output_and_bad_lines(spark, tmp_path: Path) -> None:
    lines = list(Generator(seed=11).lines(20_000))
    lines.insert(7_000, b"{not json\n")  # line 7001
    lines.insert(15_000, b'{"id": "x1", "time": "soon", "text": "hi"}\n')  # line 15001
    archive = tmp_path / "big.jsonl.gz"
    archive.write_bytes(gzip.compress(b"".join(lines)))
    code, expected = _local(tmp_path, archive)
    spark_code, out, output = _spark(tmp_path, str(archive), "--format", "jsonl", "--partitions", "4")
    assert spark_code == code == 1, output
    records = [orjson.loads(line) for part in out.glob("date=*/category=*/*.txt") for line in part.open("rb")]
    assert len(expected) > 1_000 and {(r["message_id"], r["rule"], r["fingerprint"]) for r in records} == expected
    # Partitioned by the message's day and the finding's category, and the folder names say so.
    part = next(out.glob("date=*/category=*/*.txt"))
    record = orjson.loads(part.open("rb").readline())
    assert part.parent.name == f"category={record['category']}" and part.parent.parent.name.startswith("date=2026-")
    bad = [orjson.loads(line) for part in (out / "_bad").glob("*.txt") for line in part.open("rb")]
    assert [(b["file"], b["line"], b["field"]) for b in bad] == [(str(archive), 7_001, None),
                                                                  (str(archive), 15_001, "time")]
    assert "big.jsonl.gz:7001: not valid JSON" in output


def test_parquet_input_and_folders(spark, tmp_path: Path) -> None:
    """A folder of Parquet files: the same findings as the JSON lines they were written from."""
    import pyarrow as pa  # with pyspark, in the spark extra
    import pyarrow.parquet as pq

    records = list(Generator(seed=4).records(3_000))
    archive = tmp_path / "messages.jsonl"
    archive.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    _, expected = _local(tmp_path, archive)
    folder = tmp_path / "parquet"
    folder.mkdir()
    columns = sorted({key for record in records for key in record})
    for n in range(2):
        part = records[n * 1_500:(n + 1) * 1_500]
        table = pa.table({c: [None if r.get(c) is None else str(r[c]) for r in part] for c in columns})
        pq.write_table(table, folder / f"part-{n}.parquet")
    code, out, output = _spark(tmp_path, str(folder))
    assert code == 1, output
    assert _findings(spark, out) == expected


def test_csv_without_its_columns_is_bad_input(spark, tmp_path: Path) -> None:
    """The whole file is one bad row (the job goes on), and with nothing read the exit code is 2."""
    odd = tmp_path / "odd.csv"
    odd.write_text("编号,备注\n1,你好\n", encoding="utf-8")
    code, out, output = _spark(tmp_path, str(odd))
    assert code == 2 and "odd.csv" in output and "编号" in output  # names the file and lists its header
    assert "编号" in next((out / "_bad").glob("*.txt")).read_text()


def test_missing_input_is_bad_input(spark, tmp_path: Path) -> None:
    code, _, output = _spark(tmp_path, str(tmp_path / "nothing.jsonl"))
    assert code == 2 and "nothing.jsonl: no such file" in output
