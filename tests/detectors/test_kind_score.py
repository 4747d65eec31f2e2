"""The ``score`` kind: weighted signals that must add up to a minimum score."""

from __future__ import annotations

import pytest

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}
FAMILY = {"channel": "group", "room_name": "相亲相爱一家人"}


@pytest.mark.parametrize(
    ("text", "fields", "should_flag"),
    [
        ("这是一条好运锦鲤，看到的人24小时内转发给8个人，就能心想事成", FAMILY, True),
        ("今天是观音菩萨生日，转发到10个群，全家平安财运亨通，不转的会倒霉三年", FAMILY, True),
        ("这个通知请大家转发给各自负责的村民。镇政府办", WORK, False),
        ("网上那种“不转发就倒霉”的都是谣言，别信也别转", {}, False),
        ("今天天气不错", FAMILY, False),
    ],
)
def test_score(flags, text: str, fields: dict, should_flag: bool) -> None:
    assert flags("CHN001", text, **fields) is should_flag
