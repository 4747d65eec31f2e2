"""The ``notice_part`` kind: a notice missing one of its parts (here the signature)."""

from __future__ import annotations

import pytest

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("通知：明天省公司来检查，全体人员着工装，八点前到岗。", True),
        ("通知：明天上午8:30在三楼会议室召开全体干部职工大会，请勿迟到。——局办公室", False),
        ("收到，谢谢", False),  # not a notice
    ],
)
def test_notice_part(flags, text: str, should_flag: bool) -> None:
    assert flags("ETQ004", text, **WORK) is should_flag
