"""Every group rule's examples run as the rule says; malformed group rules are refused by file and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingfeng.groups.audit import compile_rules
from qingfeng.groups.base import audit_kinds
from qingfeng.rulebook.loader import RulebookError, default_rulebook, load_rulebook

RULEBOOK = default_rulebook()
GROUP_RULES = RULEBOOK.rules_for("groups")


def test_the_seven_audits_are_in_the_rulebook() -> None:
    assert [rule.id for rule in GROUP_RULES] == [f"GRP00{n}" for n in range(1, 8)]
    assert all(rule.category == "group" for rule in GROUP_RULES)
    assert {rule.detector["kind"] for rule in GROUP_RULES} == set(audit_kinds())
    assert len(compile_rules(RULEBOOK)) == 7


def test_remark_and_stranger_rules_leave_friends_and_family_groups_alone() -> None:
    for rule in GROUP_RULES:
        if rule.detector["kind"] in ("real_name_remark", "stranger"):
            assert rule.scopes.rooms is not None and not {"family", "friends"} & set(rule.scopes.rooms), rule.id


_RULE = """
- id: TSG001
  title: {zh: 测试, en: Test}
  category: group
  severity: warn
  input: groups
  detector: {kind: stale_member, grace_days: 7}
  description: {zh: 测试, en: test}
  message: {zh: 测试, en: test}
  advice: {zh: 测试, en: test}
  sources: [xy-3]
  examples: {fire: [{as_of: 2024-05-20}], pass: [{as_of: 2024-05-20}]}
"""


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("kind: stale_member", "kind: telepathy"), "unknown group audit kind 'telepathy'"),
        (("grace_days: 7", "grace_days: 7, graec: 1"), "graec"),
        (("grace_days: 7", "grace_days: -1"), "grace_days"),
        (
            ("kind: stale_member, grace_days: 7", "kind: real_name_remark, formats: ['{nick}']"),
            "unknown field",
        ),
        (
            ("kind: stale_member, grace_days: 7", "kind: unacknowledged_notice, notice: '(收到'"),
            "regular expression",
        ),
    ],
)
def test_malformed_group_rules_are_refused_naming_file_and_rule(tmp_path: Path, change, complaint: str) -> None:
    old, new = change
    assert old in _RULE
    (tmp_path / "extra.yaml").write_text(_RULE.replace(old, new), encoding="utf-8")
    with pytest.raises(RulebookError) as raised:
        compile_rules(load_rulebook([tmp_path]), select=["TSG"])
    assert "extra.yaml" in str(raised.value) and "TSG001" in str(raised.value)
    assert complaint in str(raised.value)
