"""What the review page and the queue API share: reading the filters, how reviewers see people (pseudonyms),
and the exports (CSV, Excel, labelled JSONL)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated

import orjson
from fastapi import Query
from openpyxl import Workbook
from sqlalchemy.orm import Session

from qingfeng.core.i18n import t
from qingfeng.core.models import DEFAULT_ZONE
from qingfeng.store import crud
from qingfeng.store.models import FindingRecord, User
from qingfeng.store.review import QueueFilter, QueueItem
from qingfeng.web.templating import pick

EXPORT_LIMIT = 100_000  # messages in one export
PSEUDONYM_PREFIX = "成员-"
DECISION_WORDS = {
    "open": ("待审核", "open"),
    "confirmed": ("已确认", "confirmed"),
    "dismissed": ("已排除", "dismissed"),
    "escalated": ("已上报", "escalated"),
}
EXPORT_COLUMNS = (
    ("时间", "time"),
    ("群", "room"),
    ("发送人", "sender"),
    ("内容", "text"),
    ("类别", "categories"),
    ("级别", "severity"),
    ("决定", "decision"),
    ("备注", "note"),
    ("审核人", "reviewer"),
    ("负责人", "assignee"),
)


class BadFilter(ValueError):
    """A filter value that names nothing (an unknown assignee, a date that is none)."""


def parse_date(value: str | None) -> date | None:
    """A filter's date (YYYY-MM-DD); an empty field is no filter."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFilter(value) from None


class Filters:
    """The queue's filters, one parser for the page, the list and the exports (a FastAPI dependency)."""

    def __init__(
        self,
        category: str | None = None,
        severity: str | None = None,
        room: Annotated[str | None, Query(description="Room id or part of its name")] = None,
        sender: Annotated[str | None, Query(description="Sender id or part of the name")] = None,
        since: Annotated[str | None, Query(description="YYYY-MM-DD, China date")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD, China date")] = None,
        decision: Annotated[str | None, Query(description="open | confirmed | dismissed | escalated")] = None,
        assignee: Annotated[str | None, Query(description='"me", "none" or an officer\'s account name')] = None,
        job: int | None = None,
        rule: str | None = None,
        info: Annotated[bool, Query(description="Include info-level coaching (left out by default)")] = False,
    ) -> None:
        self.category, self.severity, self.room, self.sender = category, severity, room, sender
        self.since, self.until, self.decision, self.assignee = since, until, decision, assignee
        self.job, self.rule, self.info = job, rule, info

    def resolve(self, db: Session, viewer: User) -> QueueFilter:
        """The store's filter; BadFilter for a date or an assignee that names nothing."""
        assignee_id = None
        if self.assignee == "me":
            assignee_id = viewer.id
        elif self.assignee == "none":
            assignee_id = 0
        elif self.assignee:
            found = crud.get_user_by_name(db, name=self.assignee)
            if found is None:
                raise BadFilter(self.assignee)
            assignee_id = found.id
        return QueueFilter(
            category=self.category or None,
            severity=self.severity or None,
            room=(self.room or "").strip() or None,
            sender=(self.sender or "").strip() or None,
            since=parse_date(self.since),
            until=parse_date(self.until),
            decision=self.decision or None,
            assignee=assignee_id,
            job_id=self.job,
            rule=(self.rule or "").upper() or None,
            info=self.info,
        )


class People:
    """How reviewers see the people in messages. With pseudonymisation on, a sender is a stable pseudonym
    (成员-3F2A: the same person, the same pseudonym, on every page and export) until an officer reveals them."""

    def __init__(self, secret: str, pseudonymise: bool) -> None:
        self._secret = secret.encode("utf-8")
        self.pseudonymise = pseudonymise

    def pseudonym(self, record: FindingRecord) -> str | None:
        who = record.sender or record.sender_name
        if not who:
            return None
        mac = hmac.new(self._secret, who.encode("utf-8"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + mac[:4].upper()

    def sender(self, record: FindingRecord) -> tuple[str | None, str | None]:
        """(id, name) as the reviewer may see them."""
        if self.pseudonymise:
            alias = self.pseudonym(record)
            return alias, alias
        return record.sender, record.sender_name

    def shown(self, record: FindingRecord) -> str:
        sender, name = self.sender(record)
        return name or sender or ""


def decision_word(status: str | None, lang: str) -> str:
    zh, en = DECISION_WORDS[status or "open"]
    return pick(lang, zh, en)


def _cell(value: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula; a message text must stay text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def export_rows(items: Iterable[QueueItem], people: People, lang: str) -> Iterator[list[str]]:
    yield [pick(lang, zh, en) for zh, en in EXPORT_COLUMNS]
    for item in items:
        lead, decision = item.lead, item.decision
        sent = lead.sent_at.astimezone(DEFAULT_ZONE).strftime("%Y-%m-%d %H:%M:%S") if lead.sent_at else ""
        officer = decision.officer if decision and decision.status else None
        assignee = decision.assignee if decision else None
        row = [
            sent,
            lead.room_name or lead.room or "",
            people.shown(lead),
            lead.text,
            "、".join(t("category." + c, lang) for c in item.categories),
            t("severity." + item.severity, lang),
            decision_word(decision.status if decision else None, lang),
            decision.note if decision else "",
            officer.shown_name if officer else "",
            assignee.shown_name if assignee else "",
        ]
        yield [_cell(value) for value in row]


def to_csv(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, which is how Excel knows the file is UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[list[str]], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def labelled_records(items: Iterable[QueueItem], people: People) -> Iterator[bytes]:
    """Decided messages as labelled message records, one JSON object a line, in the format of the training
    sets in ``bench/data`` (a message record plus ``labels``): a confirmed or escalated message is labelled with
    its findings' categories, a dismissed one with none (a false positive to learn from)."""
    for item in items:
        lead, decision = item.lead, item.decision
        assert decision is not None and decision.status is not None
        sender, sender_name = people.sender(lead)
        rules = [f.rule for f in item.findings]
        record = {
            "id": lead.message_id or item.key,
            "time": lead.sent_at.astimezone(DEFAULT_ZONE).isoformat() if lead.sent_at else None,
            "channel": lead.channel,
            "sender": sender,
            "sender_name": sender_name,
            "room": lead.room,
            "room_name": lead.room_name,
            "type": "text",
            "text": lead.text,
            "labels": [] if decision.status == "dismissed" else item.categories,
            "note": f"review {decision.status}: {' '.join(rules)}",
            "decision": decision.status,
            "rules": rules,
            "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
        }
        yield orjson.dumps(record) + b"\n"
