"""The review queue's API: one item per message, bulk decisions, assignment, exports, rule precision,
suppressions, and revealing a pseudonymised sender. Owners read their own scans' queue; officers read
everyone's and decide. Every read, decision, export and reveal is audited."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from qingfeng.core.models import CATEGORIES
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.schema import Rule
from qingfeng.store import crud, review
from qingfeng.store.models import SUPPRESSION_KINDS, Suppression, User
from qingfeng.web.api.deps import CheckerDep, OfficerUser, OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.schemas import (
    AssignIn,
    AssignOut,
    QueueDecisionIn,
    QueueDecisionOut,
    QueueFinding,
    QueueItemOut,
    QueuePage,
    RevealIn,
    RevealOut,
    RuleStatsOut,
    SuppressionIn,
    SuppressionOut,
)
from qingfeng.web.core.config import Settings
from qingfeng.web.notify import announce_escalation
from qingfeng.web.queue import (
    EXPORT_LIMIT,
    BadFilter,
    Filters,
    People,
    export_rows,
    labelled_records,
    to_csv,
    to_xlsx,
)
from qingfeng.web.templating import lang_of

router = APIRouter(tags=["review queue"])
VERBS = {"confirm": "confirmed", "dismiss": "dismissed", "escalate": "escalated"}


def rule_of(checker: Checker, rule_id: str) -> Rule | None:
    try:
        return checker.rulebook.rule(rule_id)
    except KeyError:
        return None


def people_of(settings: Settings) -> People:
    return People(settings.secret_key or "", settings.pseudonymise)


def item_out(item: review.QueueItem, people: People, checker: Checker, lang: str) -> QueueItemOut:
    lead, decision = item.lead, item.decision
    sender, sender_name = people.sender(lead)
    findings = []
    for record in item.findings:
        out = QueueFinding.model_validate(record)
        if (rule := rule_of(checker, record.rule)) is not None:
            out.title, out.advice = rule.title.get(lang), rule.advice.get(lang)
        findings.append(out)
    decided = decision is not None and decision.status is not None
    return QueueItemOut(
        message_id=item.key,
        source_id=lead.message_id,
        job_id=lead.job_id,
        line=lead.line,
        severity=item.severity,
        categories=item.categories,
        time=lead.sent_at,
        channel=lead.channel,
        room=lead.room,
        room_name=lead.room_name,
        sender=sender,
        sender_name=sender_name,
        text=lead.text,
        findings=findings,
        decision=decision.status if decision else None,
        note=decision.note if decision else "",
        reviewer=decision.officer.shown_name if decided and decision.officer else None,
        decided_at=decision.decided_at if decision else None,
        assignee=decision.assignee.name if decision and decision.assignee else None,
    )


def resolve(filters: Filters, db: Session, viewer: User) -> review.QueueFilter:
    try:
        return filters.resolve(db, viewer)
    except BadFilter as error:
        raise HTTPException(422, f"no such date or account: {error}") from None


@router.get("/queue", response_model=QueuePage)
def list_queue(
    request: Request,
    db: SessionDep,
    viewer: OwnerUser,
    settings: SettingsDep,
    checker: CheckerDep,
    filters: Annotated[Filters, Depends()],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QueuePage:
    """One item per message, ordered by severity (block, warn, info), then confidence, then time."""
    where = resolve(filters, db, viewer)
    items, total = review.query_queue(db, viewer=viewer, where=where, limit=limit, offset=offset, ip=client_ip(request))
    people, lang = people_of(settings), lang_of(request)
    return QueuePage(
        items=[item_out(item, people, checker, lang) for item in items], total=total, offset=offset, limit=limit
    )


def apply_decision(
    db: Session, settings: Settings, officer: User, keys: list[str], verb: str, note: str, ip: str | None
) -> tuple[str, int]:
    """Decide messages, for the API and the page alike. Raises HTTPException for an escalation without a note
    or a message the officer may not see."""
    status = VERBS.get(verb, verb)
    note = note.strip()
    if status == "escalated" and not note:
        raise HTTPException(422, "an escalation needs a note")
    try:
        decided = review.decide(db, officer=officer, keys=list(dict.fromkeys(keys)), status=status, note=note, ip=ip)
    except review.UnknownMessages:
        raise HTTPException(404, "no such message in the queue") from None
    if status == "escalated":
        announce_escalation(db, settings, officer=officer, messages=len(decided), link="/review?decision=escalated")
    return status, len(decided)


@router.post("/queue/decisions", response_model=QueueDecisionOut)
def decide(
    body: QueueDecisionIn, request: Request, db: SessionDep, settings: SettingsDep, officer: OfficerUser
) -> QueueDecisionOut:
    """Confirm, dismiss or escalate messages: the decision applies to every finding of each message and
    holds across rescans of the same archive. An escalation needs a note."""
    ip = client_ip(request)
    status, decided = apply_decision(db, settings, officer, body.message_ids, body.decision, body.note, ip)
    return QueueDecisionOut(decision=status, decided=decided)


def assign_to(db: Session, officer: User, keys: list[str], name: str | None, ip: str | None) -> User | None:
    assignee = crud.get_user_by_name(db, name=name) if name else None
    if name and (assignee is None or not assignee.active or not assignee.at_least("officer")):
        raise HTTPException(422, "the assignee must be an active officer")
    try:
        review.assign(db, officer=officer, keys=list(dict.fromkeys(keys)), assignee=assignee, ip=ip)
    except review.UnknownMessages:
        raise HTTPException(404, "no such message in the queue") from None
    return assignee


@router.post("/queue/assign", response_model=AssignOut)
def assign(body: AssignIn, request: Request, db: SessionDep, officer: OfficerUser) -> AssignOut:
    """Give messages to an officer (their "mine" view: ``GET /api/queue?assignee=me``), or to nobody."""
    assignee = assign_to(db, officer, body.message_ids, body.assignee, client_ip(request))
    return AssignOut(assignee=assignee.name if assignee else None, assigned=len(set(body.message_ids)))


@router.get(
    "/queue/export",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
def export(
    request: Request,
    db: SessionDep,
    viewer: OwnerUser,
    settings: SettingsDep,
    filters: Annotated[Filters, Depends()],
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The queue with its filters, one row per message: time, room, sender, text, categories, severity,
    decision, note, reviewer, assignee. CSV is UTF-8 with a byte-order mark (Excel opens it)."""
    where = resolve(filters, db, viewer)
    items, _ = review.query_queue(db, viewer=viewer, where=where, limit=EXPORT_LIMIT, ip=client_ip(request))
    detail = {"format": format, "rows": len(items)}
    crud.audit(db, actor=viewer, action="queue.export", detail=detail, ip=client_ip(request))
    rows = export_rows(items, people_of(settings), lang_of(request))
    if format == "xlsx":
        body = to_xlsx(rows, "审核队列")
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, media = to_csv(rows), "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="review-queue.{format}"'}
    return Response(body, media_type=media, headers=headers)


