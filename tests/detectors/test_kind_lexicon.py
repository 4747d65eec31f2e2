"""The ``lexicon`` kind: trigger terms, companions (``all``/``near``) and allow-phrases (``unless``)."""

from __future__ import annotations

import pytest

SPEC = {"kind": "lexicon", "any": ["内部文件"], "all": [["发给", "转给"]], "near": 6, "unless": ["已公开"]}


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("我把内部文件发给你了", True),
        ("内部文件转给老同学看看", True),
        ("内部文件在柜子里", False),  # no companion
        ("我把内部文件发给你了，这份已公开", False),  # allow-phrase
        ("内部文件的事情我们明天再谈谈吧然后发给你", False),  # companion too far
        ("", False),
    ],
)
def test_lexicon(flags, text: str, should_flag: bool) -> None:
    assert flags("ABU001", text, SPEC) is should_flag


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [("你个sb，别装了", True), ("哈哈我真是个傻子，钥匙又忘带了", False), ("请大家做好垃圾分类", False)],
)
def test_lexicon_rule_as_written(flags, text: str, should_flag: bool) -> None:
    assert flags("ABU001", text) is should_flag
