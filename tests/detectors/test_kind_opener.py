"""The ``opener`` kind: a work message that opens bare (在吗) or without a greeting."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("在吗？", True),
        ("王科，在吗", True),
        ("王科，一季度报表第3页的数据需要您确认一下，今天下班前回复即可。", False),
        ("在吗？明天上午的督导会改到九点，地点不变。", False),
    ],
)
def test_opener(flags, text: str, should_flag: bool) -> None:
    assert flags("ETQ001", text) is should_flag
