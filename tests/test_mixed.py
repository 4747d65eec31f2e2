"""Words written partly in pinyin inside Chinese text are read as the rulebook terms they spell
(``qingfeng.text.mixed``), and the Latin of ordinary office chat is left alone."""

from __future__ import annotations

import pytest

from qingfeng import Checker, Message
from qingfeng.text.mixed import MixedReader, beside_han
from qingfeng.text.normalize import normalize

# Each text of the guard test below would spell one of these but for its guard.
TERMS = ["兼职", "刷单", "兼职刷单", "留置", "怀孕", "加微", "加微信", "色图", "赌场", "艾滋病", "上海", "张三",
         "恶人", "体恤", "不超", "信息号", "妈逼的", "日你", "换届"]


@pytest.fixture(scope="module")
def reader() -> MixedReader:
    return MixedReader(TERMS)


def read(reader: MixedReader, text: str) -> str | None:
    respelled = reader.read(normalize(text))
    return None if respelled is None else respelled.text


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("兼zhi刷dan 零门槛", "兼职刷单零门槛"),  # characters and whole syllables, in turn
        ("兼 zhi 刷 dan", "兼职刷单"),  # spaces between them are filler
        ("被纪委liu zhi了", "被纪委留置了"),  # two syllables typed apart, between characters
        ("huan jie明天投票", "换届明天投票"),  # …or between the message's start and a character
        ("小王怀y了", "小王怀孕了"),  # one character by its initial
        ("jia微领取", "加微领取"),
        ("发几张sè tú来", "发几张色图来"),  # toned pinyin
        ("查出艾z病了", "查出艾滋病了"),
        ("澳门线上du场", "澳门线上赌场"),
    ],
)
def test_a_mixed_run_reads_as_the_term_it_spells(reader: MixedReader, text: str, reading: str) -> None:
    assert beside_han(normalize(text).text)
    assert read(reader, text) == reading


@pytest.mark.parametrize(
    "text",
    [
        "明天e人局",  # one vowel letter is no syllable
        "去shanghai出差",  # a place run together
        "请Zhang San签字",  # a name, capitalised
        "这件t恤还有吗",  # a letter in a dictionary word
        "b超做完了",
        "麓山南路xx号",  # a mask, not pinyin
        "流量费每MB的价格",  # capital initials
        "看\\r你们",  # an escape sequence typed in the text
        "part time 兼职 daily pay",  # English words
        "Liu Zhi明天来报到",  # a name at the message's start, capitalised
    ],
)
def test_the_latin_of_ordinary_text_is_left_alone(reader: MixedReader, text: str) -> None:
    assert read(reader, text) is None


def test_findings_point_at_what_was_typed() -> None:
    text = "兼zhi刷dan，手机就能做，一单一结，想做的私我"
    (finding, *_) = [f for f in Checker().check(text, channel="group") if f.rule == "FRD008"]
    assert finding.excerpt == text[finding.start : finding.end] and finding.excerpt.startswith("兼zhi")


def _flagged(text: str) -> set[str]:
    message = Message(id="m", text=text, channel="group", sender="u", time="2026-03-04T10:00:00+08:00")
    return {f.category for f in Checker().check(message) if f.severity != "info"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("兼zhi刷dan，手机就能做，一单一结，想做的私我", "fraud"),
        ("听说财政局老王被 liu zhi 了，还没公布，别外传", "secrecy"),
        ("晚上发几张sè tú来看看", "vulgar"),
        ("选ju那天记得投我，每户二百", "gifts"),
    ],
)
def test_a_word_partly_in_pinyin_is_caught_by_its_rule(text: str, category: str) -> None:
    assert category in _flagged(text)


@pytest.mark.parametrize(
    "text",
    ["领导说下周开会，PPT和PDF都发我邮箱，OK？", "我在shanghai出差，明天回，HR那边帮我说一声",
     "请Zhang San签字，app里也能办", "连上wifi以后在app下载PDF"],
)
def test_office_chat_with_latin_is_not_flagged(text: str) -> None:
    assert _flagged(text) <= {"etiquette"}
