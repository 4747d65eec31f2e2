"""Officers' notifications: each officer and admin gets their own row, and marks it read."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qingfeng.store.models import ROLES, Notification, User, utcnow

RECIPIENT_ROLES = ROLES[ROLES.index("officer") :]
KINDS: tuple[str, ...] = ("escalation", "report")


def add_notification(db: Session, *, kind: str, text: str, link: str = "") -> int:
    """One unread notification for every active officer and admin; how many were written."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    officers = db.scalars(select(User.id).where(User.role.in_(RECIPIENT_ROLES), User.active.is_(True))).all()
    db.add_all(Notification(user_id=user_id, kind=kind, text=text, link=link) for user_id in officers)
    db.commit()
    return len(officers)


def unread_count(db: Session, *, user: User) -> int:
    query = select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    return db.scalar(query) or 0


def list_notifications(
    db: Session, *, user: User, unread_only: bool = False, limit: int = 100
) -> Sequence[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return db.scalars(query.order_by(Notification.id.desc()).limit(limit)).all()


def mark_read(db: Session, *, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (all of them when no id is given); how many changed."""
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    changed = db.execute(statement.values(read_at=utcnow())).rowcount
    db.commit()
    return changed or 0


def get_notification(db: Session, *, user: User, notification_id: int) -> Notification | None:
    found = db.get(Notification, notification_id)
    return found if found is not None and found.user_id == user.id else None
