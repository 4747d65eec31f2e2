"""The review queue: one item per message instance, its findings, its decision and assignee; suppressions; the
rules' precision as the decisions measure it.

A message instance is its ``message_key`` (owner scope + message identity, see ``models.message_key``).
Owners see their own scans' messages only; officers see every owner's, each instance separate. A rescan of
the same archive by the same owner gives the same keys: its findings replace the older scan's in the queue
and the decision stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from qingfeng.core.models import DEFAULT_ZONE, MODEL_KINDS, SEVERITY_RANK
from qingfeng.store.crud import audit, list_audit
from qingfeng.store.models import (
    DECISIONS,
    SUPPRESSION_KINDS,
    SUPPRESSION_SCOPES,
    Decision,
    FindingRecord,
    Suppression,
    User,
    utcnow,
)

F = FindingRecord
CHUNK = 500  # message instances per query for their findings (bound parameters stay few)
SEVERITY_ORDER = case((F.severity == "block", 2), (F.severity == "warn", 1), else_=0)
FROM_MODEL = case((or_(*(F.explanation.like(f"{kind}:%") for kind in MODEL_KINDS)), 1), else_=0)


class UnknownMessages(LookupError):
    """Some message ids name no message this viewer may review."""


@dataclass(frozen=True)
class QueueFilter:
    category: str | None = None
    severity: str | None = None  # the message's (its leading finding's) severity
    room: str | None = None  # room id or part of the room's name
    sender: str | None = None  # sender id or part of the sender's name
    since: date | None = None  # China dates
    until: date | None = None
    decision: str | None = None  # a decision, or "open" for undecided
    assignee: int | None = None  # a user id; 0 for "nobody"
    job_id: int | None = None
    rule: str | None = None
    info: bool = False  # info-level coaching is left out unless asked for (or filtered on)

    def shown(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) not in (None, False)}


@dataclass
class QueueItem:
    """One message as a reviewer sees it: the leading finding first, then the ones that support it."""

    findings: list[FindingRecord]
    decision: Decision | None

    @property
    def lead(self) -> FindingRecord:
        return self.findings[0]

    @property
    def key(self) -> str:
        return self.lead.message_key or ""

    @property
    def severity(self) -> str:
        return self.lead.severity

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(f.category for f in self.findings))


def suppressed(record: Any = FindingRecord) -> ColumnElement[bool]:
    """Whether an active suppression covers a finding (its rule or category, in its room or from its sender)."""
    s, F = Suppression, record  # F: the findings table, or the alias a caller passes
    pattern = or_(and_(s.kind == "rule", s.pattern == F.rule), and_(s.kind == "category", s.pattern == F.category))
    place = or_(
        and_(s.scope == "room", or_(s.target == F.room, s.target == F.room_name)),
        and_(s.scope == "sender", or_(s.target == F.sender, s.target == F.sender_name)),
    )
    return exists(select(s.id).where(s.lifted_at.is_(None), pattern, place))


def scope_of(viewer: User) -> int | None:
    """The owner whose messages the viewer reviews; None for officers, who review everyone's."""
    return None if viewer.at_least("officer") else viewer.id


def _current(owner_id: int | None, job_id: int | None = None) -> Any:
    """The findings now in the viewer's queue, ranked within their message (rank 1 leads): only the latest
    scan's copy of each message instance, without suppressed findings."""
    scoped = select(
        F.id,
        F.message_key,
        F.job_id,
        F.rule,
        func.max(F.job_id).over(partition_by=F.message_key).label("latest"),
        SEVERITY_ORDER.label("severity_order"),
        FROM_MODEL.label("from_model"),
        F.confidence,
    ).where(F.job_id.is_not(None), F.message_key.is_not(None), ~suppressed())
    if owner_id is not None:
        scoped = scoped.where(F.owner_id == owner_id)
    if job_id is not None:
        scoped = scoped.where(F.job_id == job_id)
    inner = scoped.subquery()
    order = (inner.c.severity_order.desc(), inner.c.from_model, inner.c.confidence.desc(), inner.c.rule, inner.c.id)
    rank = func.row_number().over(partition_by=inner.c.message_key, order_by=order).label("rank")
    return select(inner.c.id, inner.c.message_key, rank).where(inner.c.job_id == inner.c.latest).subquery()


