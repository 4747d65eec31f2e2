"""`qingfeng rules`: the rule list, one rule's page, or how each clause of the regulations is covered."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from qingfeng.cli.common import Lang, LangOption, fail, out
from qingfeng.core.i18n import t
from qingfeng.rulebook.loader import Clause, RulebookError, default_rulebook
from qingfeng.rulebook.pages import rule_page


def rules(
    rule_id: Annotated[str | None, typer.Argument(help="规则编号，例如 SEC001")] = None,
    coverage: Annotated[bool, typer.Option("--coverage", help="列出每个条款的覆盖情况")] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """规则列表、规则说明页、条款覆盖 / list rules, show a rule's page, or clause coverage."""
    try:
        rulebook = default_rulebook()
    except RulebookError as error:
        raise fail(str(error)) from None
    code = lang.value
    if coverage:
        table = Table(show_lines=False)
        for key in ("clause", "gist", "coverage", "rules"):
            table.add_column(t(f"coverage.{key}", code), overflow="fold")
        for clause in rulebook.clauses.values():
            cited = " ".join(rule.id for rule in rulebook.rules_citing(clause.id))
            table.add_row(clause.id, clause.gist(code), coverage_words(clause, code), cited)
        out.print(table)
        return
    if rule_id is None:
        table = Table()
        for key in ("id", "category", "severity", "title", "sources"):
            table.add_column(t(f"rules.{key}", code))
        for rule in rulebook.rules:
            table.add_row(
                rule.id, t("category." + rule.category, code), t("severity." + rule.severity, code),
                rule.title.get(code), " ".join(rule.sources),
            )
        out.print(table)
        return
    try:
        rule = rulebook.rule(rule_id)
    except KeyError:
        raise fail(t("rules.unknown", code, id=rule_id)) from None
    page = rule_page(rulebook, rule, code)
    kind = f"{t('category.' + rule.category, code)}, {t('severity.' + rule.severity, code)}"
    out.print(f"[bold]{page.heading}[/]  ({kind})")
    for title, body in page.titled_sections(code):
        out.print(f"\n[bold underline]{title}[/]")
        out.print(body, soft_wrap=True)


def coverage_words(clause: Clause, lang: str) -> str:
    """How a clause is covered, in the user's language: status, category and part of each entry."""
    colon, parenthesis, separator = (": ", " ({})", "; ") if lang == "en" else ("：", "（{}）", "；")
    parts = []
    for entry in clause.coverage:
        words = t(f"coverage.{entry.status}", lang)
        if entry.category:
            words += colon + t(f"category.{entry.category}", lang)
        part = entry.part_en if lang == "en" else entry.part_zh
        if part:
            words += parenthesis.format(part)
        parts.append(words)
    return separator.join(parts)
