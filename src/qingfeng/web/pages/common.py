"""What every page module shares: a router that checks CSRF on every unsafe request, and form helpers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import SESSION_COOKIE, page_csrf
from qingfeng.web.core.config import Settings


def page_router() -> APIRouter:
    return APIRouter(dependencies=[Depends(page_csrf)], include_in_schema=False)


def redirect(request: Request, location: str) -> Response:
    """After a form: a plain 303 for browsers, HX-Redirect for htmx (which would swap the page in)."""
    if request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def safe_next(target: str | None) -> str:
    """Only ever send people on to a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/check"
    return target


def start_session(response: Response, db: Session, user: User, settings: Settings) -> Response:
    """Sign this browser in as ``user``: a new server-side session, its token in the HttpOnly cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        crud.create_session(db, user=user, hours=settings.session_hours),
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return response
