"""工作群: owners and officers upload the unit's work-group register (and an archive) and see the audit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from qingfeng.report.groups_html import render_html
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep
from qingfeng.web.group_audit import AuditRefused, audit_uploads, group_rows
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


@router.get("/groups")
def groups_form(request: Request, user: OwnerUser) -> HTMLResponse:
    return render(request, "groups.html", user, result=None)


@router.post("/groups")
async def groups_audit(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
    groups: UploadFile | None = None,
    members: UploadFile | None = None,
    people: UploadFile | None = None,
    archive: UploadFile | None = None,
    as_of: Annotated[str, Form()] = "",
    output: Annotated[str, Form()] = "page",
) -> Response:
    lang = lang_of(request)
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        message = pick(lang, f"审计日期应为 年-月-日，而不是 {as_of}", f"The audit day must be YYYY-MM-DD, not {as_of}")
        return render(request, "groups.html", user, 422, result=None, error=message)
    uploads = {"groups": groups, "members": members, "people": people, "archive": archive}
    try:
        result = await audit_uploads(request, settings, user, db, uploads, day, lang)
    except AuditRefused as refused:
        return render(request, "groups.html", user, refused.status, result=None, error=str(refused))
    if output == "html":
        filename = f"group-audit-{result.as_of.isoformat()}.html"
        return HTMLResponse(
            render_html(result, lang), headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )
    return render(request, "groups.html", user, result=result, rows=group_rows(result, lang))
