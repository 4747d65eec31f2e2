"""The ``pattern`` kind: a regular expression or named recognizer, validated, then the words around the match."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("你这种垃圾也配读博", True),
        ("毛科长，你真是个猪", True),
        ("你这份报表的垃圾数据我清理掉了", False),
        ("你家狗狗真可爱", False),
        ("", False),
    ],
)
def test_pattern(flags, text: str, should_flag: bool) -> None:
    assert flags("ABU002", text, channel="group", room_name="青石镇政府综合办工作群") is should_flag


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [("登记号1234已录入", True), ("登记号12已录入", False), ("登记号1234已录入，样例", False)],
)
def test_pattern_own_regex_and_unless(flags, text: str, should_flag: bool) -> None:
    spec = {"kind": "pattern", "regex": "登记号[0-9]{4}", "unless": ["样例"]}
    assert flags("ABU002", text, spec) is should_flag
