"""The ledger screening as one self-contained HTML page: per-official summary, a timeline of flagged money
and a who-paid-whom flow chart, both inline SVG laid out here (nothing is fetched when the page opens)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from qingfeng import __version__
from qingfeng.i18n import t
from qingfeng.ledger.explain import yuan
from qingfeng.ledger.report import per_official, summary_line
from qingfeng.ledger.screen import LedgerResult
from qingfeng.models import DEFAULT_ZONE, SEVERITIES, SEVERITY_RANK

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


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("qingfeng.ledger", "templates"),
        autoescape=select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
    ticks_x = [(x(datetime.fromtimestamp(start + span * k / 4, DEFAULT_ZONE)),
                datetime.fromtimestamp(start + span * k / 4, DEFAULT_ZONE).strftime("%Y-%m-%d")) for k in range(5)]
    ticks_y = [(y(amount), yuan(amount)) for amount in (1, 10, 100, 1000, 10000, 100000)
               if math.log10(1 + amount) <= top * 1.05]
    return dots, ticks_x, ticks_y


def flows(result: LedgerResult) -> tuple[list[Node], list[Flow], int]:
    """Payers on the left, receivers on the right, a band per pair as wide as the flagged money."""
    worst = _worst_by_transfer(result)
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for transfer, severity in worst.items():
        if transfer not in result.amounts:
            continue
        _, amount, sender, receiver = result.amounts[transfer]
        total, seen = pairs.get((sender, receiver), (0.0, "info"))
        pairs[(sender, receiver)] = (total + amount, max(seen, severity, key=SEVERITY_RANK.__getitem__))
    shown = sorted(pairs.items(), key=lambda item: -item[1][0])[:MAX_FLOWS]
    if not shown:
        return [], [], 0
    payers = sorted({s for (s, _), _ in shown}, key=lambda s: -sum(v[0] for (a, _), v in shown if a == s))
    payees = sorted({r for (_, r), _ in shown}, key=lambda r: -sum(v[0] for (_, b), v in shown if b == r))
    gap, row = 8, 26
    height = max(len(payers), len(payees)) * (row + gap) + 20
    largest = max(value[0] for _, value in shown)

    def place(names: list[str], x: float, anchor: str) -> dict[str, Node]:
        step = (height - 20) / max(1, len(names))
        return {name: Node(x, 10 + step * k, row, result.name(name), anchor) for k, name in enumerate(names)}

    left, right = place(payers, 240, "end"), place(payees, WIDTH - 240, "start")
    bands = []
    for (sender, receiver), (amount, severity) in shown:
        a, b = left[sender], right[receiver]
        y1, y2 = a.y + row / 2, b.y + row / 2
        middle = (a.x + b.x) / 2
        bands.append(Flow(
            f"M{a.x + 6},{y1:.1f} C{middle},{y1:.1f} {middle},{y2:.1f} {b.x - 6},{y2:.1f}",
            round(1.5 + 14 * math.sqrt(amount / largest), 1), COLOUR[severity],
            f"{result.name(sender)} → {result.name(receiver)}: {yuan(amount)}",
        ))
    return [*left.values(), *right.values()], bands, int(height)


def render_html(result: LedgerResult, lang: str = "zh") -> str:
    dots, ticks_x, ticks_y = timeline(result)
    nodes, bands, flow_height = flows(result)
    totals = {severity: sum(1 for f in result.findings if f.severity == severity) for severity in SEVERITIES}

    def translate(key: str, **values: object) -> str:
        return t(key, lang, **values)

    return _environment().get_template("report.html.j2").render(
        t=translate, lang=lang, result=result, summary=summary_line(result, lang), officials=per_official(result),
        totals=totals, dots=dots, ticks_x=ticks_x, ticks_y=ticks_y, nodes=nodes, bands=bands,
        flow_height=flow_height, width=WIDTH, colours=COLOUR, yuan=yuan, version=__version__,
        generated=datetime.now(DEFAULT_ZONE).strftime("%Y-%m-%d %H:%M"),
    )
