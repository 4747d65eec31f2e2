"""A group rule's examples: small registers (and archives) that the rule must fire on or pass."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from qingfeng.core.models import Message
from qingfeng.groups.audit import AuditResult, run_audit
from qingfeng.ingest.groups import Group, Member, Register
from qingfeng.ingest.people import Person
from qingfeng.rulebook.loader import Rulebook
from qingfeng.rulebook.schema import Rule


class GroupExample(BaseModel):
    """Rows as the CSV files hold them (``groups``, ``members``, ``people``) and message records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = ""  # the example in words, for the rule's page
    as_of: date
    groups: list[dict[str, Any]] = Field(min_length=1)
    members: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []

    def register(self) -> Register:
        groups = [Group.model_validate(row) for row in self.groups]
        people = [Person.model_validate(row) for row in self.people]
        return Register(
            {group.room: group for group in groups},
            [Member.model_validate(row) for row in self.members],
            {person.id: person for person in people},
        )

    def archive(self) -> list[Message] | None:
        if not self.messages:
            return None
        return [Message.model_validate({"channel": "group"} | row) for row in self.messages]

    def audit(self, rulebook: Rulebook, rule: Rule) -> AuditResult:
        """The example audited by this rule alone."""
        return run_audit(
            self.register(),
            as_of=self.as_of,
            messages=self.archive(),
            rulebook=rulebook,
            select=[rule.id],
        )


def rule_examples(rule: Rule, which: str) -> list[GroupExample]:
    items = rule.examples.fire if which == "fire" else rule.examples.pass_
    return [GroupExample.model_validate(item) for item in items]
