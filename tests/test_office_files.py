"""The files a Chinese office actually has: every example input saved as GBK, GB18030, UTF-16 ("Unicode text",
tab-separated), UTF-8 with a BOM, .xlsx, and GBK with the dates as Excel shows them (2026/3/2 9:05) gives the
same findings and the same bad rows as the UTF-8 original, for `scan`, `ledger` and `groups audit`. The copies
are made here, from examples/."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from qingfeng.cli import app

ROOT = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()

# variant → how one example file is saved in it (the text it was given, the folder, the original's name)
Saver = Callable[[str, Path, str], Path]


def _text(encoding: str) -> Saver:
    def save(text: str, folder: Path, name: str) -> Path:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path
    return save


def _unicode_text(text: str, folder: Path, name: str) -> Path:
    """Excel's "Unicode text": UTF-16 with a BOM, tab-separated (JSON lines stay lines)."""
    path = folder / name
    if not name.endswith(".csv"):
        path.write_bytes(text.encode("utf-16"))
        return path
    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path.with_suffix(".txt").write_bytes(buffer.getvalue().encode("utf-16"))
    return path.with_suffix(".txt")


def _xlsx(text: str, folder: Path, name: str) -> Path:
    """A workbook with the rows as text cells, as Excel keeps ids and codes; JSON lines stay UTF-8 text."""
    if not name.endswith(".csv"):
        return _text("utf-8")(text, folder, name)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    path = (folder / name).with_suffix(".xlsx")
    book.save(path)
    return path


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::00)?)?")


def _excel_shown(cell: str) -> str:
    """A date cell as Excel on Chinese Windows writes it to CSV: 2026/3/2 9:05, no leading zeros."""
    found = _ISO.fullmatch(cell)
    if found is None:
        return cell
    year, month, day, hour, minute = found.groups()
    return f"{year}/{int(month)}/{int(day)}" + (f" {int(hour)}:{minute}" if hour else "")


def _excel_dates(text: str, folder: Path, name: str) -> Path:
    """GBK CSV whose dates and times Excel wrote as it shows them (JSON lines keep ISO times)."""
    if not name.endswith(".csv"):
        return _text("gbk")(text, folder, name)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [_excel_shown(cell) for cell in row] for row in csv.reader(io.StringIO(text)))
    return _text("gbk")(buffer.getvalue(), folder, name)


VARIANTS: dict[str, Saver] = {
    "gbk": _text("gbk"),
    "gb18030": _text("gb18030"),
    "utf-8-bom": _text("utf-8-sig"),
    "utf-16": _unicode_text,
    "xlsx": _xlsx,
    "excel-dates": _excel_dates,
}


def _copies(folder: Path, names: list[str], variant: str) -> tuple[dict[str, Path], dict[str, Path]]:
    """(the variant's files, UTF-8 files of the very same text) by original name. GBK cannot hold every
    character (an emoji in a remark): those are left out of both, as saving in GBK would lose them."""
    ours, plain = folder / variant, folder / f"{variant}-utf8"
    ours.mkdir()
    plain.mkdir()
    copies, baseline = {}, {}
    for name in names:
        text = (ROOT / name).read_text(encoding="utf-8")
        if variant in ("gbk", "excel-dates"):
            text = text.encode("gbk", errors="ignore").decode("gbk")
        base = Path(name).name
        copies[name] = VARIANTS[variant](text, ours, base)
        baseline[name] = _text("utf-8")(text, plain, base)
    return copies, baseline


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(arg) for arg in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _same(ours: tuple[int, str, str], baseline: tuple[int, str, str], ours_dir: Path, base_dir: Path) -> None:
    def plain(text: str, folder: Path) -> str:
        return text.replace(str(folder), "DIR").replace(".xlsx", ".csv").replace(".txt", ".csv")
    assert ours[0] == baseline[0], ours[2]
    assert plain(ours[1], ours_dir) == plain(baseline[1], base_dir)
    assert plain(ours[2], ours_dir) == plain(baseline[2], base_dir)


SCANNED = [(name, variant) for name in ("scan/messages.csv", "scan/messages.jsonl", "scan/wecom.jsonl")
           for variant in VARIANTS if variant != "xlsx" or name.endswith(".csv")]  # JSON lines are no sheet


@pytest.mark.parametrize(("name", "variant"), SCANNED)
def test_scan_finds_the_same_in_every_encoding(tmp_path: Path, variant: str, name: str) -> None:
    copies, baseline = _copies(tmp_path, [name], variant)
    ours = _run("scan", copies[name], "--format", "jsonl")
    expected = _run("scan", baseline[name], "--format", "jsonl")
    assert ours[0] == 1 and ours[1].count("\n") > 10  # findings came out
    _same(ours, expected, copies[name].parent, baseline[name].parent)


def test_the_bundled_csv_scans_with_no_flags() -> None:
    code, out, err = _run("scan", ROOT / "scan" / "messages.csv")
    assert code == 1 and "已检查消息 24 条" in out
    assert "第 26 行，「金额」：应为数字（实际为 '五十'）" in err


