"""The rulebook: every rule's page and the clause coverage table."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from qingfeng.rulebook.loader import Rulebook
from qingfeng.rulebook.pages import rule_page
from qingfeng.rulebook.schema import Rule
from qingfeng.web.api.deps import CheckerDep
from qingfeng.web.api.schemas import ClauseOut, RuleOut

router = APIRouter(tags=["rules"])


def rule_out(rulebook: Rulebook, rule: Rule, lang: str) -> RuleOut:
    page = rule_page(rulebook, rule, lang)
    return RuleOut(
        id=rule.id,
        title=rule.title.get(lang),
        category=rule.category,
        severity=rule.severity,
        status=rule.status,
        input=rule.input,
        sources=list(rule.sources),
        sections=page.sections,
    )


@router.get("/rules", response_model=list[RuleOut])
def list_rules(checker: CheckerDep, lang: str = "zh") -> list[RuleOut]:
    rulebook = checker.rulebook
    return [rule_out(rulebook, rule, lang) for rule in rulebook.rules]


@router.get("/rules/{rule_id}", response_model=RuleOut)
def get_rule(rule_id: str, checker: CheckerDep, lang: str = "zh") -> RuleOut:
    try:
        rule = checker.rulebook.rule(rule_id)
    except KeyError:
        raise HTTPException(404, "no such rule") from None
    return rule_out(checker.rulebook, rule, lang)


@router.get("/coverage", response_model=list[ClauseOut])
def coverage(checker: CheckerDep, lang: str = "zh") -> list[ClauseOut]:
    rulebook = checker.rulebook
    return [
        ClauseOut(
            id=clause.id,
            document=clause.document,
            gist=clause.gist(lang),
            coverage=clause.coverage_text,
            rules=[rule.id for rule in rulebook.rules_citing(clause.id)],
        )
        for clause in rulebook.clauses.values()
    ]
