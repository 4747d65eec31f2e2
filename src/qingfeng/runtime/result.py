"""The one result type of a run of the rules, whatever the input: an archive scanned, a group register
audited, a ledger screened. Each keeps its findings, the input it could not read, its statistics and counts,
and writes the same JSON document shape, versioned by ``schema_version``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qingfeng.core.models import Finding, counts_by_rule, needs_attention
from qingfeng.ingest.errors import InputProblem

# Raise when a key of the documents below changes meaning or goes away (adding keys does not).
SCHEMA_VERSION = 1


@dataclass(kw_only=True)
class RunResult:
    rulebook: str  # the rulebook version the run used
    findings: list[Finding] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)  # input left out, each naming file, line, field

    @property
    def attention(self) -> bool:
        """Whether a finding needs a person to act (warn or block)."""
        return needs_attention(self.findings)

    def counts(self) -> dict[str, dict[str, int]]:
        """Findings per rule, then per severity."""
        return counts_by_rule(self.findings)

    def statistics(self) -> dict[str, Any]:
        """What the run read and found beyond its findings, by input kind."""
        return {}

    def sections(self) -> dict[str, Any]:
        """Top-level parts of the document an input kind adds (its registers, its thresholds)."""
        return {}

    def finding_records(self) -> list[dict[str, Any]]:
        return [finding.to_dict() for finding in self.findings]

    def to_dict(self) -> dict[str, Any]:
        records = self.finding_records()
        return {
            "schema_version": SCHEMA_VERSION,
            "rulebook": self.rulebook,
            "summary": self.statistics() | {"findings": len(records), "by_rule": self.counts()},
            **self.sections(),
            "problems": [str(problem) for problem in self.problems],
            "findings": records,
        }
