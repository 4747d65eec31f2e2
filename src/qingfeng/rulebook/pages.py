"""Rule pages, generated from the rulebook: the same sections for every rule, in ruff's spirit."""

from __future__ import annotations

import json
from dataclasses import dataclass

from qingfeng.core.i18n import t
from qingfeng.rulebook.loader import Rulebook
from qingfeng.rulebook.schema import Example, Rule

SECTIONS = ("what", "why", "example", "use_instead", "fix", "references")


@dataclass(frozen=True)
class RulePage:
    rule: Rule
    heading: str
    sections: dict[str, str]  # section key → text, in SECTIONS order

    def titled_sections(self, lang: str) -> list[tuple[str, str]]:
        return [(t(f"rules.{key}", lang), self.sections[key]) for key in SECTIONS]


def _example_text(example: Example | dict | str) -> str:
    if isinstance(example, Example):
        where = f"[{example.room_name}] " if example.room_name else ""
        money = f" ({example.type} {example.amount:g}元)" if example.amount is not None else ""
        sent = f" @ {example.time}" if example.time else ""  # rules on send time need it to make sense
        return f"{where}{example.text}{money}{sent}"
    if isinstance(example, dict):
        # Ledger and group examples are records; their `note` says in words what the record shows.
        return example.get("note") or json.dumps(example, ensure_ascii=False, default=str)
    return str(example)


def rule_page(rulebook: Rulebook, rule: Rule, lang: str = "zh") -> RulePage:
    clauses = [rulebook.clauses[clause_id] for clause_id in rule.sources]
    why = "\n".join(f"{clause.id}: {clause.text_zh.strip()}" for clause in clauses)
    if lang == "en":
        why = "\n".join(f"{clause.id}: {clause.gist_en}" for clause in clauses) + "\n" + why
    references = "\n".join(
        f"{clause.id} — {getattr(rulebook.documents[clause.document], f'title_{lang}')}" for clause in clauses
    )
    if rule.input == "message":
        fire = _example_text(rule.examples.messages("fire")[0])
        passing = _example_text(rule.examples.messages("pass")[0])
    else:
        fire, passing = _example_text(rule.examples.fire[0]), _example_text(rule.examples.pass_[0])
    sections = {
        "what": rule.description.get(lang),
        "why": why,
        "example": fire,
        "use_instead": passing,
        "fix": rule.advice.get(lang),
        "references": references,
    }
    return RulePage(rule, f"{rule.id} {rule.title.get(lang)}", sections)
