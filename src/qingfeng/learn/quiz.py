"""A quiz generated from the rulebook's examples: is this message fine? what is wrong with it?

Every question has exactly one defensible answer. The answer to "is it fine?" is what the checker says about
the example (a warn or block finding means it is not), so a question can never contradict the tool the
learner will use; examples with only info-level tips are left out, since "fine" and "could be better" would
both hold. "What is wrong?" offers kinds of problem in plain words (the categories), and its wrong options
are categories none of the checker's findings on the example belongs to.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from qingfeng.core.models import Finding, needs_attention
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.schema import Example, Rule

FINE, PROBLEM = "fine", "problem"
PROBLEM_OPTIONS = 4


@dataclass(frozen=True)
class Question:
    id: str
    kind: Literal["fine", "problem"]
    rule: Rule
    example: Example
    options: tuple[str, ...]  # answer values: fine/problem, or categories
    correct: frozenset[str]
    findings: tuple[Finding, ...]  # the checker's findings on the example, shown after answering

    def is_correct(self, answer: str) -> bool:
        return answer in self.correct


class Quiz:
    """Every question the rulebook yields, addressed by a stable id (``fine/SEC001/fire/0``,
    ``problem/SEC001/0``) so an answer can be checked without keeping state between requests."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.rulebook = checker.rulebook
        # The kinds of problem a message can have: the categories of the rules that read messages.
        self.categories = sorted({rule.category for rule in checker.rules})

    @cached_property
    def _answers(self) -> tuple[dict[str, tuple[Rule, Example, tuple[Finding, ...]]], list[str]]:
        """Every example with the checker's findings, and the question ids they yield: worked out on the first
        question asked rather than when the web application starts (start-up time)."""
        examples: dict[str, tuple[Rule, Example, tuple[Finding, ...]]] = {}
        ids: list[str] = []
        asked = [
            (rule, which, number, example)
            for rule in self.checker.rules
            for which in ("fire", "pass")
            for number, example in enumerate(rule.examples.messages(which))
            if example.text  # a question shows the learner a message: a bare sticker has nothing to read
        ]
        checked = self.checker.check_batch([example.message() for *_, example in asked])  # one pass
        for (rule, which, number, example), found in zip(asked, checked, strict=True):
            findings = tuple(found)
            key = f"{rule.id}/{which}/{number}"
            examples[key] = (rule, example, findings)
            if needs_attention(list(findings)) or not findings:
                ids.append(f"fine/{key}")
            if which == "fire" and any(f.rule == rule.id for f in findings) and self._wrong_kinds(findings):
                ids.append(f"problem/{rule.id}/{number}")
        return examples, ids

    @property
    def ids(self) -> list[str]:
        return self._answers[1]

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.ids)

    def _wrong_kinds(self, findings: tuple[Finding, ...]) -> list[str]:
        """Kinds of problem the example does not have (no finding of the checker's is of that category)."""
        present = {finding.category for finding in findings}
        return [category for category in self.categories if category not in present]

    def question(self, question_id: str) -> Question:
        if question_id not in self._known:
            raise KeyError(question_id)
        kind, rule_id, *rest = question_id.split("/")
        if kind == "fine":
            which, number = rest
            rule, example, findings = self._answers[0][f"{rule_id}/{which}/{number}"]
            options = (FINE, PROBLEM)
            answer = PROBLEM if needs_attention(list(findings)) else FINE
            return Question(question_id, "fine", rule, example, options, frozenset({answer}), findings)
        (number,) = rest
        rule, example, findings = self._answers[0][f"{rule_id}/fire/{number}"]
        rng = random.Random(hashlib.sha256(question_id.encode()).digest())
        wrong = self._wrong_kinds(findings)
        chosen = [rule.category, *rng.sample(wrong, k=min(PROBLEM_OPTIONS - 1, len(wrong)))]
        rng.shuffle(chosen)
        return Question(question_id, "problem", rule, example, tuple(chosen), frozenset({rule.category}), findings)

    def pick(self, rng: random.Random, avoid: str | None = None) -> Question:
        choices = [question_id for question_id in self.ids if question_id != avoid] or self.ids
        return self.question(rng.choice(choices))
