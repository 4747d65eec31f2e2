"""The group audit as one self-contained HTML page (styles inline; no script, font or image fetched)."""

from __future__ import annotations

from dataclasses import dataclass

from qingfeng import __version__
from qingfeng.core.i18n import t
from qingfeng.core.models import SEVERITIES, Finding
from qingfeng.groups.audit import AuditResult
from qingfeng.ingest.groups import Group
from qingfeng.report.groups_text import subject
from qingfeng.report.templates_env import generated_at, report_environment


@dataclass(frozen=True)
class GroupSection:
    group: Group
    owner: str  # the owner as shown: name (id), the bare id, or "none"
    findings: list[tuple[Finding, str]]  # each with its subject line




def render_html(result: AuditResult, lang: str = "zh") -> str:
    sections = []
    for room, findings in result.by_room().items():
        group = result.register.groups[room]
        person = result.register.people.get(group.owner or "")
        owner = f"{person.name} ({group.owner})" if person else group.owner or t("groups.no_owner", lang)
        sections.append(GroupSection(group, owner, [(finding, subject(finding, lang)) for finding in findings]))
    totals = {severity: sum(1 for f in result.findings if f.severity == severity) for severity in SEVERITIES}

    def translate(key: str, **values: object) -> str:
        return t(key, lang, **values)

    return (
        report_environment("qingfeng.report")
        .get_template("groups.html.j2")
        .render(
            t=translate,
            lang=lang,
            result=result,
            sections=sections,
            totals=totals,
            rulebook=result.rulebook,
            version=__version__,
            generated=generated_at(),
        )
    )
