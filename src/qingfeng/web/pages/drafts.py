"""我的草稿: drafts a member saved from the self-check, visible to that member only."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from qingfeng.store import crud
from qingfeng.web.api.deps import CheckerDep, CurrentUser, SessionDep
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.templating import render

router = page_router()


@router.get("/drafts")
def drafts(request: Request, db: SessionDep, user: CurrentUser) -> HTMLResponse:
    return render(request, "drafts.html", user, drafts=crud.list_drafts(db, owner=user))


@router.get("/drafts/{draft_id}")
def draft(draft_id: int, request: Request, db: SessionDep, user: CurrentUser, checker: CheckerDep) -> HTMLResponse:
    found = crud.get_draft(db, owner=user, draft_id=draft_id)
    if found is None:
        raise HTTPException(404)
    findings = crud.draft_findings(db, draft=found)
    return render(request, "draft.html", user, draft=found, findings=findings, rulebook=checker.rulebook)


@router.post("/drafts/{draft_id}/delete")
def delete(draft_id: int, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    found = crud.get_draft(db, owner=user, draft_id=draft_id)
    if found is None:
        raise HTTPException(404)
    crud.delete_draft(db, draft=found)
    return redirect(request, "/drafts")
