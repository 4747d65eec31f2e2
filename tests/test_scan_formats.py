"""Archive formats: detection, mapping to message records, gzip, bad lines reported and skipped."""

from __future__ import annotations

import gzip
import shutil
from collections import Counter
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.core.models import Message
from qingfeng.ingest.archive import detect_format, open_archive, read_archive, read_records
from qingfeng.ingest.chatcsv import parse_columns
from qingfeng.ingest.errors import InputError, InputProblem

EXAMPLES = Path(__file__).parents[1] / "examples" / "scan"
CSV_COLUMNS = "id=消息编号,time=发送时间,room_name=群名称,sender_name=发送人,text=内容,type=类型,amount=金额"
runner = CliRunner()


def _messages(path: Path, **options: object) -> list[Message]:
    return [item for _, item in read_archive(path, **options) if isinstance(item, Message)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"), [("messages.jsonl", "jsonl"), ("messages.csv", "csv"), ("wecom.jsonl", "wecom")]
)
def test_examples_are_detected(name: str, expected: str) -> None:
    with open_archive(EXAMPLES / name) as archive:
        assert archive.format == expected


def test_gzip_is_read_as_its_content(tmp_path: Path) -> None:
    packed = tmp_path / "archive.jsonl.gz"
    with (EXAMPLES / "messages.jsonl").open("rb") as plain, gzip.open(packed, "wb") as out:
        shutil.copyfileobj(plain, out)
    with open_archive(packed) as archive:
        assert archive.compressed and archive.format == "jsonl"
    assert _messages(packed) == _messages(EXAMPLES / "messages.jsonl")


def test_detect_format_from_first_line() -> None:
    assert detect_format(b'{"msgid": "a", "action": "switch", "time": 1}\n') == "wecom"
    assert detect_format(b'\xef\xbb\xbf{"text": "hi"}\n') == "jsonl"
    assert detect_format(b"not json\n") == "csv"


def test_wecom_records_map_to_messages() -> None:
    skipped: Counter[str] = Counter()
    with open_archive(EXAMPLES / "wecom.jsonl") as archive:
        items = list(read_records(archive, skipped=skipped))
    messages = {item.id: item for _, item in items if isinstance(item, Message) and not item.recalled}
    packet = messages["CAQQs010"]
    assert (packet.type, packet.amount, packet.channel) == ("redpacket", 6.66, "group")
    assert packet.text == "恭喜发财，大吉大利"
    assert messages["CAQQs004"].type == "file" and "名单" in messages["CAQQs004"].text
    assert messages["CAQQs022"].type == "link"
    private = messages["CAQQs006"]
    assert (private.channel, private.receiver, private.room) == ("private", "zhangju", None)
    assert private.time is not None and private.time.isoformat() == "2026-03-03T14:02:00+08:00"
    assert skipped == Counter({"switch": 1, "msgtype vote": 1})
    problems = [item for _, item in items if isinstance(item, InputProblem)]
    assert [(p.line, p.field) for p in problems] == [(14, "msgtime")]


def test_wecom_recall_is_kept_and_marked() -> None:
    recalls = [m for m in _messages(EXAMPLES / "wecom.jsonl") if m.recalled]
    assert [(m.id, m.text) for m in recalls] == [("CAQQs004", "")]


def test_wecom_unknown_msgtype_is_counted_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    lines = [
        {"msgid": "1", "action": "send", "from": "a", "tolist": ["b"], "roomid": "", "msgtime": 1,
         "msgtype": "hologram"},
        {"msgid": "2", "action": "send", "from": "a", "tolist": ["b"], "roomid": "", "msgtime": 2,
         "msgtype": "redpacket", "redpacket": {"type": 1, "wish": "x", "totalamount": "30"}},
        {"msgid": "3", "action": "send", "from": "a", "tolist": ["b"], "roomid": "", "msgtime": 3,
         "msgtype": "text", "text": {"content": "你好"}},
    ]
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines))
    skipped: Counter[str] = Counter()
    with open_archive(path) as archive:
        items = list(read_records(archive, skipped=skipped))
    assert skipped == Counter({"msgtype hologram": 1})
    assert items[0] == (2, InputProblem(str(path), 2, "redpacket.totalamount",
                                        "amount in fen must be a whole number (got '30')"))
    assert isinstance(items[1][1], Message) and items[1][1].text == "你好"


def test_csv_with_column_mapping() -> None:
    items = list(read_archive(EXAMPLES / "messages.csv", columns=parse_columns(CSV_COLUMNS)))
    messages = [item for _, item in items if isinstance(item, Message)]
    assert len(messages) == 24
    first = messages[0]
    assert (first.id, first.room_name, first.channel) == ("s001", "县税务局办公室工作群", "group")
    assert first.sender_name == "周敏"
    assert first.time is not None and first.time.isoformat() == "2026-03-02T09:05:00+08:00"
    problems = [item for _, item in items if isinstance(item, InputProblem)]
    assert [(p.line, p.field) for p in problems] == [(26, "金额")]


def test_chinese_headers_need_no_column_mapping() -> None:
    messages = [item for _, item in read_archive(EXAMPLES / "messages.csv") if isinstance(item, Message)]
    assert messages[0].id == "s001" and messages[0].room_name == "县税务局办公室工作群"
    assert messages[0].sender_name == "周敏" and messages[0].text.startswith("各位同事")


def test_csv_without_text_column_lists_the_header_found(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("when,words\n2026-03-02 09:00,你好\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_archive(path))
    assert "when | words" in caught.value.describe("zh") and "消息内容" in caught.value.describe("zh")


def test_parse_columns_rejects_unknown_fields() -> None:
    assert parse_columns("time=发送时间, text=内容") == {"time": "发送时间", "text": "内容"}
    with pytest.raises(ValueError, match="unknown field"):
        parse_columns("when=时间")
    with pytest.raises(ValueError, match="field=column"):
        parse_columns("text")


def test_cli_scans_each_format_alike(tmp_path: Path) -> None:
    """The same conversation in three formats gives the same secrecy findings."""
    rules = []
    for name, extra in (("messages.jsonl", []), ("messages.csv", ["--columns", CSV_COLUMNS]),
                        ("wecom.jsonl", []), ("wecom.jsonl.gz", [])):
        out = tmp_path / f"{name}.jsonl"
        result = runner.invoke(app, ["scan", str(EXAMPLES / name), "--format", "jsonl", "--out", str(out), *extra])
        assert result.exit_code == 1, result.output
        records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
        rules.append(sorted(r["rule"] for r in records if r["category"] == "secrecy"))
    assert rules[0] and all(found == rules[0] for found in rules)


def test_cli_input_format_override_and_bad_mapping(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(EXAMPLES / "wecom.jsonl"), "--input-format", "jsonl", "--format", "json",
                                 "--out", str(tmp_path / "r.json")])
    document = orjson.loads((tmp_path / "r.json").read_bytes())
    assert result.exit_code in (0, 1) and document["summary"]["skipped"] == {}
    result = runner.invoke(app, ["scan", str(EXAMPLES / "messages.csv"), "--columns", "when=x"])
    assert result.exit_code == 2 and "unknown field" in result.output


def test_cli_corrupt_gzip_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress((EXAMPLES / "messages.jsonl").read_bytes())[:200])
    result = runner.invoke(app, ["scan", str(path)])
    assert result.exit_code == 2 and "broken.jsonl.gz" in result.output and "Traceback" not in result.output
