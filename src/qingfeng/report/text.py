"""Terminal output: a message with its spans highlighted, findings with advice, and scan summaries."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from qingfeng.core.i18n import skipped_kind, t
from qingfeng.core.models import CATEGORIES, SEVERITIES, Finding, MessageCard
from qingfeng.pipeline.stats import ScanStats
from qingfeng.report.lines import SEVERITY_STYLE, finding_lines
from qingfeng.rulebook.loader import Rulebook

SPAN_STYLE = {"info": "underline cyan", "warn": "bold yellow reverse", "block": "bold white on red"}


def highlighted(text: str, findings: Iterable[Finding]) -> Text:
    rendered = Text(text)
    for finding in findings:
        if finding.start is not None and finding.end is not None:
            rendered.stylize(SPAN_STYLE[finding.severity], finding.start, finding.end)
    return rendered


def render_findings(
    console: Console, text: str, findings: list[Finding], rulebook: Rulebook, lang: str = "zh"
) -> None:
    """The pre-send check's answer: the draft with its spans marked, then each finding and its fix."""
    console.print(highlighted(text, findings))
    for line in finding_lines(findings, rulebook, lang):
        console.print(Text.assemble(*line))


def card_line(where: str, card: MessageCard, lang: str = "zh") -> str:
    """A message's card on one line: the leading finding, then the supporting rules."""
    lead = card.lead
    line = f"{where} [{lead.severity}] {lead.rule} {lead.title} 「{lead.excerpt}」"
    if card.supporting:
        line += f" ({t('scan.supporting', lang)} " + ", ".join(f.rule for f in card.supporting) + ")"
    return line


def render_summary(console: Console, stats: ScanStats, lang: str = "zh") -> None:
    table = Table(title=t("summary.title", lang))
    table.add_column(t("summary.category", lang))
    for severity in SEVERITIES:
        table.add_column(t("severity." + severity, lang), justify="right", style=SEVERITY_STYLE[severity])
    table.add_column(t("summary.total", lang), justify="right", style="bold")
    for category in CATEGORIES:
        row = [stats.by_category_severity.get((category, severity), 0) for severity in SEVERITIES]
        if sum(row):
            table.add_row(t("category." + category, lang), *map(str, row), str(sum(row)))
    totals = [sum(n for (_, s), n in stats.by_category_severity.items() if s == sev) for sev in SEVERITIES]
    table.add_row(t("summary.total", lang), *map(str, totals), str(sum(totals)), style="bold")
    console.print(table)
    console.print(t("summary.messages", lang, n=stats.messages))
    console.print(t("summary.flagged", lang, n=stats.flagged))
    if stats.skipped:
        kinds = t("compose.list_separator", lang).join(
            f"{skipped_kind(kind, lang)} ×{n}" for kind, n in stats.skipped.most_common()
        )
        console.print(Text(t("summary.skipped", lang, n=stats.skipped.total(), kinds=kinds), style="dim"))
    if stats.bad_lines:
        console.print(Text(t("summary.bad_lines", lang, n=stats.bad_lines), style="yellow"))
