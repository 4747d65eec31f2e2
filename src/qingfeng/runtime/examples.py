"""One runner for every rule's examples, whatever its input: a message rule's messages, a group rule's small
registers, a ledger rule's small ledgers. The rulebook's meta-test and the rule pages' checks share it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from qingfeng.core.models import Finding
from qingfeng.detectors.context import example_context
from qingfeng.groups import examples as group_examples
from qingfeng.ledger import examples as ledger_examples
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import Rulebook
from qingfeng.rulebook.schema import Rule

Which = Literal["fire", "pass"]


@dataclass(frozen=True)
class Case:
    """One example of one rule: ``fire`` ones must raise a finding of the rule, ``pass`` ones must not."""

    rule: Rule
    which: Which
    number: int
    example: Any  # an Example, GroupExample or LedgerExample, by the rule's input

    @property
    def name(self) -> str:
        return f"{self.rule.id}-{self.which}-{self.number}"

    @property
    def expected_severity(self) -> str | None:
        """The severity a fire example's findings must have, where the rule fixes one."""
        if self.rule.input == "ledger":
            return self.example.expect
        return self.rule.severity


def _examples(rule: Rule, which: Which) -> list[Any]:
    if rule.input == "groups":
        return group_examples.rule_examples(rule, which)
    if rule.input == "ledger":
        return ledger_examples.rule_examples(rule, which)
    return rule.examples.messages(which)


def cases(rulebook: Rulebook) -> list[Case]:
    """Every example of every rule in use, fire ones first."""
    return [
        Case(rule, which, number, example)
        for which in ("fire", "pass")
        for rule in rulebook.rules if rule.status != "deprecated"
        for number, example in enumerate(_examples(rule, which), start=1)
    ]


class ExampleRunner:
    """Runs a case through the runtime its rule's input needs and gives the rule's own findings."""

    def __init__(self, rulebook: Rulebook, lang: str = "zh") -> None:
        self.rulebook, self.lang = rulebook, lang

    @cached_property
    def checker(self) -> Checker:
        # Every rule that fires, unfolded, in the context (people register) the message examples assume.
        return Checker(self.rulebook, lang=self.lang, deduplicate=False, context=example_context())

    def findings(self, case: Case) -> list[Finding]:
        rule = case.rule
        if rule.input == "groups":
            found = case.example.audit(self.rulebook, rule).findings
        elif rule.input == "ledger":
            result = case.example.screen(self.rulebook, self.lang)
            if result.problems:
                raise ValueError(f"{case.name}: the example ledger has bad rows: {result.problems}")
            found = result.findings
        else:
            found = self.checker.check(case.example.message())
        return [finding for finding in found if finding.rule == rule.id]
