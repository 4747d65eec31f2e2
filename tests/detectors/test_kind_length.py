"""The ``length`` kind: a message too long or with too many questions."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("王科，预算表第3页的数据对吗？第5页为什么和去年不一样？附件二的口径是什么？还需要我补哪些材料？", True),
        ("王科，预算表第3页的数据需要您确认一下，我标了黄色。", False),
        ("王科，" + "预算表的数据需要您确认。" * 40, True),
    ],
)
def test_length(flags, text: str, should_flag: bool) -> None:
    assert flags("ETQ009", text) is should_flag
