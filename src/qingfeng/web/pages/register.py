"""账号报备: members declare accounts and groups opened under their official identity (op-4);
owners and officers see the whole register."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from qingfeng.store import crud
from qingfeng.store.models import PLATFORMS, REGISTRATION_KINDS
from qingfeng.web.api.deps import CurrentUser, SessionDep
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


def _page(request: Request, db: SessionDep, user: CurrentUser, status: int = 200, error: str = "") -> HTMLResponse:
    return render(
        request,
        "register.html",
        user,
        status,
        entries=crud.list_registrations(db, viewer=user),
        kinds=REGISTRATION_KINDS,
        platforms=PLATFORMS,
        error=error,
    )


@router.get("/register")
def register(request: Request, db: SessionDep, user: CurrentUser) -> HTMLResponse:
    return _page(request, db, user)


@router.post("/register")
def declare(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    kind: Annotated[str, Form()],
    platform: Annotated[str, Form()],
    name: Annotated[str, Form(max_length=255)] = "",
    identifier: Annotated[str, Form(max_length=255)] = "",
    purpose: Annotated[str, Form(max_length=4000)] = "",
    members: Annotated[str, Form(max_length=9)] = "",
    opened_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        opened = date.fromisoformat(opened_on) if opened_on else None
        count = int(members) if members.strip() else None
    except ValueError:
        opened = count = None
        name = ""  # fall through to the error below
    if kind not in REGISTRATION_KINDS or platform not in PLATFORMS or not name.strip() or (count or 0) < 0:
        error = pick(
            lang_of(request), "请填写名称，并检查人数和日期。", "Give a name, and check the member count and date."
        )
        return _page(request, db, user, 422, error)
    crud.add_registration(
        db,
        owner=user,
        kind=kind,
        platform=platform,
        name=name.strip(),
        identifier=identifier.strip(),
        purpose=purpose.strip(),
        members=count,
        opened_on=opened,
    )
    return redirect(request, "/register")


@router.post("/register/{registration_id}/close")
def close(registration_id: int, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    if crud.close_registration(db, viewer=user, registration_id=registration_id) is None:
        raise HTTPException(404)
    return redirect(request, "/register")
