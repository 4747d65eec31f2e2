"""`qingfeng ledger` end to end on the example ledger: formats, languages, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from qingfeng.cli import app

from .conftest import EXAMPLES

REGISTERS = ["--people", str(EXAMPLES / "people.csv"), "--relations", str(EXAMPLES / "relations.csv"),
             "--elections", str(EXAMPLES / "elections.csv"), "--as-of", "2024-07-01"]
LEDGER = str(EXAMPLES / "transfers.csv")


def _run(*args: str):
    return CliRunner().invoke(app, ["ledger", *args])


def test_the_example_ledger_in_text() -> None:
    result = _run(LEDGER, *REGISTERS)
    assert result.exit_code == 1, result.output
    for expected in ("刘志明", "41 名成员", "陈某（村民）（服务/管理对象）于 2024-04-02 转给赵强 5,000 元",
                     "张某（粮商）（服务/管理对象）在 43 天内", "21 笔各 200 元", "ILL010", "LED003", "LED006"):
        assert expected in result.stdout, expected
    assert "孙丽" not in result.stdout  # the AA meal money is no gift
    assert "李华" not in result.stdout  # nor the family's


def test_jsonl_findings_keep_the_contract_and_add_the_ledger_keys() -> None:
    result = _run(LEDGER, *REGISTERS, "--format", "jsonl")
    assert result.exit_code == 1
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    contract = {"message_id", "rule", "category", "severity", "start", "end", "excerpt", "advice", "sources"}
    for record in records:
        assert contract | {"transfer_ids", "subject", "score"} <= set(record)
        assert record["message_id"] in record["transfer_ids"]
    rules = {(record["rule"], record["subject"]) for record in records}
    assert {("LED005", "p9"), ("LED001", "p3"), ("LED004", "p1"), ("LED006", "p3"), ("ILL010", "p2")} <= rules
    scores = [record["score"] for record in records]
    assert scores == sorted(scores, reverse=True)


def test_json_english_and_thresholds_from_flags() -> None:
    result = _run(LEDGER, *REGISTERS, "--format", "json", "--lang", "en", "--limit", "10000",
                  "--counterparty-limit", "100000")
    document = json.loads(result.stdout)
    assert document["thresholds"]["per_transfer_limit"] == 10000
    assert document["summary"]["transfers"] == 91
    by_rule = document["summary"]["by_rule"]
    assert "LED002" not in by_rule  # 1,000 yuan from a friend is within a 10,000-yuan limit
    assert by_rule["LED001"] == {"warn": 2, "info": 1}  # the villager's 5,000 yuan and the trader's now only warn
    advice = next(f["advice"] for f in document["findings"] if f["rule"] == "LED005")
    assert "sent red envelopes to 41 members of 城关镇" in advice


def test_a_config_file_and_a_bad_one(tmp_path: Path) -> None:
    config = tmp_path / "thresholds.toml"
    config.write_text("[ledger]\nreturn_days = 365\n", encoding="utf-8")
    result = _run(LEDGER, *REGISTERS, "--format", "json", "--config", str(config))
    assert "LED008" not in json.loads(result.stdout)["summary"]["by_rule"]
    config.write_text("[ledger]\nas_of = 2024-04-20\n", encoding="utf-8")  # the day comes from the file
    result = _run(LEDGER, *REGISTERS[:6], "--format", "json", "--config", str(config))
    assert json.loads(result.stdout)["as_of"] == "2024-04-20"
    config.write_text("[ledger]\nreturn_dayz = 3\n", encoding="utf-8")
    result = _run(LEDGER, *REGISTERS, "--config", str(config))
    assert result.exit_code == 2 and "return_dayz" in result.stderr and "Traceback" not in result.output


def test_bad_rows_are_reported_and_the_rest_screened(tmp_path: Path) -> None:
    ledger = tmp_path / "transfers.csv"
    lines = (EXAMPLES / "transfers.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "bad1,yesterday,transfer,c1,p1,100,,,,,,")
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(str(ledger), *REGISTERS, "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{ledger} 第 4 行，「time」：应为时间" in result.stderr and "yesterday" in result.stderr
    assert len(result.stdout.splitlines()) >= 10


def test_nothing_to_report_exits_0(tmp_path: Path) -> None:
    ledger = tmp_path / "transfers.csv"
    ledger.write_text("id,time,kind,sender,receiver,amount\nt1,2024-03-04 20:00,transfer,f1,p1,3000\n", "utf-8")
    result = _run(str(ledger), *REGISTERS)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.stdout


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["missing.csv"], "missing.csv：找不到文件"),
        ([LEDGER, "--as-of", "tomorrow"], "--as-of"),
        ([LEDGER, "--work-hours", "18:00-08:00"], "work_hours"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(args: list[str], complaint: str) -> None:
    result = _run(*args, *REGISTERS[:6]) if args[0] != LEDGER else _run(args[0], *REGISTERS[:6], *args[1:])
    assert result.exit_code == 2, result.output
    assert complaint in result.stderr and "Traceback" not in result.output


def test_a_file_of_bad_rows_only_exits_2(tmp_path: Path) -> None:
    ledger = tmp_path / "transfers.csv"
    ledger.write_text("id,time,kind,sender,receiver,amount\nt1,never,transfer,f1,p1,3000\n", "utf-8")
    result = _run(str(ledger), *REGISTERS)
    assert result.exit_code == 2 and f"{ledger} 第 2 行，「time」" in result.stderr
    assert result.stderr.count("第 2 行") == 1  # each bad row once
    assert "没有读到任何转账" in result.stderr


def test_html_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = _run(LEDGER, *REGISTERS, "--format", "html", "--out", str(out))
    assert result.exit_code == 1 and not result.stdout
    page = out.read_text(encoding="utf-8")
    assert page.count('<tr class="finding"') == 13 and "<svg" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
