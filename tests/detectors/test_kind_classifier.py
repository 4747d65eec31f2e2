"""The ``classifier`` kind: a statistical model's probability over a threshold, with the shared allow-phrases."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "should_flag"),
    [
        ("你们这些乡巴佬素质真差，看着就恶心", True),
        ("这周的工作总结我已经发到邮箱了，请查收", False),
        ("我们应该尊重每个地方的人，不要搞地域歧视", False),
        ("", False),
    ],
)
def test_classifier(flags, text: str, should_flag: bool) -> None:
    assert flags("ABU005", text) is should_flag
