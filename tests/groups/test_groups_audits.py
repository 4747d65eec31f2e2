"""The edges of each group audit: remark formats, the 30-day line, 调休 and holidays, the audit day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from groups_helpers import audit, message, register

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.groups.activity import ActivitySpec, off_topic_rules
from qingfeng.groups.remarks import RemarkFormat, carries_real_name, expected_remarks, parse_formats
from qingfeng.ingest.people import Person
from qingfeng.rulebook.loader import load_rulebook

WORK = {"room": "g1", "room_name": "县财政局办公室工作群", "kind": "work", "owner": "p1"}
ZHANG = {"id": "p1", "name": "张三", "unit": "财政局"}
LI = {"id": "p2", "name": "李四", "unit": "财政局"}
WANG = {"id": "p3", "name": "王五", "unit": "财政局"}


def _members(*ids: str, room: str = "g1", **fields: str) -> list[dict[str, str]]:
    return [{"room": room, "member": member, **fields} for member in ids]


# --- remarks (xy-2) ---------------------------------------------------------------------------------

PERSON = Person(id="p7", name="张三", unit="财政局")
DEFAULT = parse_formats(["{unit}-{name}", "{name}"])


@pytest.mark.parametrize(
    ("remark", "ok"),
    [
        ("财政局-张三", True),
        ("张三", True),
        ("财政局－张三", True),  # full-width hyphen
        ("财政局—张三", True),  # em dash
        ("财政局 张三", True),
        ("财政局_张三", True),
        (" 张三 ", True),
        ("财政局张三", False),  # no separator: not the format
        ("张三（财政局）", False),
        ("税务局-张三", False),  # another unit
        ("张三丰", False),
        ("小张", False),
        ("", False),
    ],
)
def test_default_remark_formats(remark: str, ok: bool) -> None:
    assert carries_real_name(remark, PERSON, DEFAULT) is ok


def test_other_remark_formats_are_configurable() -> None:
    bracketed = parse_formats(["{name}({unit})"])
    assert carries_real_name("张三（财政局）", PERSON, bracketed)  # full-width brackets fold to ASCII
    assert not carries_real_name("张三", PERSON, bracketed)
    chinese = parse_formats(["单位·姓名", "工号-姓名"])
    assert chinese[0].template == "{unit}·{name}" and chinese[1].template == "{id}-{name}"
    assert carries_real_name("财政局·张三", PERSON, chinese)
    assert carries_real_name("p7-张三", PERSON, chinese)
    assert not carries_real_name("张三", PERSON, chinese)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [("{nickname}", "unknown field"), ("{unit}", "must contain the name"), ("{name", "remark format")],
)
def test_bad_remark_formats_are_refused(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        RemarkFormat.parse(text)


def test_a_format_needing_a_field_the_register_lacks_does_not_apply() -> None:
    no_unit = Person(id="p8", name="王五")
    assert expected_remarks(no_unit, DEFAULT) == ["王五"]
    assert carries_real_name("王五", no_unit, DEFAULT)
    assert not carries_real_name("None-王五", no_unit, DEFAULT[:1])


def test_remark_audit_uses_the_override_formats_and_lists_the_expected_remark() -> None:
    reg = register([WORK], [*_members("p1", remark="张三"), *_members("p2", remark="李四(财政局)")], [ZHANG, LI])
    default = audit(reg, "2024-05-20", "GRP002")
    assert [f.extra["member"] for f in default.findings] == ["p2"]
    assert default.findings[0].extra["expected"] == ["财政局-李四", "李四"]
    bracketed = audit(reg, "2024-05-20", "GRP002", remark_formats=parse_formats(["{name}({unit})"]))
    assert [f.extra["member"] for f in bracketed.findings] == ["p1"]


# --- strangers (ug-2) and friends/family groups ------------------------------------------------------


@pytest.mark.parametrize("kind", ["family", "friends"])
def test_friends_and_family_groups_are_never_audited_for_remarks_or_strangers(kind: str) -> None:
    group = WORK | {"kind": kind, "room_name": "相亲相爱一家人"}
    reg = register([group], [*_members("p1", remark="大哥"), *_members("wxid_1", remark="二舅")], [ZHANG])
    for rule in ("GRP002", "GRP003"):
        assert audit(reg, "2024-05-20", rule).findings == []


@pytest.mark.parametrize("kind", ["work", "notice", "project", "branch"])
def test_strangers_in_every_kind_of_work_group(kind: str) -> None:
    reg = register(
        [WORK | {"kind": kind}],
        [*_members("p1", remark="张三"), *_members("wxid_1", remark="王师傅")],
        [ZHANG],
    )
    findings = audit(reg, "2024-05-20", "GRP003").findings
    assert [(f.rule, f.extra["room"], f.extra["member"], f.severity) for f in findings] == [
        ("GRP003", "g1", "wxid_1", "warn")
    ]


# --- owners (xy-1) ------------------------------------------------------------------------------------


def test_owner_audit_covers_work_kinds_only_and_groups_that_exist_on_the_audit_day() -> None:
    groups = [
        WORK | {"room": "a", "owner": ""},
        WORK | {"room": "b", "owner": "p9"},
        WORK | {"room": "c", "owner": "p1"},
        WORK | {"room": "d", "owner": "", "kind": "other"},
        WORK | {"room": "e", "owner": "", "created": "2024-06-01"},  # created after the audit day
    ]
    findings = audit(register(groups, [], [ZHANG]), "2024-05-20", "GRP001").findings
    assert [(f.extra["room"], f.extra["problem"]) for f in findings] == [
        ("a", "missing"),
        ("b", "unregistered"),
    ]
    assert all(f.category == "group" and f.sources == ("xy-1",) for f in findings)


# --- departed and moved (xy-3) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "since", "joined", "flagged"),
    [
        ("departed", "2024-04-20", None, False),  # exactly 30 days before the audit day
        ("departed", "2024-04-19", None, True),  # 31 days
        ("moved", "2024-04-20", None, False),
        ("moved", "2024-04-19", "2023-01-01", True),
        ("moved", "2024-04-19", "2024-04-19", False),  # joined on moving: the new post's group
        ("moved", "2024-01-01", "2024-02-01", False),
        ("departed", "2024-01-01", "2024-02-01", True),  # someone gone joins no work group
        ("active", "2024-01-01", None, False),
        ("departed", None, None, False),  # no date: cannot be timed
    ],
)
def test_departed_and_moved_members(status: str, since: str | None, joined: str | None, flagged: bool) -> None:
    person = LI | {"status": status, "status_since": since}
    member = {"room": "g1", "member": "p2", "remark": "财政局-李四", "joined": joined}
    findings = audit(register([WORK], [member], [ZHANG, person]), "2024-05-20", "GRP004").findings
    assert bool(findings) is flagged
    if flagged:
        assert findings[0].extra["days"] == (date(2024, 5, 20) - date.fromisoformat(since)).days


def test_a_member_who_left_is_not_flagged_and_the_audit_day_decides_who_is_in() -> None:
    person = LI | {"status": "departed", "status_since": "2024-01-01"}
    member = {"room": "g1", "member": "p2", "remark": "财政局-李四", "left": "2024-05-10"}
    reg = register([WORK], [member], [ZHANG, person])
    assert audit(reg, "2024-05-20", "GRP004").findings == []
    assert [f.extra["member"] for f in audit(reg, "2024-05-09", "GRP004").findings] == ["p2"]


def test_a_rule_of_an_existing_kind_needs_no_code(tmp_path: Path) -> None:
    (tmp_path / "strict.yaml").write_text(
        """
