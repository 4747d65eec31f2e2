"""Saved drafts, each visible to its author only."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy.orm import Session

from qingfeng.store import crud
from qingfeng.store.models import Draft
from qingfeng.web.api.deps import CurrentUser, SessionDep
from qingfeng.web.api.routes.review import stored
from qingfeng.web.api.schemas import StoredFinding

router = APIRouter(tags=["drafts"])


class DraftOut(BaseModel):
    id: int
    text: str
    channel: str
    room_kind: str | None
    room_name: str | None
    findings: list[StoredFinding]


def draft_out(db: Session, draft: Draft) -> DraftOut:
    return DraftOut(
        id=draft.id,
        text=draft.text,
        channel=draft.channel,
        room_kind=draft.room_kind,
        room_name=draft.room_name,
        findings=[stored(f, None) for f in crud.draft_findings(db, draft=draft)],
    )


@router.get("/drafts", response_model=list[DraftOut])
def drafts(db: SessionDep, user: CurrentUser) -> list[DraftOut]:
    return [draft_out(db, d) for d in crud.list_drafts(db, owner=user)]


@router.get("/drafts/{draft_id}", response_model=DraftOut)
def draft(draft_id: int, db: SessionDep, user: CurrentUser) -> DraftOut:
    d = crud.get_draft(db, owner=user, draft_id=draft_id)
    if d is None:
        raise HTTPException(404, "no such draft of yours")
    return draft_out(db, d)
