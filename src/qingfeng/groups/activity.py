"""Audits of what happens in the groups, from an archive: unconfirmed notices (ug-8, ur-2), missing
daily reports (loc-cj), and block-level findings the group owner must act on (hb-2.3); a per-group summary.

"The audit day" (``as_of``) is still in progress: a notice whose confirmation deadline is that day, or a
report due that day, is not judged yet. Nor is anything the archive does not reach.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from importlib.resources import files
from itertools import islice
from typing import Literal

from pydantic import Field, field_validator

from qingfeng.coach.workcal import Window
from qingfeng.core.cache import yaml_data
from qingfeng.core.models import SEVERITY_RANK, Finding, Severity
from qingfeng.groups.base import AuditContext, AuditSpec, GroupHit, audit_kind
from qingfeng.groups.posts import Post
from qingfeng.ingest.groups import Group, Member
from qingfeng.rulebook.loader import Rulebook

EXCERPT_CHARS = 60
# The default wording of notices, confirmations and reports is data (activity.yaml, beside this module).
WORDING: dict[str, str] = yaml_data(files("qingfeng.groups").joinpath("activity.yaml").read_text("utf-8"))


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a valid regular expression: {error}") from None
    return value


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def _names(context: AuditContext, members: list[Member]) -> list[str]:
    return [context.display(member) for member in members]


class NoticeSpec(AuditSpec):
    kind: Literal["unacknowledged_notice"]
    notice: str = WORDING["notice"]
    acknowledgement: str = WORDING["acknowledgement"]
    working_days: int = Field(default=1, ge=1)

    _valid = field_validator("notice", "acknowledgement")(_pattern)


@audit_kind("unacknowledged_notice", NoticeSpec)
def unacknowledged_notice(context: AuditContext, spec: NoticeSpec, groups: list[Group]) -> Iterator[GroupHit]:
    """A notice asking for confirmation that members in the group did not confirm within the working days."""
    if context.posts is None:
        return
    notice, ack = re.compile(spec.notice), re.compile(spec.acknowledgement)
    for group in groups:
        posts = context.posts.room(group.room)
        for number, post in enumerate(posts):
            if post.time is None or not notice.search(post.text):
                continue
            sent = post.time.date()
            deadline = sent
            for _ in range(spec.working_days):
                deadline = context.calendar.next_workday(deadline)
            if deadline >= context.as_of or not context.posts.covers(deadline):
                continue  # not over yet, or past the end of the archive: nothing to judge
            # Someone who joined that day may have joined after the notice; someone gone by the deadline
            # owed no answer.
            expected = context.members(
                group,
                lambda member, sent=sent, deadline=deadline, sender=post.message.sender: (
                    member.member != sender and member.in_group_all_day(sent) and member.in_group_on(deadline)
                ),
            )
            confirmed = set()
            for later in islice(posts, number + 1, None):
                if later.day is None or later.day > deadline:
                    break  # posts are in time order, the untimed last
                if ack.search(later.text) and not notice.search(later.text):
                    confirmed.add(later.message.sender)
            missing = [member for member in expected if member.member not in confirmed]
            if not missing:
                continue
            yield GroupHit(
                group.room,
                _excerpt(post.message.text),
                message_id=post.message.id,
                explanation=f"{len(missing)} of {len(expected)} did not confirm by the end of {deadline}",
                data={
                    "sender": post.message.sender,
                    "sent": post.time.isoformat(),
                    "deadline": deadline.isoformat(),
                    "missing": [member.member for member in missing],
                    "missing_names": _names(context, missing),
                },
            )


class DailyReportSpec(AuditSpec):
    kind: Literal["daily_report"]
    report: str = WORDING["report"]
    exempt_owner: bool = True  # the owner is usually the one the reports go to

    _valid = field_validator("report")(_pattern)


@audit_kind("daily_report", DailyReportSpec)
def daily_report(context: AuditContext, spec: DailyReportSpec, groups: list[Group]) -> Iterator[GroupHit]:
    """In a group marked daily_report=yes, the members who sent no report on a working day.

    Days are judged from the archive's first day to the day before the audit day (or the archive's last
    day), and only working days of the calendar, adjusted working days (调休) included."""
    posts = context.posts
    if posts is None or posts.first_day is None or posts.last_day is None:
        return
    report = re.compile(spec.report)
    last = min(posts.last_day, context.as_of - timedelta(days=1))
    for group in groups:
        if not group.daily_report:
            continue
        reported: set[tuple[str | None, date]] = {
            (post.message.sender, post.day)
            for post in posts.room(group.room)
            if post.day is not None and report.search(post.text)
        }
        day = max(posts.first_day, group.created or posts.first_day)
        while day <= last:
            if context.calendar.is_workday(day):
                due = context.members(
                    group,
                    lambda member, day=day, owner=group.owner: (
                        member.in_group_all_day(day) and not (spec.exempt_owner and member.member == owner)
                    ),
                )
                missing = [member for member in due if (member.member, day) not in reported]
                if missing:
                    name = context.calendar.day_name(day)
                    yield GroupHit(
                        group.room,
                        f"{group.label} · {day.isoformat()}",
                        explanation=f"{len(missing)} of {len(due)} sent no report on {day}"
                        + (f" ({name})" if name else ""),
                        data={
                            "day": day.isoformat(),
                            "missing": [member.member for member in missing],
                            "missing_names": _names(context, missing),
                        },
                    )
            day += timedelta(days=1)


class ActivitySpec(AuditSpec):
    kind: Literal["group_activity"] = "group_activity"
    # A message is off-topic when a message rule of these categories citing these clauses fires on it.
    off_topic_clauses: tuple[str, ...] = ("ug-2", "loc-cj", "ur-3")
    off_topic_categories: tuple[str, ...] = ("etiquette",)
    window: str = "08:00-22:00"  # outside it, or on a rest day, a message is after hours (ur-1)
    alert_severity: Severity = "block"  # findings at or above this become alerts to the owner

    @field_validator("window")
    @classmethod
    def _window(cls, value: str) -> str:
        Window.parse(value)
        return value


@audit_kind("group_activity", ActivitySpec)
def owner_alert(context: AuditContext, spec: ActivitySpec, groups: list[Group]) -> Iterator[GroupHit]:
    """Every finding at the alert severity on a message in the group: the owner must stop it (hb-2.3)."""
    if context.posts is None:
        return
    for group in groups:
        for post in context.posts.room(group.room):
            for finding in _alerting(post, spec.alert_severity):
                yield GroupHit(
                    group.room,
                    finding.excerpt,
                    member=post.message.sender,
                    message_id=post.message.id,
                    start=finding.start,
                    end=finding.end,
                    explanation=f"{finding.rule} {finding.title}: {finding.explanation}",
                    data={
                        "sender_name": _sender_name(context, post),
                        "finding_rule": finding.rule,
                        "finding_title": finding.title,
                        "finding_category": finding.category,
                        "finding_severity": finding.severity,
                        "sent": post.time.isoformat() if post.time else None,
                    },
                )


def _alerting(post: Post, severity: Severity) -> list[Finding]:
    """The post's findings at or above ``severity``, one per span: the engine runs without folding findings
    of a category together (so that an off-topic finding is not hidden behind another etiquette one), and
    an owner needs one alert per offending passage, not one per rule that saw it."""
    floor = SEVERITY_RANK[severity]
    spans: dict[tuple[int | None, int | None], Finding] = {}
    for finding in post.findings:
        kept = spans.get((finding.start, finding.end))
        if SEVERITY_RANK[finding.severity] >= floor and (
            kept is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[kept.severity]
        ):
            spans[(finding.start, finding.end)] = finding
    return list(spans.values())


def _sender_name(context: AuditContext, post: Post) -> str | None:
    person = context.register.people.get(post.message.sender or "")
    return person.name if person else post.message.sender_name or post.message.sender


@dataclass(frozen=True)
class GroupActivity:
    """One row of the per-group summary."""

    room: str
    room_name: str
    kind: str
    messages: int
    senders: int
    off_topic: int
    after_hours: int  # of the messages with a time
    timed: int
    alerts: int  # findings at the alert severity

    @property
    def off_topic_share(self) -> float:
        return self.off_topic / self.messages if self.messages else 0.0

    @property
    def after_hours_share(self) -> float:
        return self.after_hours / self.timed if self.timed else 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self) | {
            "off_topic_share": round(self.off_topic_share, 4),
            "after_hours_share": round(self.after_hours_share, 4),
        }


def off_topic_rules(rulebook: Rulebook, spec: ActivitySpec) -> frozenset[str]:
    return frozenset(
        rule.id
        for rule in rulebook.rules_for("message")
        if rule.category in spec.off_topic_categories and set(rule.sources) & set(spec.off_topic_clauses)
    )


def summarize(context: AuditContext, spec: ActivitySpec) -> list[GroupActivity]:
    """Per registered group with messages: volume, off-topic and after-hours shares, alert-level findings."""
    if context.posts is None:
        return []
    off_topic = off_topic_rules(context.rulebook, spec)
    window = Window.parse(spec.window)
    rows = []
    for group in context.register.groups.values():
        posts = context.posts.room(group.room)
        if not posts:
            continue
        timed = [post for post in posts if post.time is not None]
        rows.append(
            GroupActivity(
                room=group.room,
                room_name=group.room_name,
                kind=group.kind,
                messages=len(posts),
                senders=len({post.message.sender for post in posts}),
                off_topic=sum(1 for post in posts if _any_rule(post, off_topic)),
                after_hours=sum(1 for post in timed if not context.calendar.is_working_time(post.time, window)),
                timed=len(timed),
                alerts=sum(len(_alerting(post, spec.alert_severity)) for post in posts),
            )
        )
    return rows


def _any_rule(post: Post, rules: frozenset[str]) -> bool:
    return any(finding.rule in rules for finding in post.findings)
