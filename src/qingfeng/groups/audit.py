"""Run the group rules over a register (and an archive): the one call the CLI and the web app share.

register = read_register(groups_csv, members_csv, people_csv)
result = run_audit(register, as_of=date(2024, 5, 20), messages=messages)
result.findings, result.activity, result.problems
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qingfeng.coach.workcal import WorkingCalendar, today
from qingfeng.core.models import Explanation, Finding, Message
from qingfeng.groups.activity import ActivitySpec, GroupActivity, summarize
from qingfeng.groups.base import AuditContext, AuditFunction, AuditSpec, GroupHit, audit_kinds
from qingfeng.groups.posts import Posts, collect_posts
from qingfeng.groups.remarks import RemarkFormat
from qingfeng.ingest.errors import InputProblem
from qingfeng.ingest.groups import Group, Register
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import Rulebook, default_rulebook
from qingfeng.rulebook.schema import Rule
from qingfeng.runtime.findings import build_finding
from qingfeng.runtime.result import RunResult


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    spec: AuditSpec
    function: AuditFunction

    def groups(self, register: Register, as_of: date) -> list[Group]:
        """The registered groups this rule looks at: of its room kinds, and existing on the audit day."""
        kinds = self.rule.scopes.rooms
        return [
            group
            for group in register.groups.values()
            if (kinds is None or group.kind in kinds) and (group.created is None or group.created <= as_of)
        ]


def compile_rules(rulebook: Rulebook, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[CompiledRule]:
    """The rulebook's group rules with their audit kinds resolved and specs validated."""
    kinds = audit_kinds()
    compiled = []
    for rule in rulebook.rules_for("groups"):
        if (select and not rule.id.startswith(tuple(select))) or (ignore and rule.id.startswith(tuple(ignore))):
            continue
        spec = rulebook.specs[rule.id]
        function = kinds[spec.kind][1]
        compiled.append(CompiledRule(rule, spec, function))
    return compiled


@dataclass(kw_only=True)
class AuditResult(RunResult):
    as_of: date
    register: Register
    activity: list[GroupActivity] = field(default_factory=list)  # per-group summary; empty without an archive
    posts: Posts | None = None
    fallback_years: list[int] = field(default_factory=list)  # years the calendar judged by weekday alone

    def by_room(self) -> dict[str, list[Finding]]:
        rooms: dict[str, list[Finding]] = {}
        for finding in self.findings:
            rooms.setdefault(finding.extra["room"], []).append(finding)
        return rooms

    def statistics(self) -> dict[str, Any]:
        archive = None
        if self.posts is not None:
            archive = {
                "messages": self.posts.read,
                "outside_register": self.posts.outside_register,
                "after_as_of": self.posts.after_as_of,
                "first_day": self.posts.first_day.isoformat() if self.posts.first_day else None,
                "last_day": self.posts.last_day.isoformat() if self.posts.last_day else None,
            }
        return {
            "groups": len(self.register.groups),
            "memberships": len(self.register.members),
            "people": len(self.register.people),
            "archive": archive,
            "calendar_fallback_years": self.fallback_years,
        }

    def sections(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "groups": [group.model_dump(mode="json") for group in self.register.groups.values()],
            "activity": [row.to_dict() for row in self.activity],
        }


def run_audit(
    register: Register,
    *,
    as_of: date | None = None,
    messages: Iterable[Message | InputProblem] | None = None,
    calendar: WorkingCalendar | None = None,
    remark_formats: Sequence[RemarkFormat] | None = None,
    rulebook: Rulebook | None = None,
    lang: str = "zh",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> AuditResult:
    """Audit the register as it stood at the end of ``as_of`` (default today).

    With ``messages`` (an archive; an unreadable record may stand as its InputProblem, which is kept in
    ``problems``) the activity audits run too, leaving out messages after ``as_of``. ``remark_formats``
    overrides the remark rule's formats; ``select``/``ignore`` take rule ids or prefixes."""
    rulebook = rulebook or default_rulebook()
    as_of = as_of or today()
    calendar = calendar or WorkingCalendar()
    rules = compile_rules(rulebook, select, ignore)
    problems = list(register.problems)
    posts = None
    if messages is not None:
        rooms = {room: group.kind for room, group in register.groups.items()}
        checker = Checker(rulebook, lang=lang, rooms=rooms, deduplicate=False)
        posts = collect_posts(_readable(messages, problems), register, checker, as_of)
    context = AuditContext(
        register, as_of, calendar, rulebook, posts, tuple(remark_formats) if remark_formats else None
    )
    order = {room: number for number, room in enumerate(register.groups)}
    findings = [
        _finding(compiled.rule, hit, register.groups[hit.room], lang)
        for compiled in rules
        for hit in compiled.function(context, compiled.spec, compiled.groups(register, as_of))
    ]
    findings.sort(key=lambda f: (order[f.extra["room"]], f.rule, f.extra.get("member") or "", f.excerpt))
    activity_spec = next((c.spec for c in rules if isinstance(c.spec, ActivitySpec)), ActivitySpec())
    return AuditResult(
        as_of=as_of,
        rulebook=rulebook.version,
        register=register,
        findings=findings,
        activity=summarize(context, activity_spec),
        posts=posts,
        problems=problems,
        fallback_years=sorted(calendar.fallback_years),
    )


def _readable(items: Iterable[Message | InputProblem], problems: list[InputProblem]) -> Iterator[Message]:
    for item in items:
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            yield item


def _finding(rule: Rule, hit: GroupHit, group: Group, lang: str) -> Finding:
    kind = rule.detector["kind"]
    return build_finding(
        rule, lang, message_id=hit.message_id, excerpt=hit.excerpt, start=hit.start, end=hit.end,
        why=Explanation(kind, hit.explanation),
        extra={
            "room": hit.room,
            "room_name": group.room_name,
            "owner": group.owner,
            "member": hit.member,
            "audit": kind,
            **hit.data,
        },
    )
