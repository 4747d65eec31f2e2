"""The meta-test: every rule's examples, of every input (messages, group registers, ledgers), through the one
example runner — fire examples raise a finding of their rule with its severity, pass examples raise none."""

from __future__ import annotations

import pytest

from qingfeng.pipeline.engine import YIELDED
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.runtime.examples import Case, ExampleRunner, cases

RULEBOOK = default_rulebook()
CASES = cases(RULEBOOK)
RUNNER = ExampleRunner(RULEBOOK)


def test_every_input_has_examples() -> None:
    assert {case.rule.input for case in CASES} == {"message", "groups", "ledger"}


@pytest.mark.parametrize("case", [c for c in CASES if c.which == "fire"], ids=lambda case: case.name)
def test_fire_examples_fire(case: Case) -> None:
    fired = RUNNER.findings(case)
    assert fired, f"{case.rule.id} did not fire on its fire example {case.number}"
    expected = case.expected_severity
    if case.rule.input == "message":
        # A message rule may also fire as advice on a part of the text; info rules are advice anyway; a rule that
        # yields (Rule.yields) is advice beside the graver finding it yields to.
        assert expected == "info" or any(f.severity == expected or YIELDED in f.explanation for f in fired), (
            f"{case.name} fired only as info")
    elif expected is not None:
        assert {f.severity for f in fired} == {expected}
    rule = case.rule
    for finding in fired:
        assert finding.category == rule.category and finding.sources == tuple(rule.sources)
        if rule.input == "ledger":  # the receipts behind it, and the reasons before the rule's advice
            assert finding.extra["transfer_ids"] and finding.extra["transfer_ids"][0] == finding.message_id
            assert 0 < finding.extra["score"] <= 1
            assert finding.advice.startswith(finding.explanation) and finding.advice.endswith(rule.advice.zh)
            assert finding.start is None and finding.end is None
        elif rule.input == "groups":  # which group, and which member where the finding is about one
            assert finding.extra["room"] in case.example.register().groups and "member" in finding.extra
            assert finding.advice == rule.advice.zh


@pytest.mark.parametrize("case", [c for c in CASES if c.which == "pass"], ids=lambda case: case.name)
def test_pass_examples_pass(case: Case) -> None:
    fired = RUNNER.findings(case)
    assert not fired, f"{case.rule.id} fired on its pass example {case.number}: {[f.explanation for f in fired]}"
