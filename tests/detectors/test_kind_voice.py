"""The ``voice`` kind: a voice message to someone senior."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("sender", "receiver", "should_flag"),
    [("u-clerk", "u-head", True), ("u-clerk", "u-peer", False), ("u-head", "u-clerk", False)],
)
def test_voice(flags, sender: str, receiver: str, should_flag: bool) -> None:
    text = "（语音）王局，验收资料我下午给您送过来"
    assert flags("ETQ013", text, type="voice", sender=sender, receiver=receiver) is should_flag
