"""审核: the review queue, one item per message. Owners see their own scans' messages; officers see all, decide
one or many at once (keyboard: j/k, x, c/d/e), assign, suppress, reveal pseudonyms, and read each rule's
precision. Every look at the queue and every decision is written to the audit log."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from qingfeng.core.models import CATEGORIES, SEVERITIES
from qingfeng.store import crud, review
from qingfeng.store.models import DECISIONS, SUPPRESSION_KINDS, SUPPRESSION_SCOPES, User
from qingfeng.web.api.deps import CheckerDep, OfficerUser, OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.routes.queue import (
    add_suppression as api_add_suppression,
)
from qingfeng.web.api.routes.queue import (
    apply_decision,
    assign_to,
    people_of,
    reveal_sender,
)
from qingfeng.web.api.schemas import SuppressionIn
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.queue import BadFilter, Filters
from qingfeng.web.templating import render

router = page_router()
PAGE = 50
FILTERS = ("category", "severity", "room", "sender", "since", "until", "decision", "assignee", "job", "info", "view")
Keys = Annotated[list[str], Form(min_length=1, max_length=1000)]


def officers(db: SessionDep) -> list[User]:
    return [u for u in crud.list_users(db) if u.active and u.at_least("officer")]


def back_to(target: str) -> str:
    """Only ever back to the queue."""
    return target if target.startswith("/review") and not target.startswith("//") else "/review"


@router.get("/review")
def queue(
    request: Request,
    db: SessionDep,
    user: OwnerUser,
    checker: CheckerDep,
    settings: SettingsDep,
    filters: Annotated[Filters, Depends()],
    view: str = "",
    status: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if k in FILTERS and v}
    mine = {"assignee": "me"} if view == "mine" else {}
    filters.assignee = mine.get("assignee", filters.assignee)
    filters.decision = filters.decision or status  # the old name of the decision filter
    try:
        where = filters.resolve(db, user)
    except BadFilter:
        where = review.QueueFilter(assignee=-1)  # a date or assignee that names nothing holds nothing
    items, total = review.query_queue(db, viewer=user, where=where, limit=PAGE, offset=offset, ip=client_ip(request))
    here = "/review" + ("?" + urlencode(params) if params else "")
    return render(
        request,
        "review.html",
        user,
        items=items,
        total=total,
        offset=offset,
        page=PAGE,
        query=params,
        here=here,
        export=urlencode({**{k: v for k, v in params.items() if k != "view"}, **mine}),
        filters=params,
        filtered=any(params.get(k) for k in FILTERS[:8]),  # the form opens when it narrows the queue
        categories=CATEGORIES,
        severities=SEVERITIES,
        decisions=DECISIONS,
        rulebook=checker.rulebook,
        counts=review.counts(db, viewer=user),
        officers=officers(db) if user.at_least("officer") else [],
        people=people_of(settings),
        done=request.query_params.get("done", ""),
        error=request.query_params.get("error", ""),
    )


@router.post("/review/decisions")
def decide(
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    checker: CheckerDep,
    settings: SettingsDep,
    message_ids: Keys,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    back: Annotated[str, Form()] = "/review",
) -> Response:
    """One message (its card's buttons, swapped in place by htmx) or every selected one (the bulk bar)."""
    if decision not in DECISIONS:
        raise HTTPException(422)
    target = back_to(back)
    joiner = "&" if "?" in target else "?"
    if decision == "escalated" and not note.strip():  # the page says why instead of an error page
        return redirect(request, f"{target}{joiner}error=note")
    _, decided = apply_decision(db, settings, officer, message_ids, decision, note, client_ip(request))
    if request.headers.get("hx-request") and len(message_ids) == 1:
        item = review.get_item(db, viewer=officer, key=message_ids[0])
        if item is not None:
            return render(
                request,
                "_review_item.html",
                officer,
                item=item,
                rulebook=checker.rulebook,
                decisions=DECISIONS,
                people=people_of(settings),
                officers=officers(db),
                counts=review.counts(db, viewer=officer),
                oob=True,
                here=back_to(back),
            )
    return redirect(request, f"{target}{joiner}done={decided}")


@router.post("/review/assign")
def assign(
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    message_ids: Keys,
    assignee: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/review",
) -> Response:
    assign_to(db, officer, message_ids, assignee or None, client_ip(request))
    return redirect(request, back_to(back))


@router.post("/review/reveal")
def reveal(
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    settings: SettingsDep,
    message_id: Annotated[str, Form()],
    reason: Annotated[str, Form(min_length=2, max_length=1000)],
) -> HTMLResponse:
    item = review.get_item(db, viewer=officer, key=message_id)
    if item is None:
        raise HTTPException(404)
    shown = reveal_sender(db, officer, item, reason, people_of(settings), client_ip(request))
    return render(request, "_revealed.html", officer, shown=shown)


@router.get("/review/findings/{finding_id}")
def finding(
    finding_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    request: Request,
    db: SessionDep,
    user: OwnerUser,
    checker: CheckerDep,
    settings: SettingsDep,
) -> HTMLResponse:
    item = review.item_of_finding(db, viewer=user, finding_id=finding_id)
    if item is None:
        raise HTTPException(404)
    crud.audit(db, actor=user, action="finding.view", target=f"message:{item.key}", ip=client_ip(request))
    return render(
        request,
        "finding.html",
        user,
        item=item,
        history=review.history(db, key=item.key),
        rulebook=checker.rulebook,
        decisions=DECISIONS,
        people=people_of(settings),
        officers=officers(db) if user.at_least("officer") else [],
        here=f"/review/findings/{finding_id}",
    )


@router.get("/review/stats")
def stats(request: Request, db: SessionDep, officer: OfficerUser, checker: CheckerDep) -> HTMLResponse:
    return render(request, "review_stats.html", officer, stats=review.rule_stats(db), rulebook=checker.rulebook)


@router.get("/review/suppressions")
def suppressions(request: Request, db: SessionDep, officer: OfficerUser, error: str = "") -> HTMLResponse:
    return render(
        request,
        "review_suppressions.html",
        officer,
        suppressions=review.list_suppressions(db),
        kinds=SUPPRESSION_KINDS,
        scopes=SUPPRESSION_SCOPES,
        categories=CATEGORIES,
        error=error,
    )


@router.post("/review/suppressions")
def add_suppression(
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    checker: CheckerDep,
    kind: Annotated[str, Form()],
    pattern: Annotated[str, Form(max_length=32)],
    scope: Annotated[str, Form()],
    target: Annotated[str, Form(max_length=255)],
    reason: Annotated[str, Form(max_length=4000)],
) -> Response:
    if not (pattern.strip() and target.strip() and reason.strip()):
        return redirect(request, "/review/suppressions?error=1")
    try:
        body = SuppressionIn(kind=kind, pattern=pattern.strip(), scope=scope, target=target, reason=reason)  # type: ignore[arg-type]
        api_add_suppression(body, request, db, officer, checker)
    except (HTTPException, ValueError):
        return redirect(request, "/review/suppressions?error=1")
    return redirect(request, "/review/suppressions")


@router.post("/review/suppressions/{suppression_id}/lift")
def lift_suppression(
    suppression_id: Annotated[int, Path(ge=1, le=2**31 - 1)], request: Request, db: SessionDep, officer: OfficerUser
) -> Response:
    if review.lift_suppression(db, officer=officer, suppression_id=suppression_id, ip=client_ip(request)) is None:
        raise HTTPException(404)
    return redirect(request, "/review/suppressions")
