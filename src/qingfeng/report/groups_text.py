"""Group-audit reports: the terminal view, JSON Lines, and the per-owner alert (WeCom markdown)."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from qingfeng.core.i18n import t
from qingfeng.core.models import SEVERITY_RANK, Finding, needs_attention
from qingfeng.groups.audit import AuditResult
from qingfeng.ingest.groups import Group
from qingfeng.report.text import SEVERITY_STYLE

# WeCom refuses markdown content over 4,096 bytes: the findings get this much, the closing line the rest.
ALERT_LIMIT = 4096
ALERT_BYTES = 3900
_ALERT_COLOUR = {"info": "comment", "warn": "warning", "block": "warning"}


def subject(finding: Finding, lang: str) -> str:
    """What a finding is about, without the group it is listed under."""
    label = _label(finding)
    text = finding.excerpt.removeprefix(f"{label} · ")
    if text == label:
        owner = finding.extra.get("owner")
        text = f"{t('groups.owner', lang)}: {owner or t('groups.no_owner', lang)}"
    if finding.extra.get("finding_rule"):
        text = f"{finding.extra['finding_rule']} {finding.extra['finding_title']}「{text}」"
        if finding.extra.get("sender_name"):
            text += f" {t('groups.sender', lang)}: {finding.extra['sender_name']}"
    if finding.extra.get("expected"):
        text += f" → {t('groups.expected', lang)} {' / '.join(finding.extra['expected'])}"
    if finding.extra.get("missing_names"):
        names = "、".join(finding.extra["missing_names"])
        text += f" — {t('groups.missing.' + finding.extra['audit'], lang)}: {names}"
    return text


def _label(finding: Finding) -> str:
    name, room = finding.extra.get("room_name"), finding.extra["room"]
    return f"{name} [{room}]" if name else f"[{room}]"


def _group_heading(group: Group, result: AuditResult, lang: str) -> str:
    owner = result.register.people.get(group.owner or "")
    shown = f"{owner.name} ({group.owner})" if owner else group.owner or t("groups.no_owner", lang)
    return f"{group.label}  {t('groups.kind.' + group.kind, lang)} · {t('groups.owner', lang)} {shown}"


def render_text(console: Console, result: AuditResult, lang: str = "zh") -> None:
    console.print(Text(t("groups.title", lang, as_of=result.as_of.isoformat()), style="bold"))
    rooms = result.by_room()
    for room, findings in rooms.items():
        console.print()
        console.print(Text(_group_heading(result.register.groups[room], result, lang), style="bold"))
        for finding in findings:
            severity = t("severity." + finding.severity, lang)
            line = Text("  ")
            line.append(f" {severity} ", style=SEVERITY_STYLE[finding.severity])
            line.append(f" {finding.rule} {finding.title}", style="bold")
            line.append(f"  {subject(finding, lang)}")
            console.print(line, soft_wrap=True)
    if not rooms:
        console.print(Text(t("groups.clean", lang), style="green"))
    if result.activity:
        console.print()
        render_activity(console, result, lang)
    console.print()
    register = result.register
    sizes = {"groups": register.groups, "memberships": register.members, "people": register.people}
    counts = {key: len(value) for key, value in sizes.items()}
    console.print(t("groups.summary", lang, findings=len(result.findings), **counts))
    if result.posts is None:
        console.print(Text(t("groups.no_archive", lang), style="dim"))
    else:
        posts = result.posts
        counts = {"messages": posts.read, "outside": posts.outside_register, "after": posts.after_as_of}
        console.print(t("groups.archive", lang, **counts))
    if result.fallback_years:
        years = ", ".join(map(str, result.fallback_years))
        console.print(Text(t("calendar.fallback_years", lang, years=years), style="yellow"))


def render_activity(console: Console, result: AuditResult, lang: str) -> None:
    table = Table(title=t("groups.activity.title", lang))
    table.add_column(t("groups.activity.group", lang), overflow="fold")
    for key in ("messages", "senders", "off_topic", "after_hours", "alerts"):
        table.add_column(t(f"groups.activity.{key}", lang), justify="right")
    for row in result.activity:
        shares = (f"{row.off_topic_share:.0%}", f"{row.after_hours_share:.0%}")
        counts = (str(row.messages), str(row.senders))
        table.add_row(row.room_name or row.room, *counts, *shares, str(row.alerts))
    console.print(table)


def jsonl_lines(result: AuditResult) -> Iterator[bytes]:
    for finding in result.findings:
        yield orjson.dumps(finding.to_dict()) + b"\n"


def owner_alerts(result: AuditResult, lang: str = "zh") -> dict[str | None, str]:
    """One markdown message per group owner (None: the groups with no owner) about their groups' findings."""
    by_owner: dict[str | None, list[Finding]] = {}
    for finding in result.findings:
        by_owner.setdefault(finding.extra.get("owner"), []).append(finding)
    return {owner: _alert(owner, findings, result, lang) for owner, findings in by_owner.items()}


def _alert(owner: str | None, findings: list[Finding], result: AuditResult, lang: str) -> str:
    person = result.register.people.get(owner or "")
    who = (person.name if person else owner) if owner else t("groups.alert.no_owner", lang)
    attention = sum(needs_attention([finding]) for finding in findings)
    lines = [
        f"## {t('groups.alert.heading', lang, owner=who, as_of=result.as_of.isoformat())}",
        t("groups.alert.count", lang, n=len(findings), attention=attention),
    ]
    used = sum(len(line.encode()) + 1 for line in lines)
    # The most serious first, so that what the limit cuts off is the least urgent.
    ordered = sorted(findings, key=lambda f: -SEVERITY_RANK[f.severity])
    room = None
    for shown, finding in enumerate(ordered):
        block = []
        if finding.extra["room"] != room:
            room = finding.extra["room"]
            block.append(f"**{_label(finding)}**")
        colour, severity = _ALERT_COLOUR[finding.severity], t("severity." + finding.severity, lang)
        severity = f'<font color="{colour}">{severity}</font>'
        block.append(f"> {severity} {finding.rule} {finding.title}：{subject(finding, lang)}")
        size = sum(len(line.encode()) + 1 for line in block)
        if used + size > ALERT_BYTES:
            lines.append(t("groups.alert.more", lang, n=len(ordered) - shown))
            break
        lines.extend(block)
        used += size
    return "\n".join(lines)
