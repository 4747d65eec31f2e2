"""Terms written wholly in pinyin: the rulebook's terms gain their toneless pinyin spellings when it compiles."""

from __future__ import annotations

import pytest

from qingfeng import Checker, Message
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.text.pinyin import spellings


def test_spellings_of_long_terms_apart_and_run_together() -> None:
    assert spellings("你他妈的")[:2] == ("ni ta ma de", "nitamade")
    assert spellings("长城站")[:2] == ("chang cheng zhan", "changchengzhan")  # read in context, not 长 = zhang


@pytest.mark.parametrize("term", ["傻逼", "开会", "sb", "微信号abc", ""])
def test_short_or_mixed_terms_get_no_spelling(term: str) -> None:
    assert spellings(term) == ()


def test_the_middle_character_of_a_three_character_term_in_pinyin_whole_or_by_its_initial() -> None:
    assert spellings("抑郁症")[2:] == ("抑yu症", "抑y症")
    assert spellings("内部消息") == ("nei bu xiao xi", "neibuxiaoxi")  # longer terms would double the automaton
    assert spellings("傻逼", pair=True) == ("sha bi", "shabi")  # a pair has no middle character


def test_a_pair_named_strong_is_spelled() -> None:
    assert spellings("傻逼", pair=True) == ("sha bi", "shabi")
    assert "sha bi" in default_rulebook().expand(["@common.pinyin_pairs"])


def _flagged(text: str) -> set[str]:
    message = Message(id="p", text=text, channel="group", sender="u", time="2026-03-04T10:00:00+08:00")
    return {finding.category for finding in Checker().check(message)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("ni ta ma de shi bu shi you bing", "abuse"),
        ("cao ni ma, gun", "abuse"),
        ("xin pin shang shi, yi jian dai fa, zhao dai li", "spam"),
        ("听说档案室小林得了抑y症，一直在吃药，别往外说", "privacy"),  # one character by its initial
    ],
)
def test_a_message_in_pinyin_is_read_like_its_characters(text: str, category: str) -> None:
    assert category in _flagged(text)


def test_ordinary_pinyin_is_not_flagged() -> None:
    assert _flagged("ming tian shang wu jiu dian kai hui, ni men ma shang dao") <= {"etiquette"}
