"""The ledger screening as one self-contained HTML page: per-official summary, a timeline of flagged money
and a who-paid-whom flow chart, both inline SVG laid out here (nothing is fetched when the page opens)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from qingfeng import __version__
from qingfeng.core.i18n import t
from qingfeng.core.models import DEFAULT_ZONE, SEVERITIES, SEVERITY_RANK, Finding
from qingfeng.ledger.explain import yuan
from qingfeng.ledger.screen import LedgerResult
from qingfeng.report.ledger_text import per_official, summary_line
from qingfeng.report.templates_env import generated_at, report_environment

WIDTH = 1000
COLOUR = {"info": "#0284c7", "warn": "#d97706", "block": "#b91c1c"}
MAX_FLOWS = 40  # the chart shows the largest flows; the tables below list every finding


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    colour: str
    label: str


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    height: float
    label: str
    anchor: str


@dataclass(frozen=True)
class Flow:
    path: str
    width: float
    colour: str
    label: str




def _worst_by_transfer(result: LedgerResult) -> dict[str, str]:
    worst: dict[str, str] = {}
    for finding in result.findings:
        for transfer in finding.extra["transfer_ids"]:
            if SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[worst.get(transfer, "info")]:
                worst[transfer] = finding.severity
    return worst


Ticks = list[tuple[float, str]]


def timeline(result: LedgerResult, height: int = 220) -> tuple[list[Dot], Ticks, Ticks]:
    """Each flagged transfer as a dot: time across, amount up (log scale), coloured by its worst finding."""
    worst = _worst_by_transfer(result)
    rows = [(i, *result.amounts[i]) for i in worst if i in result.amounts]
    if not rows:
        return [], [], []
    start = min(row[1] for row in rows).timestamp()
    end = max(row[1] for row in rows).timestamp()
    span = max(end - start, 86400.0)
    top = max(math.log10(1 + row[2]) for row in rows) or 1.0
    left, right, bottom = 60, WIDTH - 20, height - 30

    def x(moment: datetime) -> float:
        return round(left + (moment.timestamp() - start) / span * (right - left), 1)

    def y(amount: float) -> float:
        return round(bottom - math.log10(1 + amount) / top * (bottom - 15), 1)

    dots = [
        Dot(x(moment), y(amount), 3 + min(6, math.log10(1 + amount)), COLOUR[worst[i]],
            f"{moment:%Y-%m-%d %H:%M} {result.name(sender)} → {result.name(receiver)} {yuan(amount)}")
        for i, moment, amount, sender, receiver in sorted(rows, key=lambda row: SEVERITY_RANK[worst[row[0]]])
    ]
    moments = [datetime.fromtimestamp(start + span * k / 4, DEFAULT_ZONE) for k in range(5)]
    ticks_x = [(x(moment), moment.strftime("%Y-%m-%d")) for moment in moments]
    ticks_y = [(y(amount), yuan(amount)) for amount in (1, 10, 100, 1000, 10000, 100000)
               if math.log10(1 + amount) <= top * 1.05]
    return dots, ticks_x, ticks_y


def _edge(result: LedgerResult, finding: Finding, lang: str) -> tuple[str, str]:
    """Who paid and who was paid, as the chart labels them: a person, a group, or a unit's members."""
    extra = finding.extra
    subject = result.name(extra["subject"]) if extra["subject"] else "—"
    if finding.rule in ("LED003", "ILL010"):
        return f"「{result.room_names.get(extra['room'], extra['room'])}」", subject
    if extra["counterparty"] is None:
        return "—", subject
    if finding.rule == "LED005":  # the subject paid a unit's members
        return subject, t("ledger.members", lang, unit=extra["counterparty"], n=extra["members"])
    return result.name(extra["counterparty"]), subject


def flows(result: LedgerResult, lang: str = "zh") -> tuple[list[Node], list[Flow], int]:
    """Payers on the left, receivers on the right, a band per pair as wide as its flagged money (the largest
    finding on the pair, so that rules flagging the same money do not add it up twice)."""
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for finding in result.findings:
        key = _edge(result, finding, lang)
        amount, severity = pairs.get(key, (0.0, "info"))
        pairs[key] = (max(amount, finding.extra["total"]),
                      max(severity, finding.severity, key=SEVERITY_RANK.__getitem__))
    shown = sorted(pairs.items(), key=lambda item: -item[1][0])[:MAX_FLOWS]
    if not shown:
        return [], [], 0
    payers = list(dict.fromkeys(payer for (payer, _), _ in shown))
    payees = list(dict.fromkeys(payee for (_, payee), _ in shown))
    gap, row = 8, 26
    height = max(len(payers), len(payees)) * (row + gap) + 20
    largest = max(value[0] for _, value in shown)

    def place(names: list[str], x: float, anchor: str) -> dict[str, Node]:
        step = (height - 20) / max(1, len(names))
        return {name: Node(x, 10 + step * k, row, name, anchor) for k, name in enumerate(names)}

    left, right = place(payers, 300, "end"), place(payees, WIDTH - 300, "start")
    bands = []
    for (payer, payee), (amount, severity) in shown:
        a, b = left[payer], right[payee]
        y1, y2 = a.y + row / 2, b.y + row / 2
        middle = (a.x + b.x) / 2
        bands.append(Flow(
            f"M{a.x + 6},{y1:.1f} C{middle},{y1:.1f} {middle},{y2:.1f} {b.x - 6},{y2:.1f}",
            round(1.5 + 14 * math.sqrt(amount / largest), 1), COLOUR[severity], f"{payer} → {payee}: {yuan(amount)}",
        ))
    return [*left.values(), *right.values()], bands, int(height)


def render_html(result: LedgerResult, lang: str = "zh") -> str:
    """The report as one self-contained page, to save or pass on."""
    return _render("ledger.html.j2", result, lang)


def render_body(result: LedgerResult, lang: str = "zh") -> str:
    """The report's content alone, for a page that brings its own layout and styles (the web app)."""
    return _render("ledger_body.html.j2", result, lang)


def _render(template: str, result: LedgerResult, lang: str) -> str:
    dots, ticks_x, ticks_y = timeline(result)
    nodes, bands, flow_height = flows(result, lang)
    totals = {severity: sum(1 for f in result.findings if f.severity == severity) for severity in SEVERITIES}

    def translate(key: str, **values: object) -> str:
        return t(key, lang, **values)

    return report_environment("qingfeng.report").get_template(template).render(
        t=translate, lang=lang, result=result, summary=summary_line(result, lang), officials=per_official(result),
        totals=totals, dots=dots, ticks_x=ticks_x, ticks_y=ticks_y, nodes=nodes, bands=bands,
        flow_height=flow_height, width=WIDTH, colours=COLOUR, yuan=yuan, version=__version__,
        generated=generated_at(),
    )