LEDGER = ["ledger/transfers.csv", "ledger/people.csv", "ledger/relations.csv", "ledger/elections.csv"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_ledger_finds_the_same_in_every_encoding(tmp_path: Path, variant: str) -> None:
    copies, baseline = _copies(tmp_path, LEDGER, variant)

    def screen(files: dict[str, Path]) -> tuple[int, str, str]:
        return _run("ledger", files[LEDGER[0]], "--people", files[LEDGER[1]], "--relations", files[LEDGER[2]],
                    "--elections", files[LEDGER[3]], "--as-of", "2024-07-01", "--format", "jsonl")

    ours, expected = screen(copies), screen(baseline)
    assert ours[0] == 1 and ours[1].count("\n") >= 5
    _same(ours, expected, copies[LEDGER[0]].parent, baseline[LEDGER[0]].parent)


GROUPS = ["groups/groups.csv", "groups/members.csv", "groups/people.csv", "groups/archive.jsonl"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_groups_audit_finds_the_same_in_every_encoding(tmp_path: Path, variant: str) -> None:
    copies, baseline = _copies(tmp_path, GROUPS, variant)

    def audit(files: dict[str, Path]) -> tuple[int, str, str]:
        return _run("groups", "audit", "--groups", files[GROUPS[0]], "--members", files[GROUPS[1]], "--people",
                    files[GROUPS[2]], "--archive", files[GROUPS[3]], "--as-of", "2024-05-20", "--format", "jsonl")

    ours, expected = audit(copies), audit(baseline)
    assert ours[0] == 1 and ours[1].count("\n") >= 5
    _same(ours, expected, copies[GROUPS[0]].parent, baseline[GROUPS[0]].parent)


def test_encoding_option_overrides_the_guess(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes((ROOT / "scan" / "messages.csv").read_text(encoding="utf-8").encode("gb18030"))
    assert _run("scan", path, "--encoding", "gb18030")[0] == 1
    code, _, err = _run("scan", path, "--encoding", "utf-16")  # a wrong override is a clear error, not a crash
    assert code == 2 and "qingfeng:" in err
    code, _, err = _run("scan", path, "--encoding", "klingon")
    assert code == 2 and "不认识的编码：klingon" in err


def test_a_binary_file_is_one_line_in_the_users_language(tmp_path: Path) -> None:
    path = tmp_path / "照片.csv"
    path.write_bytes(bytes(range(256)) * 4)
    for args in (["scan", path], ["ledger", path, "--people", path, "--relations", path],
                 ["groups", "audit", "--groups", path, "--members", path, "--people", path]):
        code, _, err = _run(*args)
        assert code == 2 and err.strip() == f"qingfeng: {path}：不是文本或表格文件", err
    assert _run("scan", path, "--lang", "en")[2].strip() == f"qingfeng: {path}: not a text or spreadsheet file"


def test_a_missing_file_is_worded_the_same_by_every_command(tmp_path: Path) -> None:
    gone = tmp_path / "nope.csv"
    people, relations = ROOT / "ledger" / "people.csv", ROOT / "ledger" / "relations.csv"
    for args in (["scan", gone], ["ledger", gone, "--people", people, "--relations", relations],
                 ["groups", "audit", "--groups", gone, "--members", people, "--people", people],
                 ["check", "你好", "--holidays", gone]):
        code, _, err = _run(*args)
        assert code == 2 and err.strip() == f"qingfeng: {gone}：找不到文件", err


def test_an_unmappable_header_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("序号,说话的人,话\n1,张三,你好\n", encoding="gbk")
    code, _, err = _run("scan", path)
    assert code == 2 and "文件的表头是：序号 | 说话的人 | 话" in err
    assert _run("scan", path, "--columns", "text=话,sender_name=说话的人")[0] == 0


def test_wechat_desktop_exports_need_no_mapping(tmp_path: Path) -> None:
    wechatmsg = tmp_path / "wechatmsg.csv"
    wechatmsg.write_text(
        "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
        "1,123@chatroom,1,0,0,1772413500,2,这份文件是机密，不要外传,2026-03-02 09:05:00,,办公室工作群,张三\n",
        encoding="utf-8-sig")
    pywxdump = tmp_path / "pywxdump.csv"
    pywxdump.write_text(
        "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n"
        "1,99,文本,0,张三,办公室工作群,这份文件是机密，不要外传,,2026-03-02 09:05:00\n", encoding="utf-8")
    for path in (wechatmsg, pywxdump):
        code, out, err = _run("scan", path, "--format", "jsonl")
        assert code == 1 and '"category":"secrecy"' in out, err


def test_an_empty_file_says_so_without_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, out, err = _run("scan", path)
    assert code == 2 and out == "" and err.strip() == f"qingfeng: {path}：没有读到任何消息"


def test_reports_honour_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    previous = os.umask(0o022)
    try:
        _run("scan", ROOT / "scan" / "messages.jsonl", "--format", "html", "--out", out)
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o644


def test_chinese_output_has_no_english_codes() -> None:
    coverage = _run("rules", "--coverage")[1]
    assert "not-checked" not in coverage and "checked:" not in coverage and "不检查" in coverage
    summary = _run("scan", ROOT / "scan" / "wecom.jsonl")[1]
    assert "切换会话记录 ×1" in summary and "投票消息 ×1" in summary
    assert "switch" not in summary and "msgtype" not in summary


def test_both_xlsx_readers_give_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    from qingfeng.ingest import xlsx

    path = _xlsx((ROOT / "scan" / "messages.csv").read_text(encoding="utf-8"), tmp_path, "messages.csv")
    book = Workbook()
    book.active.append(["时间", "金额", "内容"])
    book.active.append([datetime(2026, 3, 2, 9, 5), 50.0, "红包"])
    book.active.append([datetime(2026, 3, 2), 6.66, None])
    typed = tmp_path / "typed.xlsx"
    book.save(typed)
    for workbook in (path, typed):
        with workbook.open("rb") as stream:
            whole = list(xlsx.read_xlsx(stream, "x"))
        monkeypatch.setattr(xlsx, "STREAM_FROM_BYTES", 0)  # the streaming reader, as for a large workbook
        with workbook.open("rb") as stream:
            assert list(xlsx.read_xlsx(stream, "x")) == whole
        monkeypatch.undo()
    assert whole[1:] == [(2, ["2026-03-02 09:05:00", "50", "红包"]), (3, ["2026-03-02", "6.66", ""])]


def test_day_and_clock_in_two_columns_and_common_chat_headers(tmp_path: Path) -> None:
    """A hand-kept chat log: 日期 and 时间 apart, 聊天内容 and 发言人 as column names, Chinese date forms."""
    rows = [["序号", "日期", "时间", "群聊名称", "发言人", "聊天内容"],
            ["1", "2026/3/2", "23:35", "县税务局办公室工作群", "刘伟", "通知：明早七点半全体到岗迎接督查。——办公室"],
            ["2", "2026年3月3日", "下午3:20", "县税务局办公室工作群", "王丽", "这份文件是机密，不要外传"]]
    table = tmp_path / "log.csv"
    table.write_bytes("\r\n".join(",".join(row) for row in rows).encode("gbk"))
    iso = tmp_path / "iso.jsonl"
    iso.write_text(
        '{"time": "2026-03-02T23:35:00+08:00", "channel": "group", "room_name": "县税务局办公室工作群", '
        '"sender_name": "刘伟", "text": "通知：明早七点半全体到岗迎接督查。——办公室"}\n'
        '{"time": "2026-03-03T15:20:00+08:00", "channel": "group", "room_name": "县税务局办公室工作群", '
        '"sender_name": "王丽", "text": "这份文件是机密，不要外传"}\n', encoding="utf-8")
    ours, expected = _run("scan", table, "--format", "jsonl"), _run("scan", iso, "--format", "jsonl")
    assert ours[0] == expected[0] == 1
    def unnumbered(out: str) -> str:  # the CSV's rows sit one line lower, under its header
        return re.sub(r'"line":\d+,', "", out)
    assert unnumbered(ours[1]) == unnumbered(expected[1]) and ours[1].count("\n") >= 3
    assert ours[2] == expected[2]  # the same summary: no row went unread
    assert '"category":"etiquette"' in ours[1]  # the notice sent at 23:35 is timed from the two columns


@pytest.mark.parametrize(("written", "read"), [
    ("2026/3/2 9:05", "2026-03-02 09:05:00"), ("2026-3-2 9:05:07", "2026-03-02 09:05:07"),
    ("2026年3月2日 下午3:05", "2026-03-02 15:05:00"), ("2026年3月2日 15时5分", "2026-03-02 15:05:00"),
    ("2026.03.02", "2026-03-02"), ("2026年3月2日", "2026-03-02"), ("2026年3月2日 上午12:30", "2026-03-02 00:30:00"),
    ("2026-03-02T09:05:00+08:00", "2026-03-02T09:05:00+08:00"),  # already ISO with a zone: kept as written
    ("2026/13/40", "2026/13/40"), ("下周一", "下周一"),  # not a date: kept, so the error quotes the file
])
def test_office_date_forms(written: str, read: str) -> None:
    from qingfeng.ingest.dates import office_datetime

    assert office_datetime(written) == read


def test_a_bad_excel_date_names_the_value_as_written(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("群编号,群名称,群类型,群主,建群日期\ng01,办公室工作群,工作群,p1,2021/13/1\n", encoding="gbk")
    people = tmp_path / "people.csv"
    people.write_text("编号,姓名\np1,张三\n", encoding="gbk")
    members = tmp_path / "members.csv"
    members.write_text("群编号,成员,群昵称\ng01,p1,张三\n", encoding="gbk")
    _, _, err = _run("groups", "audit", "--groups", path, "--members", members, "--people", people)
    assert "groups.csv 第 2 行，「建群日期」：应为日期，例如 2026-03-02（实际为 '2021/13/1'）" in err, err
