"""Screen a transfer ledger: the one call the CLI, the web page, the examples and the benchmark share.

result = screen_file(Path("transfers.csv"), people=..., relations=..., elections=...)
result.findings, result.problems, result.stats
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from qingfeng.coach.workcal import WorkingCalendar, today
from qingfeng.core.i18n import t
from qingfeng.core.models import Explanation, Finding
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.people import Person, read_people
from qingfeng.ingest.relations import Election, Relationship, read_elections, read_relations
from qingfeng.ingest.transfers import load_transfers
from qingfeng.ledger import explain, tables
from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.rules import RAISING, RETURNABLE, RETURNS, LedgerRule, compile_rules, render_query
from qingfeng.rulebook.loader import Rulebook, default_rulebook
from qingfeng.runtime.findings import build_finding, judged_severity
from qingfeng.runtime.result import RunResult

_BASE = {"info": 0.1, "warn": 0.4, "block": 0.7}


def score(severity: str, total: float) -> float:
    """0–1 for ranking: the severity, then the money (100,000 yuan or more adds the full 0.3)."""
    return round(_BASE[severity] + 0.3 * min(1.0, math.log10(1 + total) / 5), 3)


@dataclass(frozen=True)
class Hit:
    """One row of a rule's query: the receipts behind one finding."""

    subject: str | None
    counterparty: str | None
    room: str | None
    ids: list[str]
    amounts: list[float]
    total: float
    n: int
    first_time: datetime
    last_time: datetime
    over_limit: bool  # beyond a limit the query knows: the rule's escalate applies
    relation: str | None
    details: dict[str, Any] | None  # what a kind's explanation needs beyond these (an election's dates)


class Late(NamedTuple):
    """A finding's receipts still not returned after the deadline."""

    ids: list[str]
    amounts: list[float]
    total: float
    n: int
    first_time: datetime


@dataclass(kw_only=True)
class LedgerResult(RunResult):
    as_of: date
    thresholds: Thresholds
    people: dict[str, Person]
    stats: dict[str, Any]
    amounts: dict[str, tuple[datetime, float, str, str]] = field(default_factory=dict)  # flagged id → row
    room_names: dict[str, str] = field(default_factory=dict)

    def name(self, person: str | None) -> str:
        if person is None:
            return "—"
        known = self.people.get(person)
        return known.name if known else person

    def statistics(self) -> dict[str, Any]:
        return self.stats

    def sections(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "thresholds": self.thresholds.model_dump(mode="json")}


