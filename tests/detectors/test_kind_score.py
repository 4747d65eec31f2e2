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


# Two kinds of evidence, each worth 1, with the evidence required to lie within 10 characters of the
# deal: one advert says both together; a long text with them in pieces far apart is no advert.
TOGETHER = {"kind": "score", "threshold": 2, "require_any": ["deal"], "span": 10,
            "signals": [{"name": "deal", "terms": ["八折"]}, {"name": "call", "terms": ["欢迎光临"]}]}
FILLER = "，周末天气晴好，公园里的樱花开得正盛，很多人带着孩子去湖边散步拍照，一直玩到傍晚才回家，"


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("全场八折，欢迎光临", True),
        (f"全场八折，欢迎光临{FILLER}{FILLER}", True),  # together in a long text
        (f"全场八折{FILLER}{FILLER}欢迎光临", False),  # in two pieces of a long text
        (f"八折{FILLER}", False),
    ],
)
def test_score_evidence_together(flags, text: str, should_flag: bool) -> None:
    assert flags("SPM007", text, spec=TOGETHER) is should_flag
