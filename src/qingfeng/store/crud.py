"""Data access, one keyword-only function per thing done. Who may see what is decided here, once,
for the pages and the JSON API alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from qingfeng.core.models import RECORD_FIELDS, Finding, Message
from qingfeng.store.models import (
    REPORT_STATES,
    ROLES,
    ApiToken,
    AuditEntry,
    Draft,
    FindingRecord,
    QuizAttempt,
    Registration,
    Report,
    ReportMessage,
    ScanJob,
    User,
    WebSession,
    message_key,
    utcnow,
)
from qingfeng.store.security import (
    Vault,
    digest,
    hash_password,
    needs_rehash,
    new_receipt,
    new_token,
    normalize_receipt,
    verify_password,
)

# ---- users -------------------------------------------------------------------------------------------


class UserExists(ValueError):
    pass


def create_user(db: Session, *, name: str, password: str, role: str, display_name: str = "") -> User:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if get_user_by_name(db, name=name) is not None:
        raise UserExists(name)
    user = User(name=name, role=role, display_name=display_name, password_hash=hash_password(password))
    db.add(user)
    db.commit()
    return user


def get_user_by_name(db: Session, *, name: str) -> User | None:
    return db.scalar(select(User).where(User.name == name))


def get_user(db: Session, *, user_id: int) -> User | None:
    return db.get(User, user_id)


def list_users(db: Session) -> Sequence[User]:
    return db.scalars(select(User).order_by(User.name)).all()


def update_user(
    db: Session,
    *,
    user: User,
    role: str | None = None,
    password: str | None = None,
    active: bool | None = None,
) -> User:
    if role is not None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        user.role = role
    if password is not None:
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    if active is not None:
        user.active = active
    if password is not None or active is False:
        # A new password or a disabled account ends every open session, and a new password every API token:
        # whoever knew the old one may have issued tokens with it.
        db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    if password is not None:
        db.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    db.commit()
    return user


def enrol_totp(db: Session, *, user: User, secret: str, step: int) -> None:
    """Two-factor sign-in is on from here; ``step`` is the code that proved the authenticator works."""
    user.totp_secret, user.totp_last_step = secret, step
    db.commit()


def use_totp_step(db: Session, *, user: User, step: int) -> bool:
    """Spend a code's time step; False when another request spent it (or a later one) first."""
    spent = db.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    db.commit()
    return spent.rowcount == 1


def clear_totp(db: Session, *, user: User) -> None:
    user.totp_secret, user.totp_last_step = None, None
    db.commit()


def authenticate(db: Session, *, name: str, password: str) -> User | None:
    user = get_user_by_name(db, name=name)
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.commit()
    return user


# ---- sessions and API tokens -------------------------------------------------------------------------


def create_session(db: Session, *, user: User, hours: int) -> str:
    token = new_token()
    db.add(WebSession(id=digest(token), user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)))
    db.commit()
    return token


def session_user(db: Session, *, token: str) -> User | None:
    found = db.get(WebSession, digest(token))
    if found is None:
        return None
    if found.expires_at < utcnow() or not found.user.active:
        db.delete(found)
        db.commit()
        return None
    return found.user


def end_session(db: Session, *, token: str) -> None:
    db.execute(delete(WebSession).where(WebSession.id == digest(token)))
    db.commit()


def create_api_token(db: Session, *, user: User, label: str = "", days: int = 0) -> tuple[ApiToken, str]:
    """A new token (shown once, stored as a digest) that expires after ``days`` (0: when revoked)."""
    token = "qf_" + new_token()
    expires = utcnow() + timedelta(days=days) if days else None
    stored = ApiToken(digest=digest(token), user_id=user.id, label=label, expires_at=expires)
    db.add(stored)
    db.commit()
    return stored, token


def token_user(db: Session, *, token: str) -> User | None:
    found = db.scalar(select(ApiToken).where(ApiToken.digest == digest(token)))
    now = utcnow()
    if found is None or not found.usable(now) or not found.user.active:
        return None
    found.last_used_at = now
    db.commit()
    return found.user


def list_tokens(db: Session, *, user: User | None = None) -> Sequence[ApiToken]:
    """Every token (``user``: that account's), revoked and expired ones included, newest first."""
    query = select(ApiToken).order_by(ApiToken.id.desc())
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return db.scalars(query).all()


