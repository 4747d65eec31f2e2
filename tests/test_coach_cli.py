"""The coach on the command line: calendar and people options on check/scan, --fix, draft notice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qingfeng.cli import app

runner = CliRunner()
WORK = ["--channel", "group", "--room-name", "县财政局办公室工作群"]
NOTICE = "通知：明天上午全体干部到三楼会议室开会，请准时参加。——局办公室"
PEOPLE = "id,name,unit,rank\nclerk,小周,预算股,1\nhead,王局,县财政局,5\npeer,小吴,预算股,1\nbad,某人,预算股,high\n"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rules(result) -> dict[str, str]:
    return {record["rule"]: record["severity"] for record in json.loads(result.stdout)}


def test_notice_at_night_warns_and_exits_1() -> None:
    result = runner.invoke(app, ["check", NOTICE, *WORK, "--time", "2026-03-04T23:30:00", "--format", "json"])
    assert result.exit_code == 1
    assert _rules(result)["ETQ003"] == "warn"


def test_window_option(tmp_path: Path) -> None:
    argv = ["check", NOTICE, *WORK, "--time", "2026-03-04T22:30:00+08:00", "--format", "json"]
    assert runner.invoke(app, argv).exit_code == 1
    assert runner.invoke(app, [*argv, "--window", "07:00-23:00"]).exit_code == 0
    bad = runner.invoke(app, [*argv, "--window", "23:00-07:00"])
    assert bad.exit_code == 2 and "--window「23:00-07:00」无法使用" in bad.output and "Traceback" not in bad.output
    english = runner.invoke(app, [*argv, "--window", "23:00-07:00", "--lang", "en"])
    assert english.exit_code == 2 and "--window '23:00-07:00' cannot be used" in english.output


def test_holidays_option_and_the_fallback_note(tmp_path: Path) -> None:
    argv = ["check", NOTICE, *WORK, "--time", "2031-01-02T10:00:00+08:00", "--format", "json"]
    plain = runner.invoke(app, argv)
    assert plain.exit_code == 0
    assert plain.stderr.count("2031") == 1 and "--holidays" in plain.stderr  # said, once
    holidays = _file(tmp_path, "holidays.csv", "date,kind,name\n2031-01-01,holiday,元旦\n2031-01-02,holiday,元旦\n")
    with_file = runner.invoke(app, [*argv, "--holidays", str(holidays)])
    assert with_file.exit_code == 1 and _rules(with_file)["ETQ003"] == "warn"
    assert "2031" not in with_file.stderr  # the file covers the year: no fallback


def test_bad_holiday_file_exits_2_naming_file_line_and_field(tmp_path: Path) -> None:
    holidays = _file(tmp_path, "holidays.csv", "date,kind,name\n2031-01-01,holiday,元旦\n2031-13-02,holiday,元旦\n")
    result = runner.invoke(app, ["check", NOTICE, "--holidays", str(holidays)])
    assert result.exit_code == 2
    assert f"{holidays} 第 3 行，「date」" in result.output and "Traceback" not in result.output


def test_voice_to_a_superior_with_and_without_a_register(tmp_path: Path) -> None:
    people = _file(tmp_path, "people.csv", PEOPLE)
    voice = ["check", "（语音）王局，验收资料我下午给您送过来", "--type", "voice", "--format", "json"]
    up = runner.invoke(app, [*voice, "--sender", "clerk", "--receiver", "head", "--people", str(people)])
    assert up.exit_code == 1 and _rules(up)["ETQ013"] == "warn"
    assert "people.csv 第 5 行，「rank」" in up.stderr  # the bad row is reported (in Chinese), the rest used
    across = runner.invoke(app, [*voice, "--sender", "clerk", "--receiver", "peer", "--people", str(people)])
    assert across.exit_code == 0 and "ETQ013" not in _rules(across)
    down = runner.invoke(app, [*voice, "--sender", "head", "--receiver", "clerk", "--people", str(people)])
    assert down.exit_code == 0 and "ETQ013" not in _rules(down)
    unknown = runner.invoke(app, [*voice, "--sender", "clerk", "--receiver", "nobody", "--people", str(people)])
    assert unknown.exit_code == 0 and _rules(unknown)["ETQ013"] == "info"
    without = runner.invoke(app, [*voice, "--sender", "clerk", "--receiver", "head"])
    assert without.exit_code == 0 and _rules(without)["ETQ013"] == "info"


def test_missing_people_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "你好", "--people", str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "none.csv" in result.output


def test_fix_shows_the_draft_in_shape() -> None:
    text = "通知：明天省公司来检查，全体人员着工装，八点前到岗。"
    result = runner.invoke(app, ["check", text, *WORK, "--time", "2026-01-12T11:20:00+08:00", "--fix"])
    assert result.exit_code == 1
    assert "ETQ004" in result.output
    rewrite = result.output.split("原文不变）：", 1)[1].split()
    assert rewrite == ["通知：", "【请填写称呼，如：各位同事】：", "明天省公司来检查，全体人员着工装，八点前到岗。",
                       "特此通知。", "【请填写落款：单位或姓名】", "2026年1月12日"]


def test_fix_in_json_and_when_nothing_is_missing() -> None:
    result = runner.invoke(app, ["check", "王科，在吗", "--fix", "--format", "json"])
    document = json.loads(result.stdout)
    assert document["findings"][0]["rule"] == "ETQ001" and "【请直接写明事由" in document["fixed"]
    clean = runner.invoke(app, ["check", "三楼打印机卡纸了，我已经处理好。", *WORK, "--fix"])
    assert clean.exit_code == 0 and "无需改写" in clean.output


def test_family_and_friends_groups_get_no_etiquette_checks() -> None:
    for room in ("相亲相爱一家人", "高中同学群"):
        for text in ("在吗？", "通知：今晚八点老地方聚餐，不见不散！", "[表情包][表情包]"):
            argv = ["check", text, "--channel", "group", "--room-name", room, "--time", "2026-03-07T23:30:00",
                    "--format", "json"]
            assert [r for r in json.loads(runner.invoke(app, argv).stdout) if r["category"] == "etiquette"] == []


def test_scan_options_and_a_single_fallback_note(tmp_path: Path) -> None:
    lines = [
        {"id": f"m{n}", "time": f"2031-03-0{n}T10:00:00+08:00", "channel": "group", "room_name": "县财政局办公室工作群",
         "type": "text", "text": NOTICE}
        for n in range(1, 9)
    ]
    archive = _file(tmp_path, "archive.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl"])
    assert result.exit_code == 1  # 2031-03-01, -02 and -08 are weekends by the fallback
    flagged = {json.loads(line)["message_id"] for line in result.stdout.splitlines() if '"ETQ003"' in line}
    assert flagged == {"m1", "m2", "m8"}
    assert result.stderr.count("2031") == 1
    holidays = _file(tmp_path, "h.csv", "date,kind\n2031-03-08,workday\n")
    result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl", "--holidays", str(holidays),
                                 "--window", "09:00-18:00"])
    flagged = {json.loads(line)["message_id"] for line in result.stdout.splitlines() if '"ETQ003"' in line}
    assert flagged == {"m1", "m2"} and "2031" not in result.stderr


def test_draft_notice_command() -> None:
    argv = ["draft", "notice", "--title", "召开一季度预算执行分析会", "--to", "各股室",
            "--items", "时间：本周四下午2:30", "--items", "地点：四楼会议室",
            "--signature", "县财政局办公室", "--date", "2026-03-02"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "各股室：", "现将召开一季度预算执行分析会有关事项通知如下：",
        "1. 时间：本周四下午2:30；", "2. 地点：四楼会议室。",
        "特此通知，收到请回复。", "县财政局办公室", "2026年3月2日",
    ]


@pytest.mark.parametrize(("date", "code"), [("none", 0), ("2026-13-01", 2), ("yesterday", 2)])
def test_draft_notice_date_option(date: str, code: int) -> None:
    result = runner.invoke(app, ["draft", "notice", "--title", "春季卫生大扫除", "--date", date, "--no-reply"])
    assert result.exit_code == code
    if code == 0:
        assert result.stdout.splitlines()[-2:] == ["特此通知。", "【请填写落款：单位或姓名】"]
    else:
        assert "--date" in result.output and "Traceback" not in result.output
