"""Review: the queue (one item per message, in ``queue.py``) and the findings one by one. Every read is audited.

Decisions belong to message instances in their owner's scope (``store.models.message_key``): a decision on
one finding is a decision on its message."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request

from qingfeng.store import crud, review
from qingfeng.store.models import Decision, FindingRecord
from qingfeng.web.api.deps import OfficerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.routes import queue
from qingfeng.web.api.schemas import DecisionIn, DecisionOut, FindingPage, StoredFinding
from qingfeng.web.queue import People

router = APIRouter(tags=["review"])
router.include_router(queue.router)
FindingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def decision_out(decision: Decision | None) -> DecisionOut | None:
    if decision is None or decision.status is None or decision.officer is None or decision.decided_at is None:
        return None
    return DecisionOut(
        message_id=decision.message_key,
        status=decision.status,
        note=decision.note,
        officer=decision.officer.shown_name,
        decided_at=decision.decided_at,
    )


def stored(record: FindingRecord, decision: Decision | None, people: People | None = None) -> StoredFinding:
    """A stored finding as its viewer may see it (a saved draft's author sees it whole: ``people`` None)."""
    out = StoredFinding.model_validate(record)
    if people is not None:
        out.sender, out.sender_name = people.sender(record)
    out.decision = decision_out(decision)
    return out


@router.get("/findings", response_model=FindingPage)
def list_findings(
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    settings: SettingsDep,
    category: str | None = None,
    severity: str | None = None,
    room: str | None = None,
    sender: str | None = None,
    since: date | None = None,
    until: date | None = None,
    status: str | None = Query(default=None, description="open | confirmed | dismissed | escalated"),
    job: int | None = None,
    rule: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FindingPage:
    """The findings of the queue's messages one by one, info level included, newest message first."""
    where = review.QueueFilter(
        category, severity, room, sender, since, until, status, None, job, rule.upper() if rule else None, info=True
    )
    rows, total = review.query_findings(
        db, viewer=officer, where=where, limit=limit, offset=offset, ip=client_ip(request)
    )
    people = queue.people_of(settings)
    return FindingPage(total=total, offset=offset, items=[stored(r, d, people) for r, d in rows])


@router.get("/findings/{finding_id}", response_model=StoredFinding)
def get_finding(
    finding_id: FindingId, request: Request, db: SessionDep, officer: OfficerUser, settings: SettingsDep
) -> StoredFinding:
    item = review.item_of_finding(db, viewer=officer, finding_id=finding_id)
    record = next((f for f in item.findings if f.id == finding_id), item.lead) if item else None
    if item is None or record is None:
        raise HTTPException(404, "no such finding")
    detail = {"finding": finding_id}
    target = f"message:{item.key}"
    crud.audit(db, actor=officer, action="finding.view", target=target, detail=detail, ip=client_ip(request))
    return stored(record, item.decision, queue.people_of(settings))


@router.put("/findings/{finding_id}/decision", response_model=DecisionOut)
def decide(
    finding_id: FindingId,
    body: DecisionIn,
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    officer: OfficerUser,
) -> DecisionOut:
    """Confirm, dismiss or escalate the message of a stored finding (by the finding's ``id``): the decision
    applies to every finding of that message and holds across rescans of the same archive."""
    item = review.item_of_finding(db, viewer=officer, finding_id=finding_id)
    if item is None:
        raise HTTPException(404, "no such finding")
    queue.apply_decision(db, settings, officer, [item.key], body.status, body.note, client_ip(request))
    decided = review.get_item(db, viewer=officer, key=item.key)
    return decision_out(decided.decision if decided else None)  # type: ignore[return-value]
