"""The scan report as one self-contained HTML page: styles and charts inline, nothing fetched.

Built as the scan streams: totals come from ``ScanStats``; this keeps only the counts for the heat map
and the top lists, and a bounded sample of findings (most severe first) for the table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qingfeng import __version__
from qingfeng.core.i18n import t
from qingfeng.core.models import (
    CATEGORIES,
    SEVERITIES,
    SEVERITY_RANK,
    Finding,
    Message,
    MessageCard,
    message_card,
)
from qingfeng.media.scan import Shown
from qingfeng.pipeline.scan import Checked
from qingfeng.pipeline.stats import ScanStats
from qingfeng.report.templates_env import generated_at, report_environment
from qingfeng.rulebook.loader import Rulebook

MAX_ROWS = 500  # message cards shown in the table; the totals count every finding
TOP = 10
CONTEXT_CHARS = 60  # of message text shown either side of a span


@dataclass(frozen=True, slots=True)
class Row:
    """One message's card: its leading finding, the supporting ones, and the message with every span marked."""

    line: int
    message: Message
    card: MessageCard
    picture: Shown | None = None  # a picture message's thumbnail, its findings' boxes drawn over it

    @property
    def finding(self) -> Finding:
        return self.card.lead

    @property
    def parts(self) -> list[tuple[str, str | None]]:
        """The text as (piece, severity of its mark or None): overlapping spans merged into one mark of the
        most severe, the text before the first and after the last trimmed to some context."""
        text = self.message.text
        spans = sorted(
            (f.start, f.end, f.severity) for f in self.card.findings if f.start is not None and f.end is not None
        )
        merged: list[list] = []
        for start, end, severity in spans:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                last[1] = max(last[1], end)
                last[2] = max(last[2], severity, key=SEVERITY_RANK.__getitem__)
            else:
                merged.append([start, end, severity])
        if not merged:
            return [(_trim_end(text), None)]
        pieces: list[tuple[str, str | None]] = []
        at = 0
        for start, end, severity in merged:
            before = text[at:start]
            if at == 0 and len(before) > CONTEXT_CHARS:
                before = "…" + before[-CONTEXT_CHARS:]
            pieces += [(before, None), (text[start:end], severity)]
            at = end
        pieces.append((_trim_end(text[at:]), None))
        return [piece for piece in pieces if piece[0]]


def _trim_end(text: str) -> str:
    return text if len(text) <= 2 * CONTEXT_CHARS else text[: 2 * CONTEXT_CHARS] + "…"


class ScanReport:
    """Collects what the page shows while the scan streams, then renders it."""

    def __init__(self, rulebook: Rulebook, lang: str = "zh") -> None:
        self.rulebook, self.lang = rulebook, lang
        self.heat: Counter[tuple[int, int]] = Counter()  # (weekday, hour) → findings
        self.rooms: Counter[str] = Counter()
        self.senders: Counter[str] = Counter()
        self.recalled: set[str] = set()
        self._rows: dict[str, list[Row]] = {severity: [] for severity in SEVERITIES}

    def add(self, checked: Checked) -> None:
        message = checked.message
        if message.recalled and message.id is not None:
            self.recalled.add(message.id)
        if not checked.findings:
            return
        n = len(checked.findings)
        when = message.local_time
        if when is not None:
            self.heat[when.weekday(), when.hour] += n
        room = message.room_name or message.room
        if room:
            self.rooms[room] += n
        sender = message.sender_name or message.sender
        if sender:
            self.senders[sender] += n
        card = message_card(checked.findings)
        assert card is not None
        kept = self._rows[card.severity]
        if len(kept) < MAX_ROWS:
            kept.append(Row(checked.line, message, card, checked.picture))

    def rows(self) -> list[Row]:
        ordered = [row for severity in reversed(SEVERITIES) for row in self._rows[severity]]
        return ordered[:MAX_ROWS]

    def render(self, stats: ScanStats, name: str) -> str:
        lang = self.lang

        def translate(key: str, **values: object) -> str:
            return t(key, lang, **values)

        rows = self.rows()
        clauses = self.rulebook.clauses
        cited = sorted({c for row in rows for f in row.card.findings for c in f.sources[:3] if c in clauses})
        matrix = [
            (category, [stats.by_category_severity.get((category, s), 0) for s in SEVERITIES])
            for category in CATEGORIES
            if any(stats.by_category_severity.get((category, s), 0) for s in SEVERITIES)
        ]
        totals = {s: sum(n for (_, sev), n in stats.by_category_severity.items() if sev == s) for s in SEVERITIES}
        return (
            report_environment("qingfeng.report")
            .get_template("scan.html.j2")
            .render(
                t=translate,
                lang=lang,
                name=name,
                stats=stats,
                totals=totals,
                found=sum(totals.values()),
                matrix=matrix,
                matrix_max=max((n for _, counts in matrix for n in counts), default=0),
                heat=self.heat,
                heat_max=max(self.heat.values(), default=0),
                weekdays=[t(f"scan.html.weekday.{day}", lang) for day in range(7)],
                rooms=self.rooms.most_common(TOP),
                senders=self.senders.most_common(TOP),
                rows=rows,
                shown_all=len(rows) == stats.flagged,
                recalled=self.recalled,
                clauses=[self.rulebook.clauses[c] for c in cited],
                clauses_by_id=self.rulebook.clauses,
                documents=self.rulebook.documents,
                rank=SEVERITY_RANK,
                rulebook=self.rulebook.version,
                version=__version__,
                generated=generated_at(),
            )
        )


