"""Officers' notifications: list them, mark them read."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from qingfeng.store.notifications import get_notification, list_notifications, mark_read
from qingfeng.web.api.deps import OfficerUser, SessionDep
from qingfeng.web.api.schemas import NotificationOut

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=list[NotificationOut])
def notifications(db: SessionDep, user: OfficerUser, unread: bool = False) -> list[NotificationOut]:
    """The caller's notifications, newest first (only the unread ones with `unread=true`)."""
    return [NotificationOut.model_validate(n) for n in list_notifications(db, user=user, unread_only=unread)]


@router.post("/notifications/read")
def read_all(db: SessionDep, user: OfficerUser) -> dict[str, int]:
    return {"marked": mark_read(db, user=user)}


@router.post("/notifications/{notification_id}/read")
def read_one(notification_id: int, db: SessionDep, user: OfficerUser) -> dict[str, int]:
    if get_notification(db, user=user, notification_id=notification_id) is None:
        raise HTTPException(404, "no such notification")
    return {"marked": mark_read(db, user=user, notification_id=notification_id)}
