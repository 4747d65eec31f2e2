"""A quiz generated from the rulebook's examples: is this message fine? which clause does it break?

The answer to "is it fine?" is what the checker says about the example (a warn or block finding means it is
not), so a question can never contradict the tool the learner will use.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Literal

from qingfeng.engine import Checker
from qingfeng.models import Finding, needs_attention
from qingfeng.rulebook.schema import Example, Rule

FINE, PROBLEM = "fine", "problem"
CLAUSE_OPTIONS = 4


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: Literal["fine", "clause"]
    rule: Rule
    example: Example
    options: tuple[Option, ...]
    correct: frozenset[str]
    findings: tuple[Finding, ...]  # the checker's findings on the example, shown after answering

    def is_correct(self, answer: str) -> bool:
        return answer in self.correct


class Quiz:
    """Every question the rulebook yields, addressed by a stable id (``fine/SEC001/fire/0``,
    ``clause/SEC001/0``) so an answer can be checked without keeping state between requests."""

    def __init__(self, checker: Checker, lang: str = "zh") -> None:
        self.checker = checker
        self.rulebook = checker.rulebook
        self.lang = lang
        self._examples: dict[str, tuple[Rule, Example, tuple[Finding, ...]]] = {}
        self.ids: list[str] = []
        asked = [
            (rule, which, number, example)
            for rule in checker.rules
            for which in ("fire", "pass")
            for number, example in enumerate(rule.examples.messages(which))
        ]
        checked = checker.check_batch([example.message() for *_, example in asked])  # one pass: fast start-up
        for (rule, which, number, example), found in zip(asked, checked, strict=True):
            findings = tuple(found)
            key = f"{rule.id}/{which}/{number}"
            self._examples[key] = (rule, example, findings)
            self.ids.append(f"fine/{key}")
            if which == "fire" and any(f.rule == rule.id for f in findings) and self._distractors(rule):
                self.ids.append(f"clause/{rule.id}/{number}")
        self._known = frozenset(self.ids)

    def _distractors(self, rule: Rule) -> list[str]:
        """Checked clauses about other categories: plausible, and wrong."""
        return sorted(
            clause.id
            for clause in self.rulebook.clauses.values()
            if clause.checked_categories
            and rule.category not in clause.checked_categories
            and clause.id not in rule.sources
        )

    def question(self, question_id: str) -> Question:
        if question_id not in self._known:
            raise KeyError(question_id)
        kind, rule_id, *rest = question_id.split("/")
        if kind == "fine":
            which, number = rest
            rule, example, findings = self._examples[f"{rule_id}/{which}/{number}"]
            options = (Option(FINE, FINE), Option(PROBLEM, PROBLEM))
            answer = PROBLEM if needs_attention(list(findings)) else FINE
            return Question(question_id, "fine", rule, example, options, frozenset({answer}), findings)
        (number,) = rest
        rule, example, findings = self._examples[f"{rule_id}/fire/{number}"]
        rng = random.Random(hashlib.sha256(question_id.encode()).digest())
        distractors = self._distractors(rule)
        chosen = [rule.sources[0], *rng.sample(distractors, k=min(CLAUSE_OPTIONS - 1, len(distractors)))]
        rng.shuffle(chosen)
        options = tuple(Option(c, self.rulebook.clauses[c].gist(self.lang)) for c in chosen)
        return Question(question_id, "clause", rule, example, options, frozenset(rule.sources) & set(chosen), findings)

    def pick(self, rng: random.Random, avoid: str | None = None) -> Question:
        choices = [question_id for question_id in self.ids if question_id != avoid] or self.ids
        return self.question(rng.choice(choices))