def _select(owner_id: int | None, where: QueueFilter, *, leads: bool = True) -> Select[Any]:
    """The queue's leading findings (or, with ``leads=False``, all its findings) with their message's review."""
    current = _current(owner_id, where.job_id)
    joined = and_(current.c.id == F.id, current.c.rank == 1) if leads else current.c.id == F.id
    query = select(F, Decision).join(current, joined).outerjoin(Decision, Decision.message_key == F.message_key)
    conditions: list[ColumnElement[bool]] = []
    if where.severity:
        conditions.append(F.severity == where.severity)
    elif not where.info:
        conditions.append(F.severity != "info")
    other = aliased(FindingRecord)  # a message has a category (or rule) when any unsuppressed finding of it has
    for column, value in ((other.category, where.category), (other.rule, where.rule)):
        if value:
            having = select(other.message_key).where(column == value, other.job_id.is_not(None), ~suppressed(other))
            conditions.append(F.message_key.in_(having))
    if where.room:
        conditions.append(or_(F.room == where.room, F.room_name.contains(where.room)))
    if where.sender:
        conditions.append(or_(F.sender == where.sender, F.sender_name.contains(where.sender)))
    if where.since:
        conditions.append(F.sent_at >= datetime.combine(where.since, time(), DEFAULT_ZONE))
    if where.until:
        conditions.append(F.sent_at < datetime.combine(where.until + timedelta(days=1), time(), DEFAULT_ZONE))
    if where.decision == "open":
        conditions.append(Decision.status.is_(None))
    elif where.decision in DECISIONS:
        conditions.append(Decision.status == where.decision)
    if where.assignee == 0:
        conditions.append(Decision.assignee_id.is_(None))
    elif where.assignee is not None:
        conditions.append(Decision.assignee_id == where.assignee)
    return query.where(*conditions)


def query_queue(
    db: Session, *, viewer: User, where: QueueFilter, limit: int = 50, offset: int = 0, ip: str | None = None
) -> tuple[list[QueueItem], int]:
    """One page of the queue, ordered by severity, then confidence, then time (newest first).

    Every look at the queue is written to the audit log, with the filter used and how many were shown."""
    leads = _select(scope_of(viewer), where)
    total = db.scalar(select(func.count()).select_from(leads.subquery())) or 0
    order = (SEVERITY_ORDER.desc(), F.confidence.desc(), F.sent_at.desc().nulls_last(), F.id.desc())
    rows = db.execute(leads.order_by(*order).limit(limit).offset(offset)).all()
    items = _with_findings(db, [(lead, decision) for lead, decision in rows])
    detail = {"filter": where.shown(), "shown": len(items)}
    audit(db, actor=viewer, action="findings.view", target="review-queue", ip=ip, detail=detail)
    return items, total


def _lead_order(record: FindingRecord) -> tuple[int, bool, float, str, int]:
    """In Python, the order SEVERITY_ORDER and FROM_MODEL give in SQL (``qingfeng.core.models.lead_key``)."""
    model = record.explanation.split(":", 1)[0] in MODEL_KINDS
    return (-SEVERITY_RANK[record.severity], model, -record.confidence, record.rule, record.id)


def _with_findings(db: Session, rows: list[tuple[FindingRecord, Decision | None]]) -> list[QueueItem]:
    """Each leading finding with the other (unsuppressed) findings of its message in the same scan."""
    found: dict[tuple[str | None, int | None], list[FindingRecord]] = {}
    for start in range(0, len(rows), CHUNK):
        chunk = [lead for lead, _ in rows[start : start + CHUNK]]
        keys, jobs = {lead.message_key for lead in chunk}, {lead.job_id for lead in chunk}
        for record in db.scalars(select(F).where(F.message_key.in_(keys), F.job_id.in_(jobs), ~suppressed())):
            found.setdefault((record.message_key, record.job_id), []).append(record)
    items = []
    for lead, decision in rows:
        kept: dict[str, FindingRecord] = {}  # one finding per fingerprint: an archive may hold a message twice
        for record in sorted(found.get((lead.message_key, lead.job_id), [lead]), key=_lead_order):
            kept.setdefault(record.fingerprint, record)
        items.append(QueueItem(list(kept.values()), decision))
    return items


