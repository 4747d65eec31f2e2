"""The ``message`` kind: the whole message, when it is in the rule's scope and its cue groups are present."""

from __future__ import annotations

import pytest

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}
FAMILY = {"channel": "group", "room_name": "相亲相爱一家人"}


@pytest.mark.parametrize(
    ("text", "fields", "should_flag"),
    [
        ("来了老弟", {**WORK, "type": "sticker"}, True),
        ("", {**WORK, "type": "sticker"}, True),
        ("来了老弟", {**FAMILY, "type": "sticker"}, False),  # not a work room
        ("来了老弟", {"type": "sticker"}, False),  # private chat
        ("来了老弟", {**WORK, "type": "text"}, False),  # not a sticker
    ],
)
def test_message(flags, text: str, fields: dict, should_flag: bool) -> None:
    assert flags("ETQ014", text, **fields) is should_flag
