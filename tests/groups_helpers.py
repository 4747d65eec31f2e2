"""Small builders for group-audit tests: registers from rows, messages from (time, room, sender, text)."""

from __future__ import annotations

from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

from qingfeng.groups.audit import AuditResult, run_audit
from qingfeng.ingest.groups import Group, Member, Register
from qingfeng.ingest.people import Person
from qingfeng.models import Message

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "groups"
_ids = count(1)


def register(
    groups: list[dict[str, Any]], members: list[dict[str, Any]], people: list[dict[str, Any]]
) -> Register:
    parsed = [Group.model_validate({"owner": "", **row}) for row in groups]
    persons = [Person.model_validate(row) for row in people]
    return Register(
        {group.room: group for group in parsed},
        [Member.model_validate(row) for row in members],
        {person.id: person for person in persons},
    )


def message(time: str, room: str, sender: str, text: str, **fields: Any) -> Message:
    record = {
        "id": f"t{next(_ids)}",
        "time": time,
        "channel": "group",
        "room": room,
        "sender": sender,
        "text": text,
    }
    return Message.model_validate(record | fields)


def audit(
    reg: Register, as_of: str, select: str, messages: list[Message] | None = None, **options: Any
) -> AuditResult:
    return run_audit(reg, as_of=date.fromisoformat(as_of), messages=messages, select=[select], **options)


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