def revoke_token(db: Session, *, token_id: int, user: User | None = None) -> ApiToken | None:
    """Revoke a token (``user``: only one of theirs); None when there is no such token."""
    found = db.get(ApiToken, token_id)
    if found is None or (user is not None and found.user_id != user.id):
        return None
    if found.revoked_at is None:
        found.revoked_at = utcnow()
        db.commit()
    return found


# ---- audit log ---------------------------------------------------------------------------------------


def audit(
    db: Session,
    *,
    actor: User | None,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    commit: bool = True,
) -> None:
    db.add(AuditEntry(actor_id=actor.id if actor else None, action=action, target=target, detail=detail or {}, ip=ip))
    if commit:
        db.commit()


def list_audit(db: Session, *, limit: int = 100, offset: int = 0, target: str | None = None) -> Sequence[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if target:
        query = query.where(AuditEntry.target == target)
    return db.scalars(query).all()


# ---- scan jobs and their findings --------------------------------------------------------------------


def create_job(db: Session, *, owner: User, filename: str, stored_path: str) -> ScanJob:
    job = ScanJob(owner_id=owner.id, filename=filename, stored_path=stored_path)
    db.add(job)
    db.commit()
    return job


def get_job(db: Session, *, viewer: User, job_id: int) -> ScanJob | None:
    job = db.get(ScanJob, job_id)
    if job is None or not (viewer.at_least("officer") or job.owner_id == viewer.id):
        return None
    return job


def list_jobs(db: Session, *, viewer: User, limit: int = 50) -> Sequence[ScanJob]:
    query = select(ScanJob).order_by(ScanJob.id.desc()).limit(limit)
    if not viewer.at_least("officer"):
        query = query.where(ScanJob.owner_id == viewer.id)
    return db.scalars(query).all()


def claimable_job(db: Session, now: datetime) -> int | None:
    """The oldest job waiting for a worker: queued, or running under a lease nobody renewed in time."""
    lapsed = or_(ScanJob.lease_until.is_(None), ScanJob.lease_until < now)
    query = select(ScanJob.id).where(ScanJob.status.in_(("queued", "running")), lapsed).order_by(ScanJob.id)
    return db.scalars(query.limit(1)).first()


def stored_archives(db: Session, *, owner_id: int | None = None, finished_before: datetime | None = None) -> list[str]:
    """Paths of uploaded archives: one owner's, or those of scans that ended before a time."""
    query = select(ScanJob.stored_path).where(ScanJob.stored_path != "")
    if owner_id is not None:
        query = query.where(ScanJob.owner_id == owner_id)
    if finished_before is not None:
        query = query.where(ScanJob.status.in_(("done", "failed")), ScanJob.finished_at < finished_before)
    return list(db.scalars(query))


def forget_archive(db: Session, stored_path: str) -> None:
    """The archive at ``stored_path`` was deleted: its scans keep their findings, no longer the path."""
    db.execute(update(ScanJob).where(ScanJob.stored_path == stored_path).values(stored_path=""))
    db.commit()


# The finding record's own fields that the findings table keeps (extras never: a timing finding's
# ``sent_at`` is its own string, not the message's time).
_FINDING_COLUMNS = tuple(attr.key for attr in inspect(FindingRecord).column_attrs if attr.key in RECORD_FIELDS)


def finding_record(finding: Finding, message: Message, *, owner_id: int, line: int | None = None) -> FindingRecord:
    """A finding to store, from the finding's own record (``Finding.to_dict``), with the message it came from."""
    key = message_key(
        owner_id,
        source_id=message.id,
        room=message.room,
        sender=message.sender,
        sent_at=message.time,
        text=message.text,
        line=line,
    )
    record = finding.to_dict()
    return FindingRecord(
        **{column: record[column] for column in _FINDING_COLUMNS},
        message_key=key,
        owner_id=owner_id,
        line=line,
        text=message.text,
        channel=message.channel,
        room=message.room,
        room_name=message.room_name,
        sender=message.sender,
        sender_name=message.sender_name,
        sent_at=message.time,
    )


# ---- drafts (saved on request only) ------------------------------------------------------------------


def save_draft(
    db: Session,
    *,
    owner: User,
    message: Message,
    room_kind: str | None,
    findings: Iterable[Finding],
    draft: Draft | None = None,
) -> Draft:
    """Save a new draft, or ``draft`` again (reopened and edited): its text, settings and findings anew."""
    if draft is None:
        draft = Draft(owner_id=owner.id)
        db.add(draft)
    else:
        db.execute(delete(FindingRecord).where(FindingRecord.draft_id == draft.id))
    draft.text, draft.channel, draft.room_kind = message.text, message.channel, room_kind
    draft.room_name, draft.sent_at = message.room_name, message.time
    db.flush()
    for finding in findings:
        record = finding_record(finding, message, owner_id=owner.id)
        record.draft_id = draft.id
        db.add(record)
    db.commit()
    return draft


def list_drafts(db: Session, *, owner: User) -> Sequence[Draft]:
    return db.scalars(select(Draft).where(Draft.owner_id == owner.id).order_by(Draft.id.desc())).all()


def get_draft(db: Session, *, owner: User, draft_id: int) -> Draft | None:
    draft = db.get(Draft, draft_id)
    return draft if draft is not None and draft.owner_id == owner.id else None


def draft_findings(db: Session, *, draft: Draft) -> Sequence[FindingRecord]:
    return db.scalars(
        select(FindingRecord).where(FindingRecord.draft_id == draft.id).order_by(FindingRecord.start)
    ).all()


def delete_draft(db: Session, *, draft: Draft) -> None:
    db.execute(delete(FindingRecord).where(FindingRecord.draft_id == draft.id))
    db.delete(draft)
    db.commit()


# ---- reports (举报) ----------------------------------------------------------------------------------
# Every text of a report is sealed with the vault before it is stored and opened only into a CaseView, which
# is not mapped: nothing read from a case can be written back in the clear by a later commit.


@dataclass(frozen=True)
class CaseMessage:
    author: str  # "reporter" or "officer"
    body: str
    created_at: datetime
    officer: str | None = None  # shown to officers only


@dataclass(frozen=True)
class CaseView:
    id: int
    text: str
    category: str | None
    contact: str | None
    status: str
    reply: str
    note: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    handler: User | None
    messages: tuple[CaseMessage, ...] = ()


def open_case(db: Session, vault: Vault, report: Report, *, messages: bool = True) -> CaseView:
    thread: tuple[CaseMessage, ...] = ()
    if messages:
        rows = db.scalars(
            select(ReportMessage).where(ReportMessage.report_id == report.id).order_by(ReportMessage.id)
        ).all()
        thread = tuple(
            CaseMessage(m.author, vault.open(m.sealed_body), m.created_at, m.officer.shown_name if m.officer else None)
            for m in rows
        )
    return CaseView(
        id=report.id,
        text=vault.open(report.sealed_text),
        category=report.category,
        contact=vault.open(report.sealed_contact) if report.sealed_contact else None,
        status=report.status,
        reply=vault.open(report.sealed_reply) if report.sealed_reply else "",
        note=vault.open(report.sealed_note) if report.sealed_note else "",
        created_at=report.created_at,
        updated_at=report.updated_at,
        expires_at=report.expires_at,
        handler=report.handler,
        messages=thread,
    )


def file_report(
    db: Session,
    *,
    vault: Vault,
    text: str,
    category: str | None,
    contact: str | None,
    filer: User | None,
    retention_days: int = 0,
) -> tuple[Report, str]:
    """Store a report, sealed; the receipt code is returned once and kept only as a digest. It is deleted
    ``retention_days`` later (0: kept until an admin sets an expiry)."""
    receipt = new_receipt()
    report = Report(
        receipt_digest=digest(receipt),
        sealed_text=vault.seal(text),
        category=category or None,
        sealed_contact=vault.seal(contact) if contact else None,
        sealed_reply="",
        sealed_note="",
        filer_id=filer.id if filer else None,
        expires_at=utcnow() + timedelta(days=retention_days) if retention_days else None,
    )
    db.add(report)
    db.commit()
    return report, receipt


def report_by_receipt(db: Session, *, code: str) -> Report | None:
    return db.scalar(select(Report).where(Report.receipt_digest == digest(normalize_receipt(code))))


def list_reports(db: Session, *, viewer: User, vault: Vault, status: str | None = None) -> list[CaseView]:
    query = select(Report).order_by(Report.id.desc())
    if not viewer.at_least("officer"):
        query = query.where(Report.filer_id == viewer.id)
    if status:
        query = query.where(Report.status == status)
    return [open_case(db, vault, report, messages=False) for report in db.scalars(query).all()]


def get_report(db: Session, *, viewer: User, report_id: int) -> Report | None:
    report = db.get(Report, report_id)
    if report is None or not (viewer.at_least("officer") or report.filer_id == viewer.id):
        return None
    return report


def handle_report(
    db: Session,
    *,
    officer: User,
    vault: Vault,
    report: Report,
    status: str,
    reply: str,
    note: str,
    ip: str | None,
) -> Report:
    if status not in REPORT_STATES:
        raise ValueError(f"unknown report status {status!r}")
    previous = report.status
    report.status, report.sealed_reply, report.sealed_note = status, vault.seal(reply), vault.seal(note)
    report.handler_id, report.updated_at = officer.id, utcnow()
    audit(
        db,
        actor=officer,
        action="report.handle",
        target=f"report:{report.id}",
        detail={"status": status, "previous": previous},
        ip=ip,
        commit=False,
    )
    db.commit()
    return report


def add_report_message(db: Session, *, vault: Vault, report: Report, body: str, officer: User | None = None) -> None:
    """A message from the reporter (``officer`` None: they hold the receipt) or from an officer."""
    db.add(
        ReportMessage(
            report_id=report.id,
            author="officer" if officer else "reporter",
            officer_id=officer.id if officer else None,
            sealed_body=vault.seal(body),
        )
    )
    report.updated_at = utcnow()
    if officer is not None:
        audit(db, actor=officer, action="report.message", target=f"report:{report.id}", commit=False)
    db.commit()


def set_report_expiry(db: Session, *, admin: User, report: Report, expires_at: datetime | None, ip: str | None) -> None:
    report.expires_at = expires_at
    detail = {"expires_at": expires_at.isoformat() if expires_at else None}
    audit(db, actor=admin, action="report.expiry", target=f"report:{report.id}", detail=detail, ip=ip, commit=False)
    db.commit()


def purge_expired_reports(db: Session) -> int:
    """Delete reports past their expiry, with their messages; the audit log keeps that it happened."""
    expired = db.scalars(select(Report.id).where(Report.expires_at <= utcnow())).all()
    if expired:
        db.execute(delete(ReportMessage).where(ReportMessage.report_id.in_(expired)))
        db.execute(delete(Report).where(Report.id.in_(expired)))
        audit(db, actor=None, action="report.purge", detail={"reports": list(expired)}, commit=False)
        db.commit()
    return len(expired)


def seal_legacy_reports(db: Session, *, vault: Vault) -> int:
    """Seal the reports stored in the clear before report texts were sealed (run at start)."""
    legacy = db.scalars(select(Report).where(Report.sealed.is_(False))).all()
    for report in legacy:
        report.sealed_text = vault.seal(report.sealed_text)
        report.sealed_contact = vault.seal(report.sealed_contact) if report.sealed_contact else None
        report.sealed_reply = vault.seal(report.sealed_reply) if report.sealed_reply else ""
        report.sealed_note = vault.seal(report.sealed_note) if report.sealed_note else ""
        report.sealed = True
    db.commit()
    return len(legacy)


# ---- registrations (报备) ----------------------------------------------------------------------------


def add_registration(db: Session, *, owner: User, **fields: Any) -> Registration:
    registration = Registration(owner_id=owner.id, **fields)
    db.add(registration)
    db.commit()
    return registration


def list_registrations(db: Session, *, viewer: User) -> Sequence[Registration]:
    """Owners and officers see the whole register; a member sees what they declared."""
    query = select(Registration).order_by(Registration.closed, Registration.id.desc())
    if not viewer.at_least("owner"):
        query = query.where(Registration.owner_id == viewer.id)
    return db.scalars(query).all()


def close_registration(db: Session, *, viewer: User, registration_id: int) -> Registration | None:
    registration = db.get(Registration, registration_id)
    if registration is None or not (registration.owner_id == viewer.id or viewer.at_least("officer")):
        return None
    registration.closed = True
    db.commit()
    return registration


# ---- quiz --------------------------------------------------------------------------------------------


def record_attempt(db: Session, *, user: User, question: str, answer: str, correct: bool) -> None:
    db.add(QuizAttempt(user_id=user.id, question=question, answer=answer, correct=correct))
    db.commit()


@dataclass(frozen=True)
class Score:
    name: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def scores(db: Session, *, user: User | None = None) -> list[Score]:
    """Answers per person, best first (one person's when ``user`` is given)."""
    query = (
        select(User.name, User.display_name, func.sum(case((QuizAttempt.correct, 1), else_=0)), func.count())
        .join(QuizAttempt, QuizAttempt.user_id == User.id)
        .group_by(User.id, User.name, User.display_name)
    )
    if user is not None:
        query = query.where(User.id == user.id)
    rows = db.execute(query).all()
    found = [Score(display or name, int(correct or 0), total) for name, display, correct, total in rows]
    return sorted(found, key=lambda s: (-s.correct, s.total, s.name))
