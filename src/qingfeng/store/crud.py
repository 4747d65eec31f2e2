"""Data access, one keyword-only function per thing done. Who may see what is decided here, once,
for the pages and the JSON API alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from qingfeng.models import Finding, Message
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
    ScanJob,
    User,
    WebSession,
    message_key,
    utcnow,
)
from qingfeng.web.core.security import (
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
    if active is not None:
        user.active = active
    if password is not None or active is False:
        # A new password or a disabled account ends every open session.
        db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    db.commit()
    return user


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


def create_api_token(db: Session, *, user: User, label: str = "") -> str:
    token = "qf_" + new_token()
    db.add(ApiToken(digest=digest(token), user_id=user.id, label=label))
    db.commit()
    return token


def token_user(db: Session, *, token: str) -> User | None:
    found = db.scalar(select(ApiToken).where(ApiToken.digest == digest(token)))
    if found is None or not found.user.active:
        return None
    found.last_used_at = utcnow()
    db.commit()
    return found.user


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


def unfinished_jobs(db: Session) -> Sequence[ScanJob]:
    return db.scalars(select(ScanJob).where(ScanJob.status.in_(("queued", "running"))).order_by(ScanJob.id)).all()


def finding_record(finding: Finding, message: Message, *, owner_id: int, line: int | None = None) -> FindingRecord:
    key = message_key(
        owner_id,
        source_id=message.id,
        room=message.room,
        sender=message.sender,
        sent_at=message.time,
        text=message.text,
        line=line,
    )
    return FindingRecord(
        fingerprint=finding.fingerprint,
        message_key=key,
        owner_id=owner_id,
        line=line,
        message_id=finding.message_id,
        rule=finding.rule,
        category=finding.category,
        severity=finding.severity,
        start=finding.start,
        end=finding.end,
        excerpt=finding.excerpt,
        confidence=finding.confidence,
        explanation=finding.explanation,
        sources=list(finding.sources),
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
    db: Session, *, owner: User, message: Message, room_kind: str | None, findings: Iterable[Finding]
) -> Draft:
    draft = Draft(
        owner_id=owner.id,
        text=message.text,
        channel=message.channel,
        room_kind=room_kind,
        room_name=message.room_name,
        sent_at=message.time,
    )
    db.add(draft)
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


def file_report(
    db: Session, *, text: str, category: str | None, contact: str | None, filer: User | None
) -> tuple[Report, str]:
    """Store a report; the receipt code is returned once and kept only as a digest."""
    receipt = new_receipt()
    report = Report(
        receipt_digest=digest(receipt),
        text=text,
        category=category or None,
        contact=contact or None,
        filer_id=filer.id if filer else None,
    )
    db.add(report)
    db.commit()
    return report, receipt


def report_by_receipt(db: Session, *, code: str) -> Report | None:
    return db.scalar(select(Report).where(Report.receipt_digest == digest(normalize_receipt(code))))


def list_reports(db: Session, *, viewer: User, status: str | None = None) -> Sequence[Report]:
    query = select(Report).order_by(Report.id.desc())
    if not viewer.at_least("officer"):
        query = query.where(Report.filer_id == viewer.id)
    if status:
        query = query.where(Report.status == status)
    return db.scalars(query).all()


def get_report(db: Session, *, viewer: User, report_id: int) -> Report | None:
    report = db.get(Report, report_id)
    if report is None or not (viewer.at_least("officer") or report.filer_id == viewer.id):
        return None
    return report


def handle_report(
    db: Session, *, officer: User, report: Report, status: str, reply: str, note: str, ip: str | None
) -> Report:
    if status not in REPORT_STATES:
        raise ValueError(f"unknown report status {status!r}")
    previous = report.status
    report.status, report.reply, report.note = status, reply, note
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