- id: TSG001
  title: {zh: 离岗一周仍在群, en: Still in the group a week after leaving}
  category: group
  severity: info
  input: groups
  scopes: {rooms: [work]}
  detector: {kind: stale_member, statuses: [departed], grace_days: 7}
  description: {zh: 测试, en: test}
  message: {zh: 测试, en: test}
  advice: {zh: 测试, en: test}
  sources: [xy-3]
  examples: {fire: [{as_of: 2024-05-20}], pass: [{as_of: 2024-05-20}]}
""",
        encoding="utf-8",
    )
    rulebook = load_rulebook([tmp_path])
    person = LI | {"status": "departed", "status_since": "2024-05-10"}
    reg = register([WORK], _members("p2", remark="李四"), [ZHANG, person])
    findings = audit(reg, "2024-05-20", "TSG001", rulebook=rulebook).findings
    assert [(f.rule, f.severity, f.extra["days"]) for f in findings] == [("TSG001", "info", 10)]


# --- notices asking 收到请回复 (ug-8, ur-2) --------------------------------------------------------------


def _notice_register(**member_fields: str) -> object:
    return register([WORK], [*_members("p1"), *_members("p2"), *_members("p3", **member_fields)], [ZHANG, LI, WANG])


def _missing(result) -> list[list[str]]:
    return [f.extra["missing"] for f in result.findings]


@pytest.mark.parametrize(
    ("sent", "on_time", "late", "deadline"),
    [
        # 2024-09-30 is the last working day before National Day; the next one is 2024-10-08.
        ("2024-09-30T10:00", "2024-10-08T17:00", "2024-10-09T08:00", "2024-10-08"),
        # Friday 2024-05-10; Saturday 2024-05-11 is a working day (调休 for Labour Day), so Monday is late.
        ("2024-05-10T16:00", "2024-05-11T09:00", "2024-05-13T08:30", "2024-05-11"),
    ],
    ids=["holiday-in-the-window", "adjusted-working-day"],
)
def test_the_deadline_is_the_next_working_day(sent: str, on_time: str, late: str, deadline: str) -> None:
    notice = message(sent, "g1", "p1", "请报送预算执行情况，收到请回复。")
    replies = [message(on_time, "g1", "p2", "收到"), message(late, "g1", "p3", "已收到")]
    result = audit(_notice_register(), "2024-10-10", "GRP005", [notice, *replies])
    assert _missing(result) == [["p3"]]
    (finding,) = result.findings
    assert finding.extra["deadline"] == deadline
    assert finding.message_id == notice.id and finding.severity == "info"


def test_a_notice_is_not_judged_before_its_deadline_has_passed_or_beyond_the_archive() -> None:
    notice = message("2024-05-16T10:00", "g1", "p1", "明天开会，收到请回复")
    reply = message("2024-05-17T10:00", "g1", "p2", "收到")
    reg = _notice_register()
    assert audit(reg, "2024-05-17", "GRP005", [notice, reply]).findings == []  # the deadline is the audit day
    assert _missing(audit(reg, "2024-05-18", "GRP005", [notice, reply])) == [["p3"]]
    # The archive stops the day of the notice: whether anyone answered the next day is unknown.
    assert audit(reg, "2024-05-20", "GRP005", [notice]).findings == []


def test_who_owes_a_confirmation() -> None:
    notice = message("2024-05-16T10:00", "g1", "p1", "明天开会，收到请回复")
    another_notice = message("2024-05-17T09:00", "g1", "p2", "补充通知：带上材料，收到请回复")
    after = message("2024-05-20T09:00", "g1", "p1", "ok")
    reg = register(
        [WORK],
        [
            *_members("p1"),
            *_members("p2"),
            *_members("p3", joined="2024-05-16"),
            *_members("p4", left="2024-05-17"),
        ],
        [ZHANG, LI, WANG],
    )
    result = audit(reg, "2024-05-21", "GRP005", [notice, another_notice, after])
    # First notice: p1 sent it; p2's own notice is no answer; p3 joined that day; p4 left on the deadline.
    # Second notice (deadline Monday): p1 confirmed; p3 owes it now; p4 left that day.
    first, second = result.findings
    assert first.message_id == notice.id and first.extra["missing"] == ["p2"]
    assert second.message_id == another_notice.id and second.extra["missing"] == ["p3"]


def test_confirmations_in_other_words_and_disguises_count() -> None:
    notice = message("2024-05-16T10:00", "g1", "p1", "明天开会，收 到 请 回 复")
    replies = [
        message("2024-05-16T10:01", "g1", "p2", "OK👌"),
        message("2024-05-16T10:02", "g1", "p3", "已知悉"),
    ]
    assert audit(_notice_register(), "2024-05-20", "GRP005", [notice, *replies]).findings == []


# --- daily reports (loc-cj) ---------------------------------------------------------------------------

PROJECT = WORK | {"kind": "project", "room_name": "春运保障专班", "daily_report": "yes"}


def _report_days(result) -> list[tuple[str, list[str]]]:
    return [(f.extra["day"], f.extra["missing"]) for f in result.findings]


def test_daily_reports_follow_the_working_calendar_with_adjusted_days() -> None:
    # Spring Festival 2024: Sunday 02-04 was a working day (调休); 02-10 to 02-17 were holidays;
    # Sunday 02-18 was a working day again.
    reg = register([PROJECT], [*_members("p1"), *_members("p2"), *_members("p3")], [ZHANG, LI, WANG])
    messages = [
        message("2024-02-02T17:00", "g1", "p2", "今日工作进展：完成站点巡查"),
        message("2024-02-02T17:05", "g1", "p3", "日报：值班安排已排好"),
        message("2024-02-04T17:00", "g1", "p2", "今日工作进展：车站客流平稳"),  # p3 misses the 调休 Sunday
        message("2024-02-05T17:00", "g1", "p2", "今日完成：物资清点"),
        message("2024-02-05T17:01", "g1", "p3", "今日完成：联络各乡镇"),
        message("2024-02-12T10:00", "g1", "p2", "新年快乐"),  # a holiday: nothing owed
        message("2024-02-18T17:00", "g1", "p3", "今日工作：节后复工检查"),  # p2 misses the 调休 Sunday
    ]
    result = audit(reg, "2024-02-19", "GRP006", messages)
    # 02-03 is a Saturday and 02-06 to 02-09 lie in the archive span: working days with no report at all.
    assert _report_days(result) == [
        ("2024-02-04", ["p3"]),
        ("2024-02-06", ["p2", "p3"]),
        ("2024-02-07", ["p2", "p3"]),
        ("2024-02-08", ["p2", "p3"]),
        ("2024-02-09", ["p2", "p3"]),
        ("2024-02-18", ["p2"]),
    ]
    assert all(f.severity == "info" for f in result.findings)
    assert "Spring Festival" in result.findings[0].explanation


def test_daily_reports_are_owed_only_by_whole_day_members_of_existing_groups() -> None:
    reg = register(
        [PROJECT | {"created": "2024-05-14"}],
        [*_members("p1"), *_members("p2", joined="2024-05-15"), *_members("p3", left="2024-05-16")],
        [ZHANG, LI, WANG],
    )
    messages = [
        message("2024-05-13T17:00", "g1", "p1", "今日工作进展：筹备"),
        message("2024-05-17T17:00", "g1", "p1", "进展：无"),
    ]
    result = audit(reg, "2024-05-20", "GRP006", messages)
    # the group starts on 05-14; p2 owes from 05-16; p3 stops owing on 05-16; p1 is the owner
    assert _report_days(result) == [
        ("2024-05-14", ["p3"]),
        ("2024-05-15", ["p3"]),
        ("2024-05-16", ["p2"]),
        ("2024-05-17", ["p2"]),
    ]


def test_a_holiday_file_adds_days_the_library_does_not_know(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.csv"
    holidays.write_text("date,kind,name\n2024-05-15,holiday,单位停电\n", encoding="utf-8")
    reg = register([PROJECT], [*_members("p1"), *_members("p2")], [ZHANG, LI])
    messages = [
        message("2024-05-14T17:00", "g1", "p2", "日报：完成"),
        message("2024-05-16T17:00", "g1", "p2", "日报：完成"),
    ]
    assert _report_days(audit(reg, "2024-05-20", "GRP006", messages)) == [("2024-05-15", ["p2"])]
    with_file = audit(reg, "2024-05-20", "GRP006", messages, calendar=WorkingCalendar.from_file(holidays))
    assert with_file.findings == []


# --- the archive and the audit day --------------------------------------------------------------------


def test_messages_after_the_audit_day_are_left_out_and_rooms_match_by_name() -> None:
    reg = register([WORK], _members("p1", "p2"), [ZHANG, LI])
    by_name = message("2024-05-14T10:00", "other-id", "p2", "刚拿到的机密文件，我拍了几张放群里")
    by_name = by_name.model_copy(update={"room": None, "room_name": "县财政局办公室工作群"})
    later = message("2024-05-21T10:00", "g1", "p2", "这份机密文件大家看看")
    elsewhere = message("2024-05-14T10:00", "g9", "p2", "这份机密文件大家看看")
    result = audit(reg, "2024-05-20", "GRP007", [by_name, later, elsewhere])
    assert [(f.message_id, f.extra["finding_rule"]) for f in result.findings] == [(by_name.id, "SEC001")]
    assert (result.posts.read, result.posts.after_as_of, result.posts.outside_register) == (3, 1, 1)


def test_block_findings_alert_in_work_groups_only_but_count_everywhere() -> None:
    family = WORK | {"room": "g2", "room_name": "相亲相爱一家人", "kind": "family"}
    reg = register([WORK, family], [*_members("p1", "p2"), *_members("p1", "p2", room="g2")], [ZHANG, LI])
    leak = "市国资委党委会议纪要（2026年第3次）内部资料 注意保存.docx"
    messages = [
        message("2024-05-14T10:00", "g1", "p2", leak, type="file"),
        message("2024-05-14T10:00", "g2", "p2", leak, type="file"),
    ]
    result = audit(reg, "2024-05-20", "GRP007", messages)
    assert [(f.extra["room"], f.severity, f.extra["member"]) for f in result.findings] == [("g1", "warn", "p2")]
    alert = result.findings[0]
    assert alert.sources == ("hb-2.3",) and alert.extra["finding_severity"] == "block"
    assert leak[alert.start : alert.end] == alert.excerpt
    assert {row.room: row.alerts for row in result.activity} == {"g1": 1, "g2": 1}


def test_after_hours_and_off_topic_shares(tmp_path: Path) -> None:
    (tmp_path / "chat.yaml").write_text(
        """
