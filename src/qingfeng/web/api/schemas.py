"""Request and response bodies of the JSON API: separate In / Out shapes per entity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qingfeng.core.models import CATEGORIES
from qingfeng.store.models import DECISIONS, PLATFORMS, REGISTRATION_KINDS, REPORT_STATES, ROLES

Decision = Literal[DECISIONS]  # type: ignore[valid-type]
ReportState = Literal[REPORT_STATES]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FindingOut(BaseModel):
    """The finding record of the contract (ARCHITECTURE.md), plus its fingerprint."""

    model_config = ConfigDict(extra="allow")

    message_id: str | None
    rule: str
    category: str
    severity: Literal["info", "warn", "block"]
    start: int | None
    end: int | None
    excerpt: str
    advice: str
    sources: list[str]
    title: str = ""
    message: str = ""
    confidence: float = 1.0
    explanation: str = ""
    fingerprint: str


class CheckResult(BaseModel):
    findings: list[FindingOut]


class PictureCheckResult(CheckResult):
    text: str  # recognised in the picture; findings' start/end index it and their boxes locate it
    width: int  # the frame of the boxes: the picture as read, shrunk for OCR
    height: int


class DecisionIn(BaseModel):
    status: Decision
    note: str = Field(default="", max_length=4000)


class DecisionOut(_Out):
    """A message's current decision; it applies to every finding of the message."""

    message_id: str  # the message instance (see QueueItemOut.message_id)
    status: str
    note: str
    officer: str
    decided_at: datetime


class StoredFinding(_Out):
    id: int
    fingerprint: str
    message_key: str | None
    job_id: int | None
    line: int | None
    message_id: str | None
    rule: str
    category: str
    severity: str
    start: int | None
    end: int | None
    excerpt: str
    confidence: float
    sources: list[str]
    text: str
    channel: str
    room: str | None
    room_name: str | None
    sender: str | None
    sender_name: str | None
    sent_at: datetime | None
    decision: DecisionOut | None = None


class FindingPage(BaseModel):
    total: int
    offset: int
    items: list[StoredFinding]


class JobOut(_Out):
    id: int
    filename: str
    status: str
    percent: int
    messages: int
    flagged: int
    bad_lines: int
    problems: list[str]
    error: str | None
    rulebook: str
    created_at: datetime
    finished_at: datetime | None


class ReportIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)
    category: Literal[CATEGORIES] | None = None  # type: ignore[valid-type]
    contact: str | None = Field(default=None, max_length=255)


class Receipt(BaseModel):
    receipt: str


class ReportMessageOut(_Out):
    author: Literal["reporter", "officer"]
    body: str
    created_at: datetime


class ReportStatus(_Out):
    """What the receipt holder sees: never the officers' note, nor who handled the report."""

    status: ReportState
    reply: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    messages: list[ReportMessageOut]


class OfficerMessageOut(ReportMessageOut):
    officer: str | None


class ReportCase(_Out):
    id: int
    text: str
    category: str | None
    contact: str | None
    status: ReportState
    reply: str
    note: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    messages: list[OfficerMessageOut]


class ReportUpdate(BaseModel):
    status: ReportState
    reply: str = Field(default="", max_length=4000)
    note: str = Field(default="", max_length=4000)


class ReportMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class ReportExpiry(BaseModel):
    expires_at: datetime | None  # None: kept until set again


class RegistrationIn(BaseModel):
    kind: Literal[REGISTRATION_KINDS]  # type: ignore[valid-type]
    platform: Literal[PLATFORMS]  # type: ignore[valid-type]
    name: str = Field(min_length=1, max_length=255)
    identifier: str = Field(default="", max_length=255)
    purpose: str = Field(default="", max_length=4000)
    members: int | None = Field(default=None, ge=0)
    opened_on: date | None = None


class RegistrationOut(_Out):
    id: int
    kind: str
    platform: str
    name: str
    identifier: str
    purpose: str
    members: int | None
    opened_on: date | None
    closed: bool
    created_at: datetime
    holder: str


