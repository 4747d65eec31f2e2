"""The review queue: scan findings with their decisions. Officers only; every read is audited."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from qingfeng.store import crud
from qingfeng.store.models import Decision, FindingRecord
from qingfeng.web.api.deps import OfficerUser, SessionDep, client_ip
from qingfeng.web.api.schemas import DecisionIn, DecisionOut, FindingPage, StoredFinding

router = APIRouter(tags=["review"])


def decision_out(decision: Decision | None) -> DecisionOut | None:
    if decision is None:
        return None
    return DecisionOut(
        fingerprint=decision.fingerprint,
        status=decision.status,
        note=decision.note,
        officer=decision.officer.shown_name,
        decided_at=decision.decided_at,
    )


def stored(record: FindingRecord, decision: Decision | None) -> StoredFinding:
    out = StoredFinding.model_validate(record)
    out.decision = decision_out(decision)
    return out


@router.get("/findings", response_model=FindingPage)
def list_findings(
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
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
    where = crud.FindingFilter(category, severity, room, sender, since, until, status, job, rule)
    rows, total = crud.query_findings(
        db, viewer=officer, where=where, limit=limit, offset=offset, ip=client_ip(request)
    )
    return FindingPage(total=total, offset=offset, items=[stored(r, d) for r, d in rows])


@router.get("/findings/{finding_id}", response_model=StoredFinding)
def get_finding(finding_id: int, request: Request, db: SessionDep, officer: OfficerUser) -> StoredFinding:
    found = crud.get_finding(db, viewer=officer, finding_id=finding_id)
    if found is None:
        raise HTTPException(404, "no such finding")
    crud.audit(
        db, actor=officer, action="finding.view", target=f"finding:{found[0].fingerprint}", ip=client_ip(request)
    )
    return stored(*found)


@router.put("/findings/{fingerprint}/decision", response_model=DecisionOut)
def decide(fingerprint: str, body: DecisionIn, request: Request, db: SessionDep, officer: OfficerUser) -> DecisionOut:
    """Confirm, dismiss or escalate a finding. Keyed by fingerprint: the decision holds across rescans."""
    if not crud.fingerprint_known(db, fingerprint=fingerprint):
        raise HTTPException(404, "no finding has this fingerprint")
    decision = crud.decide(
        db, officer=officer, fingerprint=fingerprint, status=body.status, note=body.note, ip=client_ip(request)
    )
    return decision_out(decision)  # type: ignore[return-value]
