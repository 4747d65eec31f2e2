"""The ``timing`` kind: a work request sent outside working hours."""

from __future__ import annotations

import pytest

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}


NOTICE = "通知：明天上午8:30在三楼会议室召开全体干部职工大会，请勿迟到。——局办公室"


@pytest.mark.parametrize(
    ("text", "time", "should_flag"),
    [
        (NOTICE, "2026-01-13T23:40:00+08:00", True),
        (NOTICE, "2026-01-13T21:40:00+08:00", False),  # still within the evening window
        (NOTICE, "2026-01-13T10:00:00+08:00", False),
        ("今晚的月亮真圆", "2026-01-13T23:40:00+08:00", False),  # not work
    ],
)
def test_timing(flags, text: str, time: str, should_flag: bool) -> None:
    assert flags("ETQ003", text, time=time, **WORK) is should_flag
