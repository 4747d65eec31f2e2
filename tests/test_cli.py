"""The command line: exit statuses, output contracts, and bad input reported without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.rulebook.loader import Rulebook

runner = CliRunner()
FINDING_KEYS = {"message_id", "rule", "category", "severity", "start", "end", "excerpt", "advice", "sources"}


def _record(**fields) -> str:
    record = {"id": "x", "channel": "group", "room_name": "县财政局办公室工作群", **fields}
    return json.dumps(record, ensure_ascii=False)


def test_check_clean_message_exits_0() -> None:
    result = runner.invoke(app, ["check", "明天上午九点开会，请准时参加。"])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_check_finding_exits_1_and_shows_advice() -> None:
    argv = ["check", "这是机密文件，大家别外传", "--channel", "group", "--room-name", "某局工作群"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 1
    assert "SEC001" in result.output and "建议" in result.output


def test_check_in_english() -> None:
    result = runner.invoke(app, ["check", "你个sb", "--lang", "en"])
    assert result.exit_code == 1
    assert "Advice" in result.output


def test_check_json_is_a_list_of_finding_records() -> None:
    result = runner.invoke(app, ["check", "身份证11010519491231002X", "--format", "json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert records and set(records[0]) >= FINDING_KEYS


def test_check_reads_standard_input() -> None:
    result = runner.invoke(app, ["check", "-", "--format", "json"], input="你个sb\n")
    assert result.exit_code == 1
    assert json.loads(result.stdout)[0]["category"] == "abuse"


def test_check_bad_field_exits_2_naming_it() -> None:
    result = runner.invoke(app, ["check", "你好", "--time", "yesterday"])
    assert result.exit_code == 2
    assert "time" in result.output and "Traceback" not in result.output


def test_scan_skips_bad_lines_and_reports_them(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        "\n".join([
            _record(text="你好"),
            "{not json",
            _record(text="这份内部资料请勿外传"),
            _record(text="ok", time="last tuesday"),
            _record(text="收到"),
        ]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "findings.jsonl"
    result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert f"{archive} 第 2 行" in result.output
    assert f"{archive} 第 4 行，「time」：应为时间" in result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(set(r) >= FINDING_KEYS for r in records)
    assert {r["line"] for r in records} == {3}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.jsonl", "findings.jsonl"]


def test_scan_json_document_has_summary(tmp_path: Path) -> None:
    archive = tmp_path / "a.jsonl"
    archive.write_text(_record(text="你好") + "\n" + _record(text="你个sb") + "\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(archive), "--format", "json", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["summary"]["messages"] == 2 and document["summary"]["flagged"] == 1
    assert document["rulebook"]


def test_scan_with_nothing_readable_exits_2(tmp_path: Path) -> None:
    archive = tmp_path / "bad.jsonl"
    archive.write_text("nope\n[1, 2]\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(archive)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_scan_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "absent.jsonl" in result.output


def test_clean_archive_exits_0(tmp_path: Path) -> None:
    archive = tmp_path / "clean.jsonl"
    archive.write_text(_record(text="好的，收到。") + "\n", encoding="utf-8")
    assert runner.invoke(app, ["scan", str(archive)]).exit_code == 0


def test_rules_table_and_page(rulebook: Rulebook) -> None:
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    for rule in rulebook.rules:
        assert rule.id in listing.output
    page = runner.invoke(app, ["rules", "sec003", "--lang", "en"])
    assert page.exit_code == 0
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "How to fix", "References"):
        assert heading in page.output
    assert "tj-7" in page.output


def test_unknown_rule_exits_2() -> None:
    result = runner.invoke(app, ["rules", "XYZ999"])
    assert result.exit_code == 2


def test_coverage_lists_every_clause(rulebook: Rulebook) -> None:
    result = runner.invoke(app, ["rules", "--coverage"], terminal_width=250)
    assert result.exit_code == 0
    for clause_id in rulebook.clauses:
        assert clause_id in result.output


@pytest.mark.parametrize(("argv", "status"), [(["check", "你好"], 0), (["check", "--channel"], 2)])
def test_console_entry_point(argv: list[str], status: int) -> None:
    result = subprocess.run([sys.executable, "-m", "qingfeng", *argv], capture_output=True, text=True, check=False)
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
