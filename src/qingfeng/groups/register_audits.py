"""Audits of the register itself: owners (xy-1), real-name remarks (xy-2), strangers (ug-2), and people
who left or moved post (xy-3).

Each kind is a pure function of the register on the audit day. Which group kinds a rule looks at is the
rule's ``scopes.rooms``; friends and family groups are left out of every one of these rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from qingfeng.groups.base import AuditContext, AuditSpec, GroupHit, audit_kind
from qingfeng.groups.remarks import DEFAULT_FORMATS, RemarkFormat, carries_real_name, expected_remarks
from qingfeng.ingest.groups import Group, Member


def _member_excerpt(group: Group, member: Member, shown: str) -> str:
    return f"{group.label} · {shown} ({member.member})"


class OwnerSpec(AuditSpec):
    kind: Literal["group_owner"]


@audit_kind("group_owner", OwnerSpec)
def group_owner(context: AuditContext, spec: OwnerSpec, groups: list[Group]) -> Iterator[GroupHit]:
    """A group with no owner, or an owner the people register does not know."""
    for group in groups:
        if group.owner is None:
            yield GroupHit(group.room, group.label, explanation="no owner named", data={"problem": "missing"})
        elif group.owner not in context.register.people:
            yield GroupHit(
                group.room,
                group.label,
                member=group.owner,
                explanation=f"owner {group.owner!r} is not in the people register",
                data={"problem": "unregistered"},
            )


class RemarkSpec(AuditSpec):
    kind: Literal["real_name_remark"]
    formats: list[str] = Field(default=list(DEFAULT_FORMATS), min_length=1)

    @field_validator("formats")
    @classmethod
    def _formats_parse(cls, value: list[str]) -> list[str]:
        for text in value:
            RemarkFormat.parse(text)
        return value


@audit_kind("real_name_remark", RemarkSpec)
def real_name_remark(context: AuditContext, spec: RemarkSpec, groups: list[Group]) -> Iterator[GroupHit]:
    """A registered member whose remark is not their real name in one of the accepted formats.

    Members the register does not know are strangers, a separate rule; their remark cannot be judged."""
    formats = context.remark_formats or tuple(RemarkFormat.parse(text) for text in spec.formats)
    for group in groups:
        for member in context.current_members(group):
            person = context.register.people.get(member.member)
            if person is None or carries_real_name(member.remark, person, formats):
                continue
            expected = expected_remarks(person, formats)
            yield GroupHit(
                group.room,
                _member_excerpt(group, member, member.remark or "—"),
                member=member.member,
                explanation=f"remark {member.remark!r}; expected {' or '.join(map(repr, expected))}",
                data={"remark": member.remark, "expected": expected},
            )


class StrangerSpec(AuditSpec):
    kind: Literal["stranger"]


@audit_kind("stranger", StrangerSpec)
def stranger(context: AuditContext, spec: StrangerSpec, groups: list[Group]) -> Iterator[GroupHit]:
    """A member of the group who is not in the people register at all."""
    for group in groups:
        for member in context.current_members(group):
            if member.member not in context.register.people:
                yield GroupHit(
                    group.room,
                    _member_excerpt(group, member, member.remark or member.member),
                    member=member.member,
                    explanation=f"{member.member!r} is not in the people register",
                    data={"remark": member.remark},
                )


class StaleMemberSpec(AuditSpec):
    kind: Literal["stale_member"]
    statuses: list[Literal["departed", "moved"]] = Field(default=["departed", "moved"], min_length=1)
    grace_days: int = Field(default=30, ge=0)  # still in the group MORE than this many days after the change


@audit_kind("stale_member", StaleMemberSpec)
def stale_member(context: AuditContext, spec: StaleMemberSpec, groups: list[Group]) -> Iterator[GroupHit]:
    """A member who left the unit or moved post more than ``grace_days`` ago and is still in its work groups.

    Someone who moved and then joined a group of their new post is where they belong: only memberships
    that began before the move count. A status without ``status_since`` cannot be timed and is not judged."""
    for group in groups:
        for member in context.current_members(group):
            person = context.register.people.get(member.member)
            if person is None or person.status not in spec.statuses or person.status_since is None:
                continue
            days = (context.as_of - person.status_since).days
            if days <= spec.grace_days:
                continue
            if person.status == "moved" and member.joined is not None and member.joined >= person.status_since:
                continue
            yield GroupHit(
                group.room,
                _member_excerpt(group, member, context.display(member)),
                member=member.member,
                explanation=f"{person.status} since {person.status_since} ({days} days)",
                data={"status": person.status, "status_since": person.status_since.isoformat(), "days": days},
            )
