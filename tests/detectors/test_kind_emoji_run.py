"""The ``emoji_run`` kind: a run of emoji in a work group."""

from __future__ import annotations

import pytest

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}


@pytest.mark.parametrize(
    ("text", "fields", "should_flag"),
    [
        ("收到👍👍👍", WORK, True),
        ("收到[强][强][强]", WORK, True),
        ("收到👍", WORK, False),
        ("哈哈😂😂😂", {"channel": "group", "room_name": "大学同学群"}, False),
    ],
)
def test_emoji_run(flags, text: str, fields: dict, should_flag: bool) -> None:
    assert flags("ETQ011", text, **fields) is should_flag