def query_findings(
    db: Session, *, viewer: User, where: QueueFilter, limit: int = 100, offset: int = 0, ip: str | None = None
) -> tuple[list[tuple[FindingRecord, Decision | None]], int]:
    """The queue's findings one by one (``GET /api/findings``), newest message first; audited like the queue."""
    found = _select(scope_of(viewer), where, leads=False)
    total = db.scalar(select(func.count()).select_from(found.subquery())) or 0
    rows = db.execute(found.order_by(F.sent_at.desc().nulls_last(), F.id.desc()).limit(limit).offset(offset)).all()
    detail = {"filter": where.shown(), "shown": len(rows)}
    audit(db, actor=viewer, action="findings.view", target="review-queue", ip=ip, detail=detail)
    return [(record, decision) for record, decision in rows], total


def get_item(db: Session, *, viewer: User, key: str) -> QueueItem | None:
    """One message of the viewer's queue (whatever its severity or decision), or None."""
    leads = _select(scope_of(viewer), QueueFilter(info=True))
    row = db.execute(leads.where(F.message_key == key)).first()
    return _with_findings(db, [(row[0], row[1])])[0] if row else None


def item_of_finding(db: Session, *, viewer: User, finding_id: int) -> QueueItem | None:
    """The queue item a stored scan finding belongs to, if the viewer may review it."""
    record = db.get(F, finding_id)
    if record is None or record.job_id is None or record.message_key is None:
        return None
    if not (viewer.at_least("officer") or record.owner_id == viewer.id):
        return None
    return get_item(db, viewer=viewer, key=record.message_key)


def counts(db: Session, *, viewer: User) -> dict[str, int]:
    """Messages in the viewer's queue (info-level coaching left out) per decision, "open" for undecided."""
    leads = _select(scope_of(viewer), QueueFilter())
    inner = leads.subquery()
    rows = db.execute(select(inner.c.status, func.count()).group_by(inner.c.status)).all()
    return {status or "open": number for status, number in rows}


def _reviews(db: Session, viewer: User, keys: Sequence[str]) -> dict[str, tuple[int, Decision | None]]:
    """The review rows of these message instances (owner, current row), refusing any the viewer may not see."""
    wanted = set(keys)
    query = select(F.message_key, F.owner_id).where(F.message_key.in_(wanted), F.job_id.is_not(None)).distinct()
    if not viewer.at_least("officer"):
        query = query.where(F.owner_id == viewer.id)
    owners: dict[str, int] = {key: owner for key, owner in db.execute(query).all()}
    if not wanted or set(owners) != wanted:
        raise UnknownMessages(sorted(wanted - set(owners)))
    existing = {d.message_key: d for d in db.scalars(select(Decision).where(Decision.message_key.in_(wanted)))}
    return {key: (owners[key], existing.get(key)) for key in keys}


def decide(
    db: Session, *, officer: User, keys: Sequence[str], status: str, note: str, ip: str | None
) -> list[Decision]:
    """Record one decision on every finding of these messages; each earlier one stays in the audit log."""
    if status not in DECISIONS:
        raise ValueError(f"unknown decision {status!r}")
    decided = []
    for key, (owner_id, current) in _reviews(db, officer, keys).items():
        previous = current.status if current else None
        if current is None:
            current = Decision(message_key=key, owner_id=owner_id)
            db.add(current)
        current.status, current.note, current.officer, current.decided_at = status, note, officer, utcnow()
        detail = {"status": status, "note": note, "previous": previous}
        audit(db, actor=officer, action="finding.decide", target=f"message:{key}", detail=detail, ip=ip, commit=False)
        decided.append(current)
    db.commit()
    return decided


