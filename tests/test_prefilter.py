"""Literals a regex needs: every match must hold one of each set, or rules would be skipped wrongly."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfeng.detectors.prefilter import batch_gate, batch_safe, present, required_literals
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.text.normalize import normalize


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        ("[0-9]+床", ({"床"},)),
        ("叫[\u4e00-\u9fff]{2}|姓名|身份证", ({"叫", "姓名", "身份证"},)),
        ("(?:你个?|一群)(?:垃圾|蠢)", ({"你", "一群"}, {"垃圾", "蠢"})),
        ("你(好|坏)?吗", ({"你"}, {"吗"})),
        ("(?:加)?(?:v|微信)[a-z]{4}", ()),  # a branch starting with a Latin letter gives nothing
        ("(?i)你好", ()),
        ("[^a]+", ()),
        ("a|你好", ()),
    ],
)
def test_required_literals(regex: str, expected: tuple[set[str], ...]) -> None:
    assert required_literals(regex) == tuple(frozenset(found) for found in expected)


def _rule_regexes() -> list[str]:
    regexes = []
    for rule in default_rulebook().rules_for("message"):
        detector = rule.detector
        regexes += [detector["regex"]] if detector.get("regex") else []
        regexes += [signal["regex"] for signal in detector.get("signals", []) if signal.get("regex")]
    return regexes


def test_every_rulebook_match_holds_its_literals() -> None:
    """On every example text of the rulebook, wherever a rule's regex matches, its literals are found."""
    checker = Checker(fast=True)
    texts = [
        normalize(example.text).text
        for rule in default_rulebook().rules_for("message")
        for which in ("fire", "pass")
        for example in rule.examples.messages(which)
    ]
    found = checker._find_terms(texts)  # the engine's own term pass, as detectors see it
    checked = 0
    for regex in _rule_regexes():
        required = required_literals(regex)
        pattern = re.compile(regex)
        for text, terms in zip(texts, found, strict=True):
            if pattern.search(text):
                checked += 1
                assert present(required, terms), (regex, text)
    assert checked > 20


@given(st.text(alphabet="你好吗一群垃圾蠢个床号栋0123456789ab ", max_size=30))
def test_any_match_contains_the_literals(text: str) -> None:
    regexes = ("(?:你个?|一群)(?:垃圾|蠢)", "你(好|坏)?吗", "[0-9]+(?:号楼|栋)[0-9]+", "(?:住|家住)[^，]{0,4}?[0-9]+栋")
    for regex in regexes:
        match = re.search(regex, text)
        if match:
            for literals in required_literals(regex):
                assert any(literal in match.group() for literal in literals)


@cache
def _checker() -> Checker:
    return Checker(fast=True)


@pytest.mark.parametrize(
    ("regex", "safe"),
    [
        ("[0-9]{7}", True),
        ("@", True),
        ("(?:你|一群)(?:垃圾|蠢)", True),
        (r"\d{3}", True),
        ("(?<![0-9])1[3-9][0-9]{9}", False),  # looks behind its match
        ("[^，]{0,3}a", False),  # a negated class matches NUL
        ("a.b", False),
        ("x?", False),  # matches the empty string
        (r"a\b", False),
    ],
)
def test_batch_safe(regex: str, safe: bool) -> None:
    assert batch_safe(regex) is safe


@settings(deadline=None)  # the first example builds the engine (cached), which no deadline should time
@given(st.lists(st.text(alphabet="你一群垃圾蠢0123456789@a.b ", max_size=12), min_size=1, max_size=8))
def test_gates_over_a_batch_match_one_search_per_text(texts: list[str]) -> None:
    checker = _checker()
    passed = checker._gate_search.passed(texts)
    for number, gate in enumerate(checker._gates):
        assert batch_safe(gate.pattern)
        assert [bool(mask >> number & 1) for mask in passed] == [bool(gate.search(text)) for text in texts]


@pytest.mark.parametrize(
    ("regex", "gate"),
    [
        ("[0-9]{7}", "[0-9]{7}"),
        ("(?<![0-9])1[3-9][0-9]{9}", "1[3-9][0-9]{9}"),
        (r"(?<![a-z\])])(?:v|微)[:：][a-z]{4}", "(?:v|微)[:：][a-z]{4}"),  # a "]" and ")" inside the class
        ("(?<!x)", None),  # nothing left
        ("(?<!x)a.b", None),  # what is left is not safe either
        ("^abc", None),
    ],
)
def test_batch_gate_drops_a_leading_look_behind(regex: str, gate: str | None) -> None:
    assert batch_gate(regex) == gate


@given(st.text(alphabet="加微v:：abc12你 ", max_size=16))
def test_a_gate_matches_wherever_its_regex_does(text: str) -> None:
    regex = "(?<![a-z0-9])(?:加|v|微)[:：]?[a-z][a-z0-9]{1,3}"
    gate = batch_gate(regex)
    assert gate is not None
    if re.search(regex, text):
        assert re.search(gate, text)
