"""The ``chatter`` kind: long leisure chat in a work group."""

from __future__ import annotations

import pytest

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}


MATCH = "你们看昨晚那场球没？国足又输了，那个后卫从上半场开始就梦游，教练换人也莫名其妙，还有那个裁判，吹得也太离谱了"


@pytest.mark.parametrize(
    ("text", "fields", "should_flag"),
    [
        (MATCH, WORK, True),
        (MATCH, {"channel": "group", "room_name": "大学同学群"}, False),
        ("工会组织周六爬山，想参加的到工会办公室报名。", WORK, False),
        ("球赛", WORK, False),  # one leisure word: advice at most, not a flag
    ],
)
def test_chatter(flags, text: str, fields: dict, should_flag: bool) -> None:
    assert flags("ETQ012", text, **fields) is should_flag
