"""通知: officers' notifications (new escalations, anonymous reports), listed and marked read."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from qingfeng.store.notifications import get_notification, list_notifications, mark_read
from qingfeng.web.api.deps import OfficerUser, SessionDep
from qingfeng.web.pages.common import page_router, redirect, safe_next
from qingfeng.web.templating import render

router = page_router()


@router.get("/notifications")
def notifications(request: Request, db: SessionDep, user: OfficerUser) -> HTMLResponse:
    return render(request, "notifications.html", user, notifications=list_notifications(db, user=user))


@router.post("/notifications/read")
def read_all(request: Request, db: SessionDep, user: OfficerUser) -> Response:
    mark_read(db, user=user)
    return redirect(request, "/notifications")


@router.post("/notifications/{notification_id}/read")
def read_one(notification_id: int, request: Request, db: SessionDep, user: OfficerUser) -> Response:
    """Mark it read and go where it points."""
    found = get_notification(db, user=user, notification_id=notification_id)
    if found is None:
        raise HTTPException(404)
    mark_read(db, user=user, notification_id=notification_id)
    return redirect(request, safe_next(found.link or "/notifications"))
