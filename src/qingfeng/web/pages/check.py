"""自查: check a draft as it is typed. Nothing is stored unless a signed-in member saves it."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from qingfeng.engine import Checker
from qingfeng.models import DEFAULT_ZONE, Finding
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import CheckerDep, CurrentUser, OptionalUser, SessionDep
from qingfeng.web.drafts import ROOM_KIND_CHOICES, DraftForm, DraftFormDep
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


def _findings(checker: Checker, form: DraftForm) -> list[Finding]:
    try:
        return checker.check(form.message())
    except ValidationError:  # a half-typed time, say: show nothing rather than an error while typing
        return []


def _page(
    request: Request, user: User | None, checker: Checker, form: DraftForm, template: str, **extra
) -> HTMLResponse:
    return render(
        request,
        template,
        user,
        form=form,
        findings=_findings(checker, form),
        rulebook=checker.rulebook,
        room_kinds=ROOM_KIND_CHOICES,
        **extra,
    )


@router.get("/check")
def check_page(request: Request, user: OptionalUser, checker: CheckerDep) -> HTMLResponse:
    now = datetime.now(DEFAULT_ZONE).strftime("%Y-%m-%dT%H:%M")
    return _page(request, user, checker, DraftForm(time=now), "check.html")


@router.post("/check")
def check_submit(request: Request, user: OptionalUser, checker: CheckerDep, form: DraftFormDep) -> HTMLResponse:
    """The same check without JavaScript: the whole page comes back."""
    return _page(request, user, checker, form, "check.html")


@router.post("/check/preview")
def preview(request: Request, user: OptionalUser, checker: CheckerDep, form: DraftFormDep) -> HTMLResponse:
    return _page(request, user, checker, form, "_check_results.html")


@router.post("/check/save")
def save(request: Request, db: SessionDep, user: CurrentUser, checker: CheckerDep, form: DraftFormDep) -> Response:
    lang = lang_of(request)
    if not form.text.strip():
        return HTMLResponse(pick(lang, "草稿是空的。", "The draft is empty."))
    draft = crud.save_draft(
        db,
        owner=user,
        message=form.message(),
        room_kind=form.room_kind if form.channel == "group" else None,
        findings=_findings(checker, form),
    )
    if request.headers.get("hx-request"):
        return HTMLResponse(f'<a href="/drafts/{draft.id}">{pick(lang, "已保存", "Saved")} #{draft.id}</a>')
    return _page(request, user, checker, form, "check.html", saved=draft.id)