- id: TSE001
  title: {zh: 闲聊, en: Chatter}
  category: etiquette
  severity: info
  detector: {kind: lexicon, any: [吃什么]}
  scopes: {rooms: [work]}
  description: {zh: 测试, en: test}
  message: {zh: 测试, en: test}
  advice: {zh: 测试, en: test}
  sources: [ug-2]
  examples: {fire: [{text: 晚上吃什么, channel: group, room_name: 办公室工作群}], pass: [开会]}
""",
        encoding="utf-8",
    )
    rulebook = load_rulebook([tmp_path])
    assert "TSE001" in off_topic_rules(rulebook, ActivitySpec())  # beside the rulebook's own (ETQ012…)
    reg = register([WORK], _members("p1", "p2"), [ZHANG, LI])
    messages = [
        message("2024-05-14T10:00", "g1", "p1", "下午三点开会"),
        message("2024-05-14T12:00", "g1", "p2", "中午吃什么"),
        message("2024-05-14T22:30", "g1", "p2", "材料改好了"),  # after 22:00
        message("2024-05-18T10:00", "g1", "p1", "周六也在加班"),  # a rest day
        message("2024-05-11T10:00", "g1", "p1", "调休上班"),  # Saturday, but a working day
    ]
    (row,) = audit(reg, "2024-05-20", "GRP007", messages, rulebook=rulebook).activity
    assert (row.messages, row.senders, row.off_topic, row.after_hours, row.timed) == (5, 2, 1, 2, 5)
    assert row.to_dict()["after_hours_share"] == 0.4 and row.to_dict()["off_topic_share"] == 0.2


def test_the_same_audit_day_gives_the_same_answer_however_the_archive_grew() -> None:
    reg = register([PROJECT], _members("p1", "p2"), [ZHANG, LI])
    base = [
        message("2024-05-13T17:00", "g1", "p2", "日报：完成"),
        message("2024-05-15T17:00", "g1", "p2", "日报：完成"),
    ]
    grown = [*base, message("2024-05-21T17:00", "g1", "p2", "日报：完成")]
    first = [f.to_dict() for f in audit(reg, "2024-05-16", "GRP", base).findings]
    again = [f.to_dict() for f in audit(reg, "2024-05-16", "GRP", grown).findings]
    assert first == again and [f["day"] for f in first if f["rule"] == "GRP006"] == ["2024-05-14"]


def test_one_alert_per_passage_and_off_topic_never_hidden_behind_another_finding(tmp_path: Path) -> None:
    rule = """
