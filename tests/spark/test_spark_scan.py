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


def _local(tmp_path: Path, archive: Path, *args: str) -> tuple[int, set[tuple[str, str, str, str]]]:
    out = tmp_path / "local.jsonl"
    result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl", "--out", str(out), *args])
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    return result.exit_code, {_key(r) for r in records}


KEY = ("message_id", "rule", "fingerprint", "severity")  # a finding, as both commands write it


def _key(record: dict) -> tuple[str, str, str, str]:
    return tuple(record[name] for name in KEY)  # type: ignore[return-value]


def _spark(tmp_path: Path, *args: str) -> tuple[int, Path, str]:
    out = tmp_path / "spark"
    result = runner.invoke(app, ["spark", "scan", *args, "--out", str(out), "--master", "local[2]"])
    assert not isinstance(result.exception, Exception), result.exception  # an exit code, never a traceback
    return result.exit_code, out, result.output


def _findings(spark, out: Path) -> set[tuple[str, str, str, str]]:
    rows = spark.read.parquet(str(out)).select(*KEY).collect()
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
    assert len(expected) > 1_000 and {_key(r) for r in records} == expected
    # Partitioned by the message's day and the finding's category, and the folder names say so.
    part = next(out.glob("date=*/category=*/*.txt"))
    record = orjson.loads(part.open("rb").readline())
    assert part.parent.name == f"category={record['category']}" and part.parent.parent.name.startswith("date=2026-")
    bad = [orjson.loads(line) for part in (out / "_bad").glob("*.txt") for line in part.open("rb")]
    assert [(b["file"], b["line"], b["field"]) for b in bad] == [(str(archive), 7_001, None),
                                                                  (str(archive), 15_001, "time")]
    assert "big.jsonl.gz 第 7001 行：不是有效的 JSON" in output  # in the user's language


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


# A Wednesday notice, a notice at 21:30 on a Thursday, a voice message from a clerk to the head, a notice in 2040.
CONTEXT_MESSAGES = [
    {"id": "h1", "time": "2026-03-04T10:00:00+08:00", "channel": "group", "room_name": "县税务局办公室工作群",
     "text": "各位同事：请于周五前报送一季度台账。——办公室"},
    {"id": "w1", "time": "2026-03-05T21:30:00+08:00", "channel": "group", "room_name": "县财政局办公室工作群",
     "text": "通知：明天上午8:30在三楼会议室召开全体干部职工大会，请勿迟到。——局办公室"},
    {"id": "v1", "time": "2026-03-05T10:00:00+08:00", "channel": "private", "type": "voice", "sender": "u-clerk",
     "receiver": "u-head", "text": "（语音）王局，村里道路硬化的验收资料我下午给您送过来"},
    {"id": "y1", "time": "2040-03-07T10:00:00+08:00", "channel": "group", "room_name": "县税务局办公室工作群",
     "text": "各位同事：请于周五前报送一季度台账。——办公室"},  # a year no calendar knows
]


def _context_files(folder: Path) -> list[str]:
    """Registers as an office keeps them: GBK CSV with Chinese headers; the register's line 4 cannot be used."""
    (folder / "假日.csv").write_bytes("日期,类型,名称\n2026-03-04,节假日,临时休假\n".encode("gbk"))
    (folder / "人员.csv").write_bytes("编号,姓名,单位,职级\nu-clerk,李明,镇政府,1\nu-head,王强,镇政府,5\n"
                                      "u-odd,赵六,镇政府,高\n".encode("gbk"))
    return ["--holidays", "假日.csv", "--window", "08:00-21:00", "--people", "人员.csv"]


def test_holidays_window_and_people_as_for_a_local_scan(spark, tmp_path: Path, monkeypatch) -> None:
    """The options change the timing and rank-aware findings on Spark exactly as they do for `qingfeng scan`."""
    monkeypatch.chdir(tmp_path)  # the files as the user names them
    archive = tmp_path / "context.jsonl"
    archive.write_bytes(b"".join(orjson.dumps(m) + b"\n" for m in CONTEXT_MESSAGES))
    options = _context_files(tmp_path)
    _, plain = _local(tmp_path, archive)
    code, expected = _local(tmp_path, archive, *options)
    spark_code, out, output = _spark(tmp_path, str(archive), *options)
    assert spark_code == code == 1, output
    assert "没有 2040 年的节假日安排" in output  # said once, as `qingfeng scan` says it
    assert _findings(spark, out) == expected
    # What the options changed: the holiday and the shorter window make the notices off-hours, and the
    # register makes the voice message a clear breach rather than advice.
    changed = {(m, rule, severity) for m, rule, _, severity in expected - plain}
    assert {("h1", "ETQ003", "warn"), ("w1", "ETQ003", "warn"), ("v1", "ETQ013", "warn")} <= changed
    assert not {(m, rule) for m, rule, _, _ in plain} & {("h1", "ETQ003"), ("w1", "ETQ003")}
    # The register's bad row is reported (file as named, line, field) and left out; the run goes on.
    assert "人员.csv 第 4 行" in output and "「职级」" in output  # named as the file names the column
    _, out, _ = _spark(tmp_path, str(archive))  # and without them, as without them locally
    assert _findings(spark, out) == plain


@pytest.mark.parametrize(("lang", "expected"), [("zh", "假日.csv 第 3 行，「date」"), ("en", "假日.csv:3: date:")])
def test_bad_holiday_file_names_file_line_and_field(tmp_path: Path, monkeypatch, lang: str, expected: str) -> None:
    """Read on the driver before Spark starts: exit 2, in the user's language, as `qingfeng scan` says it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "假日.csv").write_bytes("日期,类型\n2026-03-04,节假日\n三月五日,节假日\n".encode("gbk"))
    archive = tmp_path / "m.jsonl"
    archive.write_bytes(orjson.dumps(CONTEXT_MESSAGES[0]) + b"\n")
    args = [str(archive), "--holidays", "假日.csv", "--lang", lang]
    local = runner.invoke(app, ["scan", *args])
    code, _, output = _spark(tmp_path, *args)
    assert code == local.exit_code == 2 and expected in output
    assert output.strip() == local.output.strip()


def test_bad_window_is_bad_usage(tmp_path: Path) -> None:
    code, _, output = _spark(tmp_path, str(tmp_path / "m.jsonl"), "--window", "8-22")
    assert code == 2 and "08:00-22:00" in output