class Screening:
    """A connection with the ledger loaded; ``run`` applies the rules."""

    def __init__(self, con: duckdb.DuckDBPyConnection, thresholds: Thresholds, people: dict[str, Person]) -> None:
        self.con, self.thresholds, self.people = con, thresholds, people
        self.as_of = thresholds.as_of or today()
        self.rooms: dict[str, str] = dict(self._rows("SELECT room, coalesce(name, room) FROM room_kinds"))

    def _rows(self, query: str) -> list[Any]:
        """A query's rows (qingfeng.spark runs the same queries on Spark)."""
        return self.con.execute(query).fetchall()

    def _table(self, name: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        tables.insert(self.con, name, columns, rows)

    def _hits(self, kind: str) -> list[Hit]:
        return [Hit(*row) for row in self._rows(render_query(kind, self.thresholds))]

    def _name(self, person: str | None) -> str:
        known = self.people.get(person or "")
        return known.name if known else person or "—"

    def _finding(self, item: LedgerRule, hit: Hit, lang: str, moves: tuple[str, ...] = (), *, raise_by: int = 0,
                 settled: bool = False) -> Finding:
        why = explain.why(
            item.kind, lang, self.thresholds, amounts=hit.amounts, first=hit.first_time,
            last=hit.last_time, who=self._name(hit.counterparty if item.kind != "vote_buying" else hit.subject),
            subject=self._name(hit.subject), counterparty=hit.counterparty or "", relation_name=hit.relation,
            room=self._room_name(hit), details=hit.details or {}, over_limit=hit.over_limit,
        )
        return self._make(item, hit, Explanation(item.kind, why, moves, named=False), lang, raise_by=raise_by,
                          settled=settled)

    def _make(self, item: LedgerRule, hit: Hit, why: Explanation, lang: str, *, raise_by: int = 0,
              settled: bool = False, **more: Any) -> Finding:
        rule = item.rule
        who = self._name(hit.counterparty) if hit.counterparty else self._room_name(hit)
        excerpt = t("ledger.excerpt", lang, who=who, subject=self._name(hit.subject), n=hit.n,
                    total=explain.yuan(hit.total))
        stop = ". " if lang == "en" else "。"
        severity = judged_severity(rule, raise_by=raise_by, settled=settled)
        members = (hit.details or {}).get("members")
        return build_finding(
            rule, lang, message_id=hit.ids[0], excerpt=excerpt, why=why, raise_by=raise_by, settled=settled,
            advice_lead=f"{why.render()}{stop}",
            extra={
                "subject": hit.subject,
                "subject_name": self.people[hit.subject].name if hit.subject in self.people else hit.subject,
                "counterparty": hit.counterparty,
                "relation": hit.relation,
                "room": hit.room,
                "transfer_ids": hit.ids,
                "count": hit.n,
                "total": round(hit.total, 2),
                "first": hit.first_time.isoformat(sep=" "),
                "last": hit.last_time.isoformat(sep=" "),
                "score": score(severity, hit.total),
            } | ({"members": members} if members is not None else {}) | more,
        )

    def _room_name(self, hit: Hit) -> str:
        return self.rooms.get(hit.room, hit.room) if hit.room is not None else ""

    def run(self, rules: Sequence[LedgerRule], lang: str = "zh") -> list[Finding]:
        kinds = {item.kind: item for item in rules}
        raising: set[str] = set()
        findings: list[Finding] = []
        if RAISING in kinds:
            for hit in self._hits(RAISING):
                raising.update(hit.ids)
                findings.append(self._finding(kinds[RAISING], hit, lang))
        resolved: set[int] = set()
        overdue: dict[int, Late] = {}
        primary: list[tuple[LedgerRule, Hit]] = [
            (item, hit) for item in rules if item.kind not in (RAISING, RETURNS) for hit in self._hits(item.kind)
        ]
        if RETURNS in kinds:
            returnable = [(n, hit) for n, (item, hit) in enumerate(primary) if item.kind in RETURNABLE]
            resolved, overdue = self._returns(returnable)
        escalated: set[str] = set()
        for number, (item, hit) in enumerate(primary):
            raise_by, moves = int(hit.over_limit), ()
            # Money taken in a work group in working hours raises the finding a step, where its rule lets it.
            if raising.intersection(hit.ids) and judged_severity(item.rule, raise_by=raise_by + 1) != judged_severity(
                item.rule, raise_by=raise_by
            ):
                raise_by += 1
                moves = (t("ledger.why.raised", lang),)
            settled = number in resolved
            if settled:
                moves += (t("ledger.why.resolved", lang, days=self.thresholds.return_days),)
            finding = self._finding(item, hit, lang, moves, raise_by=raise_by, settled=settled)
            findings.append(finding)
            # Receipts two rules flagged are escalated once, under the first rule.
            if number in overdue and not escalated.issuperset(overdue[number].ids):
                escalated.update(overdue[number].ids)
                findings.append(self._overdue(kinds[RETURNS], hit, finding, overdue[number], lang))
        return sorted(findings, key=lambda finding: (-finding.extra["score"], finding.rule, finding.message_id))

    def _returns(self, returnable: list[tuple[int, Hit]]) -> tuple[set[int], dict[int, Late]]:
        rows = [(number, transfer) for number, hit in returnable for transfer in hit.ids]
        self._table("flagged", "finding INTEGER, id VARCHAR", rows)
        query = render_query("not_returned", self.thresholds, as_of=self.as_of.isoformat())
        overdue = {row[0]: Late(*row[1:]) for row in self._rows(query)}
        resolved = {row[0] for row in self._rows(render_query("returned_in_time", self.thresholds))}
        return resolved, overdue

    def _overdue(self, item: LedgerRule, hit: Hit, source: Finding, late: Late, lang: str) -> Finding:
        escalated = Hit(hit.subject, hit.counterparty, hit.room, late.ids, late.amounts, late.total, late.n,
                        late.first_time, hit.last_time, hit.over_limit, hit.relation, hit.details)
        why = t("ledger.why.not_returned", lang, subject=self._name(hit.subject),
                money=explain.money(late.amounts, lang), rule=source.rule, days=self.thresholds.return_days)
        return self._make(item, escalated, Explanation(item.kind, why, named=False), lang,
                          escalates=source.fingerprint)

    def stats(self) -> dict[str, Any]:
        [(read, total, officials)] = self._rows(
            "SELECT count(*), coalesce(sum(amount), 0), (SELECT count(*) FROM people WHERE official) FROM transfers"
        )
        [(receipts,)] = self._rows("SELECT count(*) FROM receipts")
        return {"transfers": read, "amount": round(total, 2), "officials": officials, "to_officials": receipts}


def prepare(con: duckdb.DuckDBPyConnection, people: Iterable[Person], relations: Iterable[Relationship],
            elections: Iterable[Election], thresholds: Thresholds, calendar: WorkingCalendar) -> None:
    """Registers, calendar and receipts, once ``transfers`` is loaded."""
    tables.load_registers(con, people, relations, elections)
    tables.load_calendar(con, calendar)
    tables.build_receipts(con, thresholds)


def screen_loaded(con: duckdb.DuckDBPyConnection, people: dict[str, Person], relations: list[Relationship],
                  elections: list[Election], *, thresholds: Thresholds, calendar: WorkingCalendar | None = None,
                  rulebook: Rulebook | None = None, select: Sequence[str] = (), lang: str = "zh",
                  problems: list[InputProblem] | None = None) -> LedgerResult:
    rulebook = rulebook or default_rulebook()
    calendar = calendar or WorkingCalendar()
    prepare(con, people.values(), relations, elections, thresholds, calendar)
    screening = Screening(con, thresholds, people)
    findings = screening.run(compile_rules(rulebook, select), lang)
    stats = screening.stats() | {"bad_rows": len(problems or []),
                                 "calendar_fallback_years": sorted(calendar.fallback_years)}
    flagged = {i for finding in findings for i in finding.extra["transfer_ids"]}
    amounts = {}
    if flagged:
        con.execute("CREATE OR REPLACE TEMP TABLE wanted AS SELECT unnest(?::VARCHAR[]) AS id", [sorted(flagged)])
        amounts = {row[0]: row[1:] for row in con.execute(
            "SELECT id, time, amount, sender, receiver FROM transfers SEMI JOIN wanted USING (id)").fetchall()}
    return LedgerResult(as_of=screening.as_of, rulebook=rulebook.version, thresholds=thresholds, findings=findings,
                        people=people, stats=stats, problems=list(problems or []), amounts=amounts,
                        room_names=screening.rooms)


def read_registers(people: Path, relations: Path, elections: Path | None
                   ) -> tuple[dict[str, Person], list[Relationship], list[Election], list[InputProblem]]:
    register, problems = read_people(people)
    links, more = read_relations(relations)
    periods, most = read_elections(elections) if elections is not None else ([], [])
    if not any(person.official for person in register.values()):
        raise InputError(InputProblem.of(str(people), None, "official", "no_official"))
    return register, links, periods, problems + more + most


def screen_file(transfers: Path, *, people: Path, relations: Path, elections: Path | None = None,
                thresholds: Thresholds | None = None, calendar: WorkingCalendar | None = None,
                rulebook: Rulebook | None = None, lang: str = "zh", threads: int | None = None) -> LedgerResult:
    register, links, periods, problems = read_registers(people, relations, elections)
    con = tables.connect(threads)
    try:
        problems = load_transfers(con, transfers) + problems
        return screen_loaded(con, register, links, periods, thresholds=thresholds or Thresholds(),
                             calendar=calendar, rulebook=rulebook, lang=lang, problems=problems)
    finally:
        con.close()
