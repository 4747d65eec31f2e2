"""`qingfeng groups audit` end to end on the example register, with a local robot for --notify."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from groups_helpers import EXAMPLES, Robot, write_csv
from typer.testing import CliRunner

from qingfeng.cli import app

FILES = [
    "--groups",
    str(EXAMPLES / "groups.csv"),
    "--members",
    str(EXAMPLES / "members.csv"),
    "--people",
    str(EXAMPLES / "people.csv"),
]
ARCHIVE = ["--archive", str(EXAMPLES / "archive.jsonl")]
AS_OF = ["--as-of", "2024-05-20"]


def _run(*args: str):
    return CliRunner().invoke(app, ["groups", "audit", *args])


def test_the_example_register_in_text() -> None:
    result = _run(*FILES, *ARCHIVE, *AS_OF)
    assert result.exit_code == 1, result.output
    out = result.stdout
    for expected in (
        "县财政局办公室工作群 [g01]",
        "GRP001",
        "GRP002",
        "GRP003",
        "GRP004",
        "GRP005",
        "GRP006",
        "GRP007",
        "装修王师傅",
        "各群消息情况",
    ):
        assert expected in out
    assert "groups.csv 第 9 行，「kind」" in result.stderr and "archive.jsonl 第 22 行" in result.stderr


def test_json_document_is_reproducible_and_complete() -> None:
    first = _run(*FILES, *ARCHIVE, *AS_OF, "--format", "json")
    again = _run(*FILES, *ARCHIVE, *AS_OF, "--format", "json")
    assert first.exit_code == again.exit_code == 1
    assert first.stdout == again.stdout
    document = json.loads(first.stdout)
    assert document["as_of"] == "2024-05-20" and document["rulebook"]
    counts = {rule: sum(by.values()) for rule, by in document["summary"]["by_rule"].items()}
    assert counts == {
        "GRP001": 2,
        "GRP002": 2,
        "GRP003": 1,
        "GRP004": 2,
        "GRP005": 2,
        "GRP006": 2,
        "GRP007": 1,
    }
    assert document["summary"]["archive"]["outside_register"] == 1
    assert len(document["problems"]) == 5
    assert {row["room"] for row in document["activity"]} == {"g01", "g02", "g03", "g06"}
    stale = [f for f in document["findings"] if f["rule"] == "GRP004"]
    # p008 moved exactly 30 days before the audit day: not yet; p009 moved 31 days before: flagged.
    assert sorted(f["member"] for f in stale) == ["p007", "p009"]
    daily = {f["day"]: f["missing"] for f in document["findings"] if f["rule"] == "GRP006"}
    assert daily == {"2024-05-11": ["p011"], "2024-05-15": ["p006"]}  # 05-11: a Saturday worked (调休)
    notice = next(f for f in document["findings"] if f["rule"] == "GRP005" and f["room"] == "g02")
    assert notice["deadline"] == "2024-05-11" and notice["missing"] == ["p004", "p005"]
    for finding in document["findings"]:
        assert finding["category"] == "group" and "room" in finding and "member" in finding and finding["fingerprint"]


def test_an_earlier_audit_day_sees_less(tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    result = _run(*FILES, *ARCHIVE, "--as-of", "2024-05-13", "--format", "jsonl", "--out", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    findings = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert not [f for f in findings if f["rule"] == "GRP004" and f["member"] == "p009"]  # 24 days only
    assert {f["day"] for f in findings if f["rule"] == "GRP006"} == {"2024-05-11"}
    assert not [f for f in findings if f["rule"] == "GRP007"]  # sent on 05-14


def test_text_can_go_to_a_file_and_english(tmp_path: Path) -> None:
    out = tmp_path / "audit.txt"
    result = _run(*FILES, *AS_OF, "--out", str(out), "--lang", "en")
    assert result.exit_code == 1 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "Work-group audit (as of 2024-05-20)" in text and "No archive" in text and "\x1b[" not in text


def test_a_clean_register_exits_zero(tmp_path: Path) -> None:
    groups = write_csv(tmp_path / "g.csv", "room,room_name,kind,owner", ["g1,办公室工作群,work,p1"])
    members = write_csv(tmp_path / "m.csv", "room,member,remark", ["g1,p1,财政局-张三"])
    people = write_csv(tmp_path / "p.csv", "id,name,unit", ["p1,张三,财政局"])
    result = _run("--groups", str(groups), "--members", str(members), "--people", str(people), *AS_OF)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.stdout


def test_remark_formats_from_the_command_line(tmp_path: Path) -> None:
    groups = write_csv(tmp_path / "g.csv", "room,room_name,kind,owner", ["g1,办公室工作群,work,p1"])
    members = write_csv(tmp_path / "m.csv", "room,member,remark", ["g1,p1,张三（财政局）"])
    people = write_csv(tmp_path / "p.csv", "id,name,unit", ["p1,张三,财政局"])
    files = ["--groups", str(groups), "--members", str(members), "--people", str(people), *AS_OF]
    assert _run(*files).exit_code == 1
    assert _run(*files, "--remark-format", "姓名(单位)").exit_code == 0
    refused = _run(*files, "--remark-format", "{nickname}")
    assert refused.exit_code == 2 and "nickname" in refused.stderr


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--as-of", "2024-13-01"], "YYYY-MM-DD"),
        (["--notify"], "--webhooks"),
        (["--archive", "/nowhere/archive.jsonl"], "/nowhere/archive.jsonl"),
        (["--holidays", "/nowhere/holidays.csv"], "/nowhere/holidays.csv"),
    ],
)
def test_bad_usage_exits_two(args: list[str], complaint: str) -> None:
    result = _run(*FILES, *args)
    assert result.exit_code == 2
    assert complaint in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_register_file_without_its_columns_exits_two(tmp_path: Path) -> None:
    groups = write_csv(tmp_path / "groups.csv", "room,name", ["g1,群"])
    result = _run("--groups", str(groups), *FILES[2:], *AS_OF)
    assert result.exit_code == 2
    assert "groups.csv 第 1 行：缺少列：kind, owner。文件的表头是：room | name" in result.stderr


def _webhooks(tmp_path: Path, server: Robot) -> Path:
    path = tmp_path / "webhooks.toml"
    owners = "\n".join(f'{owner} = "{server.url(owner)}"' for owner in ("p001", "p002", "p003"))
    path.write_text(f'retries = 1\nbackoff = 0\nfallback = "{server.url("office")}"\n\n[owners]\n{owners}\n', "utf-8")
    return path


def test_notify_sends_one_alert_per_owner(tmp_path: Path, robot) -> None:
    server = robot()
    result = _run(*FILES, *ARCHIVE, *AS_OF, "--notify", "--webhooks", str(_webhooks(tmp_path, server)))
    assert result.exit_code == 1, result.stderr
    keys = sorted(path.rsplit("=", 1)[1] for path, _ in server.received)
    # p001 (g01), p002 (g02), p003 (g03); g04 has no owner and g05's owner p099 has no robot: the fallback.
    assert keys == ["office", "office", "p001", "p002", "p003"]
    contents = {path.rsplit("=", 1)[1]: body["markdown"]["content"] for path, body in server.received}
    assert "县财政局办公室工作群" in contents["p001"] and "GRP007" in contents["p001"]
    assert "乡农经站-马红" in contents["p003"]
    assert result.stderr.count("已提醒") == 5


def test_notify_failure_exits_two_after_writing_the_report(tmp_path: Path, robot) -> None:
    server = robot([(200, {"errcode": 93000, "errmsg": "invalid webhook url"})])
    out = tmp_path / "audit.json"
    args = [
        *FILES,
        *AS_OF,
        "--format",
        "json",
        "--out",
        str(out),
        "--notify",
        "--webhooks",
        str(_webhooks(tmp_path, server)),
    ]
    result = _run(*args)
    assert result.exit_code == 2
    assert "errcode 93000: invalid webhook url" in result.stderr and "key=…" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
