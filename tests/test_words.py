"""Word boundaries (qingfeng.text.words): a short term found inside other words is no hit there."""

from __future__ import annotations

import pytest

from qingfeng import Checker
from qingfeng.text.words import Words


def piece(text: str, term: str, bound: frozenset[str] = frozenset()) -> bool:
    start = text.index(term)
    return Words(text).piece_of_words(start, start + len(term), bound)


@pytest.mark.parametrize(("text", "term"), [
    ("早两年放开房价也不会跌成这样", "开房"),  # across 放开|房价
    ("百度里有如下注释", "下注"),  # across 如下|注释
    ("最后一根大烟囱正式退出历史舞台", "大烟"),  # 大烟囱 divides as 大|烟囱
    ("喜宝大米米粉到货了", "粉"),  # one character inside a word
    ("冰糖心苹果果园直发", "冰"),
    ("《民法典》第一千二百五十四条：禁止从建筑物中抛掷物品", "二百五"),  # a piece of a longer number
    ("这件外套二百五十块", "二百五"),
])
def test_pieces_of_other_words(text: str, term: str) -> None:
    assert piece(text, term)


@pytest.mark.parametrize(("text", "term"), [
    ("昨晚跟她去开房了", "开房"),
    ("今晚下注的找我", "下注"),
    ("他得了艾滋病", "艾滋"),  # 艾滋病 divides as 艾滋|病: the term keeps its sense
    ("刘主任得了抑郁症", "抑郁"),
    ("冰有吗？老地方", "冰"),  # a word of its own
    ("你这个废物", "你这个废"),  # a phrase, not a word: its edges fall inside words by design
    ("秘密级的通报拍照发我", "密级"),  # reads better as 秘密|级, but not by far enough
    ("village v15832628550", "v1"),  # not Chinese
    ("你真是个二百五", "二百五"),  # a number word standing alone is the insult
])
def test_words_of_their_own(text: str, term: str) -> None:
    assert not piece(text, term)


def test_bound_characters_keep_their_sense_inside_words() -> None:
    assert piece("他去嫖娼被抓了", "嫖")
    assert not piece("他去嫖娼被抓了", "嫖", frozenset({"嫖"}))


def test_the_engine_sets_pieces_of_words_aside() -> None:
    checker = Checker()
    assert "ILL001" not in {f.rule for f in checker.check("姑娘一词在百度里有如下注释：未婚的女子")}
    assert "ILL001" in {f.rule for f in checker.check("今晚六合彩下注找我")}
    assert "ILL004" not in {f.rule for f in checker.check("新疆阿克苏冰糖心苹果，果园直发，需要的扣1")}
    assert "ILL004" in {f.rule for f in checker.check("冰有吗？老地方，两克")}


@pytest.mark.parametrize(("text", "piece", "whole"), [
    ("这是我们的穴位按摩", "的穴", "穴位"),  # widened to 的穴位, the lone 的 at its edge left out
    ("二十年了一点没变", "了一", "一点"),
    ("你还是那么欠揍", "你还是那么", "你还是那么"),  # already whole words: kept as it is, 你 and all
    ("老板说下周开会", "说下", "下周"),
])
def test_a_piece_cut_out_of_words_reads_whole(text: str, piece: str, whole: str) -> None:
    at = text.index(piece)
    start, end = Words(text).whole(at, at + len(piece))
    assert text[start:end] == whole
