"""The group-audit plugin interface: an audit kind turns a rule's ``detector:`` spec into hits on groups.

A group rule in the rulebook (``input: groups``) names an audit kind and its parameters; the kind is a
pure function over the typed register (and, where it needs one, the archive's posts). Adding a rule of an
existing kind — another grace period, other notice wording — needs no code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.groups.posts import Posts
from qingfeng.groups.remarks import RemarkFormat
from qingfeng.ingest.groups import Group, Member, Register
from qingfeng.rulebook.kinds import RuleKind, register_kind, rule_kinds
from qingfeng.rulebook.loader import Rulebook


class AuditSpec(BaseModel):
    """Base of every audit kind's spec; unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str


@dataclass(frozen=True, slots=True)
class GroupHit:
    """An audit's verdict on one group, one member, or one message in a group."""

    room: str
    excerpt: str  # what the finding shows; with the room in it, so that identities stay apart
    member: str | None = None
    message_id: str | None = None
    start: int | None = None  # a span of the message's original text, where the hit is about a message
    end: int | None = None
    explanation: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditContext:
    register: Register
    as_of: date
    calendar: WorkingCalendar
    rulebook: Rulebook
    posts: Posts | None = None  # None without an archive: the activity audits then say nothing
    remark_formats: tuple[RemarkFormat, ...] | None = None  # overrides the rule's own formats

    def display(self, member: Member) -> str:
        """How a member is shown: their remark in the group, else their registered name, else the id."""
        person = self.register.people.get(member.member)
        return member.remark or (person.name if person else member.member)

    def members(self, group: Group, present: Callable[[Member], bool]) -> list[Member]:
        """The group's members for whom ``present`` holds, each person once (a rejoin is a second row)."""
        found: dict[str, Member] = {}
        for member in self.register.members_of(group.room):
            if present(member):
                found.setdefault(member.member, member)
        return list(found.values())

    def current_members(self, group: Group) -> list[Member]:
        """Members still in the group at the end of the audit day."""
        return self.members(group, lambda member: member.in_group_on(self.as_of))


AuditFunction = Callable[[AuditContext, Any, list[Group]], Iterable[GroupHit]]


def audit_kind(kind: str, spec: type[AuditSpec]) -> Callable[[AuditFunction], AuditFunction]:
    """Register a function(context, spec, groups in the rule's scope) → hits under ``kind``."""

    def register(function: AuditFunction) -> AuditFunction:
        register_kind(RuleKind("groups", kind, spec, function))
        return function

    return register


def audit_kinds() -> dict[str, tuple[type[AuditSpec], AuditFunction]]:
    return {name: (kind.spec, kind.runner) for name, kind in rule_kinds("groups").items()}  # type: ignore[misc]