def assign(db: Session, *, officer: User, keys: Sequence[str], assignee: User | None, ip: str | None) -> int:
    """Give these messages to an officer (or to nobody); audited."""
    reviews = _reviews(db, officer, keys)
    for key, (owner_id, current) in reviews.items():
        if current is None:
            current = Decision(message_key=key, owner_id=owner_id)
            db.add(current)
        current.assignee = assignee
        current.assigned_at = utcnow() if assignee else None
        detail = {"assignee": assignee.name if assignee else None}
        audit(db, actor=officer, action="finding.assign", target=f"message:{key}", detail=detail, ip=ip, commit=False)
    db.commit()
    return len(reviews)


def history(db: Session, *, key: str) -> list[Any]:
    """Every decision and assignment of one message, newest first."""
    wanted = ("finding.decide", "finding.assign")
    return [e for e in list_audit(db, target=f"message:{key}", limit=500) if e.action in wanted]


# ---- feedback: the rules' precision, labelled data -----------------------------------------------------


@dataclass(frozen=True)
class RuleStats:
    rule: str
    confirmed: int  # confirmed or escalated: the finding was right
    dismissed: int
    escalated: int

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return round(self.confirmed / decided, 3) if decided else None


def rule_stats(db: Session) -> list[RuleStats]:
    """Per rule, the decided messages it fired on (each message instance once, however often rescanned)."""
    rows = db.execute(
        select(F.rule, Decision.status, func.count(func.distinct(F.message_key)))
        .join(Decision, Decision.message_key == F.message_key)
        .where(F.job_id.is_not(None), Decision.status.is_not(None))
        .group_by(F.rule, Decision.status)
    ).all()
    per_rule: dict[str, dict[str, int]] = {}
    for rule, status, number in rows:
        per_rule.setdefault(rule, {})[status] = number
    stats = [
        RuleStats(rule, c.get("confirmed", 0) + c.get("escalated", 0), c.get("dismissed", 0), c.get("escalated", 0))
        for rule, c in per_rule.items()
    ]
    return sorted(stats, key=lambda s: (s.precision if s.precision is not None else 2.0, s.rule))


def decided_messages(db: Session) -> list[QueueItem]:
    """Every decided message instance with its current findings (for the labelled export), oldest decision first."""
    leads = _select(None, QueueFilter(info=True))
    rows = db.execute(leads.where(Decision.status.is_not(None)).order_by(Decision.decided_at, F.id)).all()
    return _with_findings(db, [(lead, decision) for lead, decision in rows])


# ---- suppressions ----------------------------------------------------------------------------------------


def add_suppression(
    db: Session, *, officer: User, kind: str, pattern: str, scope: str, target: str, reason: str, ip: str | None
) -> Suppression:
    if kind not in SUPPRESSION_KINDS or scope not in SUPPRESSION_SCOPES:
        raise ValueError(f"unknown suppression {kind!r} / {scope!r}")
    made = Suppression(kind=kind, pattern=pattern, scope=scope, target=target, reason=reason, author=officer)
    db.add(made)
    db.flush()
    detail = {"kind": kind, "pattern": pattern, "scope": scope, "target": target, "reason": reason}
    audit(db, actor=officer, action="suppression.add", target=f"suppression:{made.id}", detail=detail, ip=ip)
    return made


def list_suppressions(db: Session) -> Sequence[Suppression]:
    """Active ones first, newest first."""
    return db.scalars(select(Suppression).order_by(Suppression.lifted_at.is_not(None), Suppression.id.desc())).all()


def lift_suppression(db: Session, *, officer: User, suppression_id: int, ip: str | None) -> Suppression | None:
    found = db.get(Suppression, suppression_id)
    if found is None or found.lifted_at is not None:
        return found
    found.lifted_at, found.lifted_by = utcnow(), officer
    audit(db, actor=officer, action="suppression.lift", target=f"suppression:{found.id}", ip=ip)
    return found
