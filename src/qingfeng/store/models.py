"""The tables: people and sessions, findings and review decisions, scans, reports, registrations, quizzes.

Every change of schema goes through an Alembic migration in ``store/migrations/versions``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES: tuple[str, ...] = ("member", "owner", "officer", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
DECISIONS: tuple[str, ...] = ("confirmed", "dismissed", "escalated")
SUPPRESSION_KINDS: tuple[str, ...] = ("rule", "category")  # what kind of finding a suppression hides
SUPPRESSION_SCOPES: tuple[str, ...] = ("room", "sender")  # where it hides it
JOB_STATES: tuple[str, ...] = ("queued", "running", "done", "failed")
REPORT_STATES: tuple[str, ...] = ("received", "in_progress", "resolved", "rejected")
REGISTRATION_KINDS: tuple[str, ...] = ("account", "group")
PLATFORMS: tuple[str, ...] = ("wechat", "wecom", "dingtalk", "other")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Moments stored in UTC and read back time-zone aware, the same on SQLite (which keeps no zone) and
    PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dict[str, Any]: JSON,
        list[str]: JSON,
        datetime: UTCDateTime(),
        date: Date,
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # set once two-factor sign-in is enrolled
    totp_last_step: Mapped[int | None]  # the last time step used, so a code is never accepted twice

    def at_least(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its digest is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]  # None: never
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class LoginAttempt(Base):
    """One sign-in attempt, kept in the database so that every worker counts the same failures and a restart
    forgets none. Failures are kept for the throttling window, successes for as long as they make an address
    "known" for the account."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    account: Mapped[str] = mapped_column(String(64), index=True)  # as typed, lower-cased: unknown names count too
    address: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class ThrottleHit(Base):
    """One counted event of an anonymous action (filing a report, a wrong receipt code). ``key`` is a keyed
    digest of the caller's address, never the address itself, and rows go once their window has passed."""

    __tablename__ = "throttle_hits"
    __table_args__ = (Index("ix_throttle_hits_scope_key", "scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ScanJob(Base):
    """An uploaded archive and the background scan over it."""

    __tablename__ = "scan_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)  # progress units (records expected)
    done: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    bad_lines: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[str]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text)
    rulebook: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The worker scanning it holds it until lease_until, renewing as it stores each batch; checkpoint is the
    # last line whose findings are stored (a job taken over goes on after it).
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    checkpoint: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    owner: Mapped[User] = relationship(lazy="joined")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class Draft(Base):
    """A self-check draft its author chose to save. Unsaved drafts are never written anywhere."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    room_kind: Mapped[str | None] = mapped_column(String(16))
    room_name: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def message_key(
    owner_id: int,
    *,
    source_id: str | None,
    room: str | None,
    sender: str | None,
    sent_at: datetime | None,
    text: str,
    line: int | None,
) -> str:
    """A message instance in its owner's scope: the same message in a rescan of the same archive by the same
    owner gets the same key, so its review decision holds; another owner's copy, or the same words sent by
    someone else, elsewhere or at another time, never does. Without an id or a time the position in the
    archive tells identical lines apart."""
    moment = sent_at.astimezone(UTC).isoformat() if sent_at is not None else f"line {line}"
    parts = (str(owner_id), source_id or "", room or "", sender or "", moment, "" if source_id else text)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


class FindingRecord(Base):
    """A stored finding (from a scan or a saved draft) with the message it came from."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32), index=True)
    message_key: Mapped[str | None] = mapped_column(String(32), index=True)  # see message_key()
    job_id: Mapped[int | None] = mapped_column(ForeignKey("scan_jobs.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    line: Mapped[int | None]
    message_id: Mapped[str | None] = mapped_column(String(255))
    rule: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    severity: Mapped[str] = mapped_column(String(8), index=True)
    start: Mapped[int | None] = mapped_column("span_start")
    end: Mapped[int | None] = mapped_column("span_end")
    excerpt: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    explanation: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list[str]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(16), default="private")
    room: Mapped[str | None] = mapped_column(String(255), index=True)
    room_name: Mapped[str | None] = mapped_column(String(255))
    sender: Mapped[str | None] = mapped_column(String(255), index=True)
    sender_name: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    job: Mapped[ScanJob | None] = relationship()


class Decision(Base):
    """The review of one message instance (keyed by ``message_key``, so it lives in its owner's scope and
    survives a rescan): the current decision, which applies to every finding of the message, and the
    officer it is assigned to. Every earlier decision is kept in the audit log."""

    __tablename__ = "message_reviews"

    message_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(16), index=True)  # None: not decided yet
    note: Mapped[str] = mapped_column(Text, default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None]

    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id], lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")


class Suppression(Base):
    """A kind of finding (a rule or a category) that is legitimate in one room or from one sender, hidden
    from the review queue while active. Lifting it keeps the row, so the record of who did what stays."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # SUPPRESSION_KINDS
    pattern: Mapped[str] = mapped_column(String(32))  # the rule id or category name
    scope: Mapped[str] = mapped_column(String(16))  # SUPPRESSION_SCOPES
    target: Mapped[str] = mapped_column(String(255))  # the room's or sender's id or name
    reason: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id], lazy="joined")


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(lazy="joined")


class Report(Base):
    """A report (举报) filed through the reporting channel. Only a digest of its receipt code is stored, and
    every text in it (the report, the contact, the reply, the officers' note) is sealed with the report key,
    which lives outside the database (``web.core.security.Vault``); ``crud`` opens them into a ``CaseView``."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_digest: Mapped[str] = mapped_column(String(64), unique=True)
    sealed_text: Mapped[str] = mapped_column("text", Text)
    category: Mapped[str | None] = mapped_column(String(32))
    sealed_contact: Mapped[str | None] = mapped_column("contact", Text)
    status: Mapped[str] = mapped_column(String(16), default="received")
    sealed_reply: Mapped[str] = mapped_column("reply", Text, default="")  # shown to whoever holds the receipt
    sealed_note: Mapped[str] = mapped_column("note", Text, default="")  # officers only
    sealed: Mapped[bool] = mapped_column(Boolean, default=True)  # False only for rows filed before sealing
    filer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)  # deleted with its messages after this

    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id], lazy="joined")


class ReportMessage(Base):
    """One message of the conversation between the reporter (through the receipt code) and the officers."""

    __tablename__ = "report_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(16))  # "reporter" or "officer"
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sealed_body: Mapped[str] = mapped_column("body", Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    officer: Mapped[User | None] = relationship(lazy="joined")


class Registration(Base):
    """An account or group opened under an official identity, declared by its holder (报备)."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    members: Mapped[int | None]
    opened_on: Mapped[date | None]
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")

    @property
    def holder(self) -> str:
        return self.owner.shown_name


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(64))
    correct: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonRecord(Base):
    """A row of the app's one people register (people.csv's columns), which scans, group audits and ledgers
    reuse; replaced as a whole when an owner or officer uploads a new one."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str | None] = mapped_column(String(255))
    rank: Mapped[int | None]
    official: Mapped[bool | None]
    status: Mapped[str | None] = mapped_column(String(16))
    status_since: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """Something an officer should see (a new escalation, an anonymous report): one row per recipient, so
    each reads their own."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(index=True)