class Option(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    id: str
    kind: Literal["fine", "problem"]
    prompt: str
    text: str
    channel: str
    room_name: str | None
    options: list[Option]


class AnswerIn(BaseModel):
    question: str
    answer: str


class AnswerOut(BaseModel):
    correct: bool
    answers: list[str]
    rule: str
    why: str  # why the right answer is right, in the caller's language
    findings: list[FindingOut]


class ScoreOut(BaseModel):
    name: str
    correct: int
    total: int


class RuleOut(BaseModel):
    id: str
    title: str
    category: str
    severity: str
    status: str
    input: str
    sources: list[str]
    sections: dict[str, str]


class ClauseOut(BaseModel):
    id: str
    document: str
    gist: str
    coverage: str
    rules: list[str]


class Me(_Out):
    name: str
    display_name: str
    role: Role


# ---- the review queue ---------------------------------------------------------------------------------

QueueVerb = Literal["confirm", "dismiss", "escalate", "confirmed", "dismissed", "escalated"]


class QueueFinding(_Out):
    """One finding of a queued message: the finding record of the contract, as stored."""

    id: int
    fingerprint: str
    message_id: str | None
    rule: str
    title: str = ""
    category: str
    severity: str
    start: int | None
    end: int | None
    excerpt: str
    advice: str = ""
    confidence: float
    explanation: str
    sources: list[str]


class QueueItemOut(BaseModel):
    message_id: str = Field(description="The message instance in its owner's scope: what decisions name")
    source_id: str | None = Field(description="The message's id in its archive, where it has one")
    job_id: int | None
    line: int | None
    severity: str
    categories: list[str]
    time: datetime | None
    channel: str
    room: str | None
    room_name: str | None
    sender: str | None = Field(description="A pseudonym (成员-3F2A) when QINGFENG_PSEUDONYMISE is on")
    sender_name: str | None
    text: str
    findings: list[QueueFinding] = Field(description="Every finding of the message, the leading one first")
    decision: str | None = Field(description="confirmed | dismissed | escalated; null while open")
    note: str
    reviewer: str | None
    decided_at: datetime | None
    assignee: str | None


class QueuePage(BaseModel):
    items: list[QueueItemOut]
    total: int
    offset: int
    limit: int


class QueueDecisionIn(BaseModel):
    message_ids: list[str] = Field(min_length=1, max_length=1000)
    decision: QueueVerb
    note: str = Field(default="", max_length=4000, description="Required to escalate")


class QueueDecisionOut(BaseModel):
    decision: str
    decided: int


class AssignIn(BaseModel):
    message_ids: list[str] = Field(min_length=1, max_length=1000)
    assignee: str | None = Field(description="An officer's account name; null to unassign")


class AssignOut(BaseModel):
    assignee: str | None
    assigned: int


class RuleStatsOut(BaseModel):
    rule: str
    confirmed: int = Field(description="Decided messages the rule fired on, confirmed or escalated")
    dismissed: int
    escalated: int
    precision: float | None = Field(description="confirmed / (confirmed + dismissed); null before any decision")


class SuppressionIn(BaseModel):
    kind: Literal["rule", "category"]
    pattern: str = Field(min_length=1, max_length=32, description="A rule id or a category name")
    scope: Literal["room", "sender"]
    target: str = Field(min_length=1, max_length=255, description="The room's or sender's id or name")
    reason: str = Field(min_length=1, max_length=4000)


class SuppressionOut(_Out):
    id: int
    kind: str
    pattern: str
    scope: str
    target: str
    reason: str
    author: str
    created_at: datetime
    lifted_at: datetime | None
    lifted_by: str | None


class RevealIn(BaseModel):
    message_id: str
    reason: str = Field(min_length=2, max_length=1000)


class RevealOut(BaseModel):
    pseudonym: str | None
    sender: str | None
    sender_name: str | None


class PersonOut(BaseModel):
    id: str
    name: str
    unit: str | None = None
    rank: int | None = None
    official: bool | None = None
    status: str | None = None
    status_since: date | None = None


class PeopleOut(BaseModel):
    items: list[PersonOut]
    total: int


class PeopleReplaced(BaseModel):
    people: int  # rows now in the register
    skipped: list[str]  # rows left out: file:line: field: why


class NotificationOut(_Out):
    id: int
    kind: str
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None


class PasswordChange(BaseModel):
    current: str = Field(max_length=1024)
    new: str = Field(max_length=1024)
    repeat: str = Field(max_length=1024)


class TokenIn(BaseModel):
    label: str = Field(default="", max_length=128)
    days: int | None = Field(default=None, ge=0, le=3650)  # None: the server's QINGFENG_TOKEN_DAYS; 0: never


class TokenOut(_Out):
    id: int
    label: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewToken(BaseModel):
    id: int
    token: str  # shown this once only
    expires_at: datetime | None
