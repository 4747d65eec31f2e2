"""One card per message: which finding leads, which support it."""

from qingfeng.core.models import Finding, message_card


def _finding(rule: str, severity: str, confidence: float = 1.0, kind: str = "lexicon") -> Finding:
    return Finding("m1", rule, "privacy", severity, 0, 2, "ab", "", (), confidence=confidence,
                   explanation=f"{kind}: why")


def test_the_most_severe_written_rule_leads_and_models_support() -> None:
    card = message_card([
        _finding("PRV090", "block", 0.99, kind="classifier"),
        _finding("PRV004", "warn"),
        _finding("PRV001", "block", 0.8),
    ])
    assert card is not None
    assert card.lead.rule == "PRV001"
    assert [f.rule for f in card.supporting] == ["PRV090", "PRV004"]
    assert card.severity == "block"
    assert card.categories == ("privacy",)


def test_a_message_without_findings_has_no_card() -> None:
    assert message_card([]) is None
