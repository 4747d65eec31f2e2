"""Running totals of a scan, shared by every report format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qingfeng.core.models import Finding, needs_attention
from qingfeng.ingest.errors import InputProblem
from qingfeng.runtime.result import RunResult

MAX_PROBLEMS_KEPT = 1000


@dataclass
class ScanStats:
    messages: int = 0
    flagged: int = 0
    attention: int = 0  # messages with a warn or block finding
    bad_lines: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    by_category_severity: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # records that are not messages, by kind

    def add(self, findings: list[Finding]) -> None:
        self.messages += 1
        if findings:
            self.flagged += 1
            self.attention += needs_attention(findings)
            self.by_category_severity.update((f.category, f.severity) for f in findings)

    def add_problem(self, problem: InputProblem) -> None:
        self.bad_lines += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    def merge(self, other: ScanStats) -> None:
        """Add the totals of a part of the same scan (a chunk checked elsewhere)."""
        self.messages += other.messages
        self.flagged += other.flagged
        self.attention += other.attention
        self.bad_lines += other.bad_lines
        self.problems.extend(other.problems[: MAX_PROBLEMS_KEPT - len(self.problems)])
        self.by_category_severity.update(other.by_category_severity)
        self.skipped.update(other.skipped)


@dataclass(kw_only=True)
class ScanResult(RunResult):
    """A finished scan as the shared result type: its totals, and the finding records (each with its line
    and whether it leads its message's card) that the scan kept as it streamed."""

    stats: ScanStats
    records: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = self.stats.problems

    @property
    def attention(self) -> bool:
        return self.stats.attention > 0

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for record in self.records:
            per_rule = counts.setdefault(record["rule"], {})
            per_rule[record["severity"]] = per_rule.get(record["severity"], 0) + 1
        return counts

    def statistics(self) -> dict[str, Any]:
        stats = self.stats
        return {
            "messages": stats.messages,
            "flagged": stats.flagged,
            "bad_lines": stats.bad_lines,
            "skipped": dict(stats.skipped),
            "by_category": {f"{c}/{s}": n for (c, s), n in sorted(stats.by_category_severity.items())},
        }

    def finding_records(self) -> list[dict[str, Any]]:
        return self.records
