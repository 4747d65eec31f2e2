"""The one place a finding is built from a rule and a hit, for messages, group registers and ledgers alike.

The severity is the rule's, as its YAML says. A hit below ``MIN_CONFIDENCE`` is advice (info); a hit whose
matter is settled (money returned in time) is info too. Only a rule that declares ``escalate`` can be raised,
and never above the severity it names; a ``ceiling`` (the engine's merge capping a lone model) lowers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qingfeng.core.models import RECORD_FIELDS, SEVERITIES, SEVERITY_RANK, Explanation, Finding, Severity
from qingfeng.rulebook.schema import Rule

# Below this confidence a finding is advice (info), whatever the rule's severity.
MIN_CONFIDENCE = 0.5


def judged_severity(rule: Rule, *, confidence: float = 1.0, raise_by: int = 0, settled: bool = False,
                    ceiling: Severity | None = None) -> Severity:
    """The rule's severity, raised ``raise_by`` steps within its ``escalate`` ceiling and kept at or below
    ``ceiling``, or info when the hit is unsure or settled."""
    if settled or confidence < MIN_CONFIDENCE:
        return "info"
    rank = SEVERITY_RANK[rule.severity]
    if raise_by and rule.escalate is not None:
        rank = max(rank, min(rank + raise_by, SEVERITY_RANK[rule.escalate]))
    if ceiling is not None:
        rank = min(rank, SEVERITY_RANK[ceiling])
    return SEVERITIES[rank]  # type: ignore[return-value]


def build_finding(
    rule: Rule,
    lang: str,
    *,
    message_id: str | None,
    excerpt: str,
    why: Explanation,
    start: int | None = None,
    end: int | None = None,
    confidence: float = 1.0,
    raise_by: int = 0,
    settled: bool = False,
    advice_lead: str = "",
    extra: Mapping[str, Any] | None = None,
    ceiling: Severity | None = None,
) -> Finding:
    """A finding of ``rule`` on one hit. ``advice_lead`` goes before the rule's advice (a ledger's reasons);
    ``extra`` may add fields to the record but never replace one of the contract's."""
    extra = dict(extra or {})
    clash = RECORD_FIELDS.intersection(extra)
    if clash:
        raise ValueError(f"rule {rule.id}: extra fields would overwrite the finding record's {sorted(clash)}")
    return Finding(
        message_id=message_id,
        rule=rule.id,
        category=rule.category,
        severity=judged_severity(rule, confidence=confidence, raise_by=raise_by, settled=settled, ceiling=ceiling),
        start=start,
        end=end,
        excerpt=excerpt,
        advice=advice_lead + rule.advice.get(lang),
        sources=tuple(rule.sources),
        title=rule.title.get(lang),
        message=rule.message.get(lang),
        confidence=confidence,
        explanation=why.render(),
        why=why,
        extra=extra,
    )
