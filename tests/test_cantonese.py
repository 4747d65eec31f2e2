"""Cantonese typed as it is spoken reads as the Mandarin the rulebook is written in (``qingfeng.text.cantonese``);
Mandarin text that shares a character with it is left alone, and offsets stay the original's."""

from __future__ import annotations

import pytest

from qingfeng import Checker, Message
from qingfeng.text.normalize import normalize


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("佢唔喺度", "他不在度"),
        ("你系唔系讲咗三次", "你是不是讲了三次"),  # 系 is 是 once the text is Cantonese
        ("嗰啲链接唔好点", "那些链接不要点"),  # 唔好 tells someone not to
        ("打断佢条腿", "打断他的腿"),  # the classifier as a possessive
        ("听讲佢屋企冇人", "听说他家里没人"),
    ],
)
def test_cantonese_reads_as_mandarin_of_the_same_length(text: str, reading: str) -> None:
    read = normalize(text)
    assert read.text == reading
    assert read.to_original(0, len(read.text)) == (0, len(text))


@pytest.mark.parametrize("text", ["我系统里查一下", "唔，好的，马上到", "旁边那个会议室", "这个关系要理顺"])
def test_mandarin_keeps_its_own_words(text: str) -> None:
    assert normalize(text).text == text


def _flagged(checker: Checker, text: str) -> set[str]:
    message = Message(id="m", text=text, channel="group", sender="u", time="2026-03-04T10:00:00+08:00",
                      room_name="县水务局办公室工作群")
    return {f.category for f in checker.check(message) if f.severity != "info"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("我系你哋张局嘅秘书，局长开紧会唔方便听电话，叫你马上将2万转去对方公司账户", "fraud"),
        ("听讲明年要全面降薪三成，文件早就落咗，只系冇公布", "rumor"),
        ("女人就唔适合做执法，一有事就喊", "abuse"),
    ],
)
def test_a_violation_in_cantonese_is_read(checker: Checker, text: str, category: str) -> None:
    assert category in _flagged(checker, text)
