"""A finding's explanation is structured (kind, what matched, base score, validation, context moves, later
moves) and renders the record's explanation string from those parts."""

from __future__ import annotations

import pytest

from qingfeng import Checker
from qingfeng.core.models import ContextMove, Validation


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(fast=True)


def _finding(checker: Checker, rule: str, text: str):
    (found,) = [f for f in checker.check(text) if f.rule == rule]
    return found


def test_a_recognizer_finding_names_its_pattern_check_base_and_boost(checker: Checker) -> None:
    found = _finding(checker, "PRV002", "卡号6222021234567890123 转账")
    why = found.why
    assert (why.kind, why.pattern, why.base) == ("pattern", ("bank_card",), 0.45)
    assert why.validation == Validation("luhn", False)
    assert why.context == (ContextMove("卡号", 0.25),)
    assert found.confidence == pytest.approx(why.base + 0.25)
    assert found.explanation == why.render() == "pattern: card-number shape, Luhn check invalid; context +0.25"


def test_a_valid_check_digit_is_recorded_as_passed(checker: Checker) -> None:
    why = _finding(checker, "PRV001", "他的身份证 110101199003074514").why
    assert why.validation == Validation("resident_id_check_digit", True) and why.base == 0.95


def test_a_term_finding_names_its_term_and_companions(checker: Checker) -> None:
    found = _finding(checker, "FRD002", "我是王局，换号了，先帮我转5万，明天还你")
    assert found.why.pattern == ("换号了", "我是王局") and found.why.validation is None
    assert found.explanation == "lexicon: term 换号了 with 我是王局"
