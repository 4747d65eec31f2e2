"""Send time (ur-1): the working calendar, the window's edges, zones, the fallback year, holiday files."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from qingfeng import Checker, Message
from qingfeng.coach.workcal import Window, WorkingCalendar, read_holidays
from qingfeng.detectors.context import CALENDAR, WINDOW, build_context
from qingfeng.ingest.errors import InputError

NOTICE = "通知：明天上午全体干部到三楼会议室开会，请准时参加。——局办公室"
ROOM = "县财政局办公室工作群"


def _timing(checker: Checker, when: str, text: str = NOTICE, channel: str = "group") -> list[str]:
    message = Message(text=text, channel=channel, room_name=ROOM if channel == "group" else None, time=when)
    return [f.severity for f in checker.check(message) if f.rule == "ETQ003"]


@pytest.fixture(scope="module")
def timing() -> Checker:
    return Checker(select=["ETQ003"])


@pytest.mark.parametrize(
    ("when", "flagged"),
    [
        ("2026-03-04T07:59:59+08:00", True),
        ("2026-03-04T08:00:00+08:00", False),
        ("2026-03-04T21:59:00+08:00", False),
        ("2026-03-04T21:59:59+08:00", False),
        ("2026-03-04T22:00:00+08:00", True),
        ("2026-03-04T23:59:00+08:00", True),
        ("2026-03-04T00:00:00+08:00", True),
    ],
)
def test_window_edges(timing: Checker, when: str, flagged: bool) -> None:
    assert _timing(timing, when) == (["warn"] if flagged else [])


@pytest.mark.parametrize(
    ("when", "flagged"),
    [
        ("2026-03-04T15:30:00Z", True),  # 23:30 in Beijing
        ("2026-03-04T13:30:00Z", False),  # 21:30 in Beijing
        ("2026-03-04T23:30:00", True),  # no zone: China Standard Time
        ("2026-03-04T10:30:00-05:00", True),  # 23:30 in Beijing
        ("2026-03-04T00:30:00+00:00", False),  # 08:30 in Beijing
    ],
)
def test_times_are_judged_in_beijing(timing: Checker, when: str, flagged: bool) -> None:
    assert bool(_timing(timing, when)) == flagged


@pytest.mark.parametrize(
    ("day", "flagged"),
    [
        ("2026-02-14", False),  # Saturday, a 调休 working day before the Spring Festival
        ("2026-02-28", False),  # Saturday, 调休
        ("2026-02-17", True),  # Tuesday in the Spring Festival holiday
        ("2026-10-01", True),  # National Day
        ("2026-03-07", True),  # an ordinary Saturday
        ("2026-03-06", False),  # an ordinary Friday
    ],
)
def test_holidays_and_adjusted_working_days(timing: Checker, day: str, flagged: bool) -> None:
    assert bool(_timing(timing, f"{day}T10:00:00+08:00")) == flagged


def test_rest_day_notice_to_the_public_is_only_advice(timing: Checker) -> None:
    text = "各位村民：本周六上午村卫生室免费测血压，请带好医保卡。村委会"
    assert _timing(timing, "2026-03-07T10:00:00+08:00", text) == ["info"]
    assert _timing(timing, "2026-03-07T23:00:00+08:00", text) == ["warn"]


def test_a_rest_day_notice_in_a_unit_that_works_in_shifts_is_only_advice(timing: Checker) -> None:
    """Rest days are working days in an emergency ward or a police station; the hour still counts."""
    text = "各位：今晚急诊量大，请二线医生在科待命。——急诊科"
    ward = "县人民医院急诊科工作群"
    found = [f.severity for f in timing.check(Message(text=text, channel="group", room_name=ward,
                                                      time="2026-03-22T19:10:00+08:00")) if f.rule == "ETQ003"]
    assert found == ["info"]  # a Sunday evening
    assert _timing(timing, "2026-03-22T19:10:00+08:00", text) == ["warn"]  # the same notice in an office's group
    late = [f.severity for f in timing.check(Message(text=text, channel="group", room_name=ward,
                                                     time="2026-03-23T23:30:00+08:00")) if f.rule == "ETQ003"]
    assert late == ["warn"]


def test_night_request_to_one_person_is_flagged_but_not_chat_or_a_scam(timing: Checker) -> None:
    request = "小王，明天的汇报材料你今晚再改一下，改完发我邮箱。"
    assert _timing(timing, "2026-03-04T23:30:00+08:00", request, "private") == ["warn"]
    assert _timing(timing, "2026-03-07T10:00:00+08:00", request, "private") == []
    assert _timing(timing, "2026-03-04T23:30:00+08:00", "到家了吗？路上雪大，慢点开", "private") == []
    scam = "小王，我是王局，换号了，材料的事明天再说，你先帮我垫付2万转给他"
    assert _timing(timing, "2026-03-04T23:30:00+08:00", scam, "private") == []


def test_rumours_scams_and_insults_at_night_are_not_work_messages(timing: Checker) -> None:
    for text in (
        "听说镇里要整体搬迁，大家赶紧准备上访",
        "老冯你个老东西，早该滚下台了",
        "紧急通知：明天全市停水，请大家做好储水准备，转发扩散！",
        "各位家长：本学期资料费每人185元，请扫个人收款码，今晚12点前交齐。",
    ):
        assert _timing(timing, "2026-03-04T01:30:00+08:00", text) == []


def test_the_window_is_configurable() -> None:
    context, _ = build_context(window="07:30-21:00")
    checker = Checker(select=["ETQ003"], context=context)
    assert _timing(checker, "2026-03-04T07:45:00+08:00") == []
    assert _timing(checker, "2026-03-04T21:15:00+08:00") == ["warn"]


@pytest.mark.parametrize("text", ["8:00-22:00x", "22:00-08:00", "08:00", "08:00-08:00"])
def test_bad_windows_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="window"):
        Window.parse(text)


def test_window_contains_its_start_not_its_end() -> None:
    window = Window.parse("08:00-22:00")
    assert window.contains(time(8, 0)) and window.contains(time(21, 59, 59))
    assert not window.contains(time(7, 59, 59)) and not window.contains(time(22, 0))
    assert str(window) == "08:00-22:00"


def test_a_year_beyond_the_calendar_falls_back_to_weekdays_and_is_recorded() -> None:
    calendar = WorkingCalendar()
    assert calendar.is_workday(date(2031, 1, 1))  # a Wednesday; the real 元旦 is unknown
    assert not calendar.is_workday(date(2031, 1, 4))  # a Saturday
    assert calendar.fallback_years == {2031}
    assert calendar.is_workday(date(2026, 1, 5)) and calendar.fallback_years == {2031}


def test_fallback_is_recorded_in_the_run_context() -> None:
    context, _ = build_context()
    checker = Checker(select=["ETQ003"], context=context)
    for day in ("2031-03-05", "2031-03-08", "2032-03-04"):  # where the day decides: within the window
        checker.check(Message(text=NOTICE, channel="group", room_name=ROOM, time=f"{day}T10:00:00+08:00"))
    assert sorted(context[CALENDAR].fallback_years) == [2031, 2032]


HOLIDAYS = """date,kind,name
2031-01-01,holiday,元旦
2031-01-04,workday,元旦调休
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_holiday_file_adds_a_year_without_fallback(tmp_path: Path) -> None:
    calendar = WorkingCalendar.from_file(_write(tmp_path, HOLIDAYS))
    assert not calendar.is_workday(date(2031, 1, 1))
    assert calendar.is_workday(date(2031, 1, 4))  # Saturday made a working day
    assert calendar.is_workday(date(2031, 1, 6)) and not calendar.is_workday(date(2031, 1, 11))
    assert calendar.day_name(date(2031, 1, 1)) == "元旦"
    assert calendar.fallback_years == set()