- id: {id}
  title: {{zh: 测试, en: Test}}
  category: {category}
  severity: {severity}
  detector: {{kind: lexicon, any: [{term}]}}
  description: {{zh: 测试, en: test}}
  message: {{zh: 测试, en: test}}
  advice: {{zh: 测试, en: test}}
  sources: [{source}]
  examples: {{fire: ['{term}'], pass: [开会]}}
"""
    rules = [
        ("TSE001", "etiquette", "info", "吃什么", "ug-2"),  # off-topic
        ("TSE002", "etiquette", "warn", "吃什么", "fm-1"),  # same span, same category, more severe
        ("TSS001", "secrecy", "block", "蓝色文件夹", "tp-5"),
        ("TSS002", "secrecy", "block", "蓝色文件夹", "xy-5"),
    ]
    text = "".join(rule.format(id=i, category=c, severity=s, term=t, source=o) for i, c, s, t, o in rules)
    (tmp_path / "same-span.yaml").write_text(text, encoding="utf-8")
    rulebook = load_rulebook([tmp_path])
    reg = register([WORK], _members("p1", "p2"), [ZHANG, LI])
    messages = [
        message("2024-05-14T12:00", "g1", "p2", "中午吃什么"),
        message("2024-05-14T15:00", "g1", "p2", "蓝色文件夹里的拍给你们"),
    ]
    result = audit(reg, "2024-05-20", "GRP007", messages, rulebook=rulebook)
    (row,) = result.activity
    assert (row.off_topic, row.alerts) == (1, 1)
    assert [f.extra["finding_rule"] for f in result.findings] == ["TSS001"]
