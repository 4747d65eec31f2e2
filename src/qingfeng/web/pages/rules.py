"""规则: every rule's page, generated from the rulebook, and the clause coverage table."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from qingfeng.core.models import CATEGORIES
from qingfeng.rulebook.pages import rule_page
from qingfeng.web.api.deps import CheckerDep, OptionalUser
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import lang_of, render

router = page_router()


@router.get("/rules")
def rules(request: Request, user: OptionalUser, checker: CheckerDep, category: str = "") -> HTMLResponse:
    rulebook = checker.rulebook
    shown = [rule for rule in rulebook.rules if not category or rule.category == category]
    present = [c for c in CATEGORIES if any(rule.category == c for rule in rulebook.rules)]
    return render(request, "rules.html", user, rules=shown, categories=present, category=category, rulebook=rulebook)


@router.get("/rules/coverage")
def coverage(request: Request, user: OptionalUser, checker: CheckerDep) -> HTMLResponse:
    rulebook = checker.rulebook
    rows = [(clause, rulebook.rules_citing(clause.id)) for clause in rulebook.clauses.values()]
    return render(request, "coverage.html", user, rows=rows, rulebook=rulebook)


@router.get("/rules/{rule_id}")
def rule(rule_id: str, request: Request, user: OptionalUser, checker: CheckerDep) -> HTMLResponse:
    try:
        found = checker.rulebook.rule(rule_id)
    except KeyError:
        raise HTTPException(404) from None
    lang = lang_of(request)
    page = rule_page(checker.rulebook, found, lang)
    return render(request, "rule.html", user, rule=found, page=page, sections=page.titled_sections(lang))