@router.get(
    "/queue/labels", response_class=StreamingResponse, responses={200: {"content": {"application/x-ndjson": {}}}}
)
def labels(request: Request, db: SessionDep, officer: OfficerUser, settings: SettingsDep) -> StreamingResponse:
    """Every decided message as a labelled record (JSONL) the training scripts in ``bench/`` read."""
    items = review.decided_messages(db)
    crud.audit(db, actor=officer, action="queue.labels", detail={"rows": len(items)}, ip=client_ip(request))
    headers = {"Content-Disposition": 'attachment; filename="review-labels.jsonl"'}
    return StreamingResponse(
        labelled_records(items, people_of(settings)), media_type="application/x-ndjson", headers=headers
    )


@router.post("/queue/reveal", response_model=RevealOut)
def reveal(body: RevealIn, request: Request, db: SessionDep, officer: OfficerUser, settings: SettingsDep) -> RevealOut:
    """Show who is behind a pseudonym. Each reveal is written to the audit log with its reason."""
    item = review.get_item(db, viewer=officer, key=body.message_id)
    if item is None:
        raise HTTPException(404, "no such message in the queue")
    return reveal_sender(db, officer, item, body.reason, people_of(settings), client_ip(request))


def reveal_sender(
    db: Session, officer: User, item: review.QueueItem, reason: str, people: People, ip: str | None
) -> RevealOut:
    lead = item.lead
    alias = people.pseudonym(lead)
    detail = {"pseudonym": alias, "reason": reason.strip()}
    crud.audit(db, actor=officer, action="person.reveal", target=f"message:{item.key}", detail=detail, ip=ip)
    return RevealOut(pseudonym=alias, sender=lead.sender, sender_name=lead.sender_name)


