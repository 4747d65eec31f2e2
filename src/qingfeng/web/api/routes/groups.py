"""Work-group audits: upload the register files (and an archive), get the audit as JSON (owners and officers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile

from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep
from qingfeng.web.group_audit import AuditRefused, audit_uploads
from qingfeng.web.templating import lang_of

router = APIRouter(tags=["groups"])


@router.post("/groups/audit")
async def audit(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
    groups: UploadFile,
    members: UploadFile,
    people: UploadFile | None = None,
    archive: UploadFile | None = None,
    as_of: Annotated[date | None, Form()] = None,
) -> dict[str, Any]:
    """The same audit as `qingfeng groups audit --format json`: groups.csv, members.csv and people.csv as
    multipart files (people.csv may be left out while the app keeps a people register, `/api/people`),
    optionally an archive and the audit day (default today)."""
    try:
        result = await audit_uploads(
            request,
            settings,
            user,
            db,
            {"groups": groups, "members": members, "people": people, "archive": archive},
            as_of,
            lang_of(request),
        )
    except AuditRefused as refused:
        raise HTTPException(refused.status, str(refused)) from None
    return result.to_dict()
