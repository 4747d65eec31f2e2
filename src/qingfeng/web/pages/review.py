"""审核: the review queue. Owners see the findings of their own scans; officers see all and decide.

Every look at findings is written to the audit log, and so is every decision."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from qingfeng.models import CATEGORIES, SEVERITIES
from qingfeng.store import crud
from qingfeng.store.models import DECISIONS
from qingfeng.web.api.deps import CheckerDep, OfficerUser, OwnerUser, SessionDep, client_ip
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import render

router = page_router()
PAGE = 50


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/review")
def queue(
    request: Request,
    db: SessionDep,
    user: OwnerUser,
    checker: CheckerDep,
    category: str = "",
    severity: str = "",
    room: str = "",
    sender: str = "",
    since: str = "",
    until: str = "",
    status: str = "",
    job: Annotated[int | None, Query()] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    where = crud.FindingFilter(
        category or None,
        severity or None,
        room.strip() or None,
        sender.strip() or None,
        _date(since),
        _date(until),
        status or None,
        job,
    )
    rows, total = crud.query_findings(db, viewer=user, where=where, limit=PAGE, offset=offset, ip=client_ip(request))
    query = {k: v for k, v in request.query_params.items() if k != "offset"}
    return render(
        request,
        "review.html",
        user,
        rows=rows,
        total=total,
        offset=offset,
        page=PAGE,
        query=query,
        filters={
            "category": category,
            "severity": severity,
            "room": room,
            "sender": sender,
            "since": since,
            "until": until,
            "status": status,
            "job": job or "",
        },
        categories=CATEGORIES,
        severities=SEVERITIES,
        decisions=DECISIONS,
        rulebook=checker.rulebook,
        counts=crud.decision_counts(db, viewer=user),
    )


@router.get("/review/findings/{finding_id}")
def finding(finding_id: int, request: Request, db: SessionDep, user: OwnerUser, checker: CheckerDep) -> HTMLResponse:
    found = crud.get_finding(db, viewer=user, finding_id=finding_id)
    if found is None or found[0].job_id is None:
        raise HTTPException(404)
    record, decision = found
    target = f"finding:{record.fingerprint}"
    crud.audit(db, actor=user, action="finding.view", target=target, ip=client_ip(request))
    history = [e for e in crud.list_audit(db, target=target, limit=200) if e.action == "finding.decide"]
    return render(
        request,
        "finding.html",
        user,
        f=record,
        decision=decision,
        history=history,
        rulebook=checker.rulebook,
        decisions=DECISIONS,
    )


@router.post("/review/{fingerprint}/decision")
def decide(
    fingerprint: str,
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    checker: CheckerDep,
    status: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    finding_id: Annotated[int | None, Form()] = None,
) -> HTMLResponse:
    if status not in DECISIONS or not crud.fingerprint_known(db, fingerprint=fingerprint):
        raise HTTPException(422 if status not in DECISIONS else 404)
    crud.decide(db, officer=officer, fingerprint=fingerprint, status=status, note=note.strip(), ip=client_ip(request))
    found = crud.get_finding(db, viewer=officer, finding_id=finding_id) if finding_id else None
    if found is None or not request.headers.get("hx-request"):
        return render(request, "_decision_done.html", officer, status=status)
    record, decision = found
    return render(
        request,
        "_review_item.html",
        officer,
        f=record,
        decision=decision,
        rulebook=checker.rulebook,
        decisions=DECISIONS,
    )