def test_a_holiday_file_corrects_a_known_year_without_losing_its_holidays(tmp_path: Path) -> None:
    calendar = WorkingCalendar.from_file(_write(tmp_path, "date,kind,name\n2026-03-04,holiday,停电放假\n"))
    assert not calendar.is_workday(date(2026, 3, 4))
    assert not calendar.is_workday(date(2026, 2, 17))  # chinesecalendar still knows the Spring Festival
    assert calendar.is_workday(date(2026, 2, 14))


def test_holiday_file_bad_rows_name_file_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "date,kind,name\n2031-01-01,holiday,元旦\n2031-13-01,holiday,\n2031-01-04,rest,\n"
                  "2031-01-01,workday,重复\n\n2031-02-01,holiday,春节\n")
    calendar, problems = read_holidays(path)
    assert [(p.line, p.field) for p in problems] == [(3, "date"), (4, "kind"), (5, "date")]
    assert all(p.path == str(path) for p in problems)
    assert not calendar.is_workday(date(2031, 2, 1)) and not calendar.is_workday(date(2031, 1, 1))
    with pytest.raises(InputError) as raised:
        WorkingCalendar.from_file(path)
    message = str(raised.value)
    assert f"{path}:3: date:" in message and "2 more" in message


def test_holiday_file_without_its_columns_or_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing column"):
        WorkingCalendar.from_file(_write(tmp_path, "day,type\n2031-01-01,holiday\n"))
    with pytest.raises(InputError, match=r"nope\.csv"):
        WorkingCalendar.from_file(tmp_path / "nope.csv")


def test_timing_context_keys_reach_the_detector(tmp_path: Path) -> None:
    context, _ = build_context(holidays=_write(tmp_path, HOLIDAYS), window="09:00-18:00")
    assert isinstance(context[CALENDAR], WorkingCalendar) and context[WINDOW] == Window(time(9), time(18))
    checker = Checker(select=["ETQ003"], context=context)
    at = datetime(2031, 1, 4, 10, 0).isoformat()  # the file's 调休 Saturday, within the window
    assert _timing(checker, at) == []
    assert _timing(checker, datetime(2031, 1, 1, 10, 0).isoformat()) == ["warn"]