@router.get("/rules/stats", response_model=list[RuleStatsOut])
def rule_stats(db: SessionDep, officer: OfficerUser) -> list[RuleStatsOut]:
    """Each rule's decided messages: confirmed (or escalated), dismissed, and its precision (confirmed ÷
    decided), least precise first."""
    return [
        RuleStatsOut(
            rule=s.rule, confirmed=s.confirmed, dismissed=s.dismissed, escalated=s.escalated, precision=s.precision
        )
        for s in review.rule_stats(db)
    ]


def suppression_out(found: Suppression) -> SuppressionOut:
    return SuppressionOut(
        id=found.id,
        kind=found.kind,
        pattern=found.pattern,
        scope=found.scope,
        target=found.target,
        reason=found.reason,
        author=found.author.shown_name,
        created_at=found.created_at,
        lifted_at=found.lifted_at,
        lifted_by=found.lifted_by.shown_name if found.lifted_by else None,
    )


@router.get("/suppressions", response_model=list[SuppressionOut])
def list_suppressions(db: SessionDep, officer: OfficerUser) -> list[SuppressionOut]:
    return [suppression_out(found) for found in review.list_suppressions(db)]


def valid_pattern(checker: Checker, kind: str, pattern: str) -> str | None:
    """The pattern as stored (rule ids upper case), or None when it names no rule or category."""
    if kind == "rule":
        return pattern.upper() if rule_of(checker, pattern) is not None else None
    return pattern if kind in SUPPRESSION_KINDS and pattern in CATEGORIES else None


@router.post("/suppressions", response_model=SuppressionOut, status_code=201)
def add_suppression(
    body: SuppressionIn, request: Request, db: SessionDep, officer: OfficerUser, checker: CheckerDep
) -> SuppressionOut:
    """Hide a kind of finding (a rule or a category) in one room or from one sender, with the reason:
    for example a hospital group that discusses anonymised cases. Listed, and reversible."""
    pattern = valid_pattern(checker, body.kind, body.pattern)
    if pattern is None:
        raise HTTPException(422, f"no such {body.kind}: {body.pattern}")
    made = review.add_suppression(
        db,
        officer=officer,
        kind=body.kind,
        pattern=pattern,
        scope=body.scope,
        target=body.target.strip(),
        reason=body.reason.strip(),
        ip=client_ip(request),
    )
    return suppression_out(made)


@router.delete("/suppressions/{suppression_id}", response_model=SuppressionOut)
def lift_suppression(
    suppression_id: Annotated[int, Path(ge=1, le=2**31 - 1)], request: Request, db: SessionDep, officer: OfficerUser
) -> SuppressionOut:
    """Lift a suppression: its findings return to the queue. The record stays, with who lifted it."""
    found = review.lift_suppression(db, officer=officer, suppression_id=suppression_id, ip=client_ip(request))
    if found is None:
        raise HTTPException(404, "no such suppression")
    return suppression_out(found)
