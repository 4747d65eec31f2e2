"""Accounts and the audit log: admins manage accounts; officers and admins read the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from qingfeng.store import crud
from qingfeng.web.api.deps import AdminUser, OfficerUser, SessionDep
from qingfeng.web.api.schemas import Me

router = APIRouter(tags=["admin"])


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str | None
    action: str
    target: str
    detail: dict[str, Any]
    ip: str | None


@router.get("/audit", response_model=list[AuditOut])
def audit_log(
    db: SessionDep,
    officer: OfficerUser,
    target: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuditOut]:
    return [
        AuditOut(
            id=e.id,
            at=e.at,
            actor=e.actor.name if e.actor else None,
            action=e.action,
            target=e.target,
            detail=e.detail,
            ip=e.ip,
        )
        for e in crud.list_audit(db, limit=limit, offset=offset, target=target)
    ]


@router.get("/users", response_model=list[Me])
def users(db: SessionDep, admin: AdminUser) -> list[Me]:
    return [Me.model_validate(user) for user in crud.list_users(db)]
