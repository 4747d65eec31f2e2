"""Every ledger rule's examples run as the rule says; malformed ledger rules are refused by file and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingfeng.ledger.examples import rule_examples
from qingfeng.ledger.rules import KINDS, compile_rules
from qingfeng.rulebook.loader import RulebookError, default_rulebook, load_rulebook

RULEBOOK = default_rulebook()
LEDGER_RULES = RULEBOOK.rules_for("ledger")


def test_the_eight_rules_are_in_the_rulebook() -> None:
    ids = [rule.id for rule in LEDGER_RULES]
    assert ids == ["ILL010", "LED001", "LED002", "LED003", "LED004", "LED005", "LED006", "LED008"]
    assert {rule.detector["kind"] for rule in LEDGER_RULES} == set(KINDS)
    assert {rule.category for rule in LEDGER_RULES if rule.id.startswith("LED")} == {"gifts"}
    assert RULEBOOK.rule("ILL010").category == "illegal"
    assert any("loc-mon" in rule.sources for rule in LEDGER_RULES if rule.category == "gifts")


def test_findings_in_english() -> None:
    example = rule_examples(RULEBOOK.rule("LED004"), "fire")[0]
    finding = next(f for f in example.screen(RULEBOOK, lang="en").findings if f.rule == "LED004")
    assert "6 transfers of 200 yuan from 张某 (client)" in finding.explanation
    assert finding.advice.endswith(RULEBOOK.rule("LED004").advice.en)


_RULE = """
- id: LEDT01
  title: {zh: 测试, en: Test}
  category: gifts
  severity: warn
  input: ledger
  detector: {kind: giftcard}
  description: {zh: 测试, en: test}
  message: {zh: 测试, en: test}
  advice: {zh: 测试, en: test}
  sources: [tj-6]
  examples: {fire: [{as_of: 2024-05-20}], pass: [{as_of: 2024-05-20}]}
""".replace("LEDT01", "LED901")


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("kind: giftcard", "kind: telepathy"), "unknown ledger detector kind 'telepathy'"),
        (("kind: giftcard}", "kind: giftcard, limit: 5}"), "limit"),
    ],
)
def test_malformed_ledger_rules_are_refused_naming_file_and_rule(tmp_path: Path, change, complaint: str) -> None:
    old, new = change
    (tmp_path / "extra.yaml").write_text(_RULE.replace(old, new), encoding="utf-8")
    with pytest.raises(RulebookError) as raised:
        compile_rules(load_rulebook([tmp_path]), select=["LED9"])
    assert "extra.yaml" in str(raised.value) and "LED901" in str(raised.value)
    assert complaint in str(raised.value)
