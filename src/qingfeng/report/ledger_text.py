"""Ledger screening reports for the terminal and as JSON Lines (the finding contract plus the ledger keys)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import orjson
from rich.console import Console
from rich.text import Text

from qingfeng.core.i18n import t
from qingfeng.core.models import SEVERITY_RANK, Finding, worst_severity
from qingfeng.ledger.explain import yuan
from qingfeng.ledger.screen import LedgerResult
from qingfeng.report.text import SEVERITY_STYLE


@dataclass(frozen=True)
class OfficialSummary:
    subject: str | None
    name: str
    unit: str
    findings: list[Finding]
    amount: float  # the money the findings are about, each transfer once
    worst: str


def per_official(result: LedgerResult) -> list[OfficialSummary]:
    """One row per subject, the most serious first."""
    grouped: dict[str | None, list[Finding]] = {}
    for finding in result.findings:
        grouped.setdefault(finding.extra["subject"], []).append(finding)
    rows = []
    for subject, findings in grouped.items():
        ids = {i for finding in findings for i in finding.extra["transfer_ids"]}
        amount = sum(result.amounts[i][1] for i in ids if i in result.amounts)
        person = result.people.get(subject or "")
        rows.append(OfficialSummary(subject, result.name(subject), (person.unit or "") if person else "", findings,
                                    round(amount, 2), worst_severity(findings) or "info"))
    return sorted(rows, key=lambda row: (-SEVERITY_RANK[row.worst], -row.amount, row.name))


def summary_line(result: LedgerResult, lang: str) -> str:
    screened, bad = result.stats["transfers"], result.stats["bad_rows"]
    return t("ledger.summary", lang, read=f"{screened + bad:,}", screened=f"{screened:,}", bad=f"{bad:,}",
             n=len(result.findings), as_of=result.as_of.isoformat())


def render_text(console: Console, result: LedgerResult, lang: str = "zh") -> None:
    console.print(Text(t("ledger.title", lang), style="bold"))
    console.print(summary_line(result, lang))
    if not result.findings:
        console.print(t("ledger.nothing", lang))
    for row in per_official(result):
        console.print()
        unit = f" · {row.unit}" if row.unit else ""
        heading = t("ledger.heading", lang, name=row.name, unit=unit, amount=yuan(row.amount))
        console.print(Text(heading, style="bold"))
        for finding in row.findings:
            line = Text("  ")
            line.append(f"{t('severity.' + finding.severity, lang)} ", style=SEVERITY_STYLE[finding.severity])
            line.append(f"{finding.rule} {finding.title}", style="bold")
            line.append(f"  [{finding.extra['score']:.2f}]", style="dim")
            console.print(line)
            console.print(Text(f"    {finding.advice}"), soft_wrap=True)
            console.print(Text(f"    {t('clause', lang)}: {', '.join(finding.sources)}", style="dim"))


def jsonl_lines(result: LedgerResult) -> Iterator[bytes]:
    for finding in result.findings:
        yield orjson.dumps(finding.to_dict()) + b"\n"
