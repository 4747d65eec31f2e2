"""The rules' edges: each threshold just met and just crossed, the working calendar, returns, raising."""

from __future__ import annotations

from typing import Any

import pytest

from qingfeng.core.models import Finding
from qingfeng.ledger.examples import LedgerExample
from qingfeng.rulebook.loader import default_rulebook

RULEBOOK = default_rulebook()
PEOPLE = [{"id": "p1", "name": "李局长", "unit": "粮食局", "official": "yes"}, {"id": "c1", "name": "张某"}]


def _screen(transfers: list[dict[str, Any]], relation: str | None = "client", as_of: str = "2024-12-31",
            **more: Any) -> list[Finding]:
    rows = [{"kind": "transfer", "sender": "c1", "receiver": "p1", "id": f"t{n}"} | row
            for n, row in enumerate(transfers, start=1)]
    relations = [{"official": "p1", "counterparty": "c1", "relation": relation}] if relation else []
    example = LedgerExample.model_validate(
        {"as_of": as_of, "transfers": rows, "people": more.pop("people", PEOPLE), "relations": relations} | more
    )
    result = example.screen(RULEBOOK)
    assert not result.problems, result.problems
    return result.findings


def _rules(findings: list[Finding]) -> dict[str, str]:
    return {finding.rule: finding.severity for finding in findings}


@pytest.mark.parametrize(("amount", "severity"), [(200, "warn"), (200.01, "block")])
def test_interested_party_blocks_beyond_the_per_transfer_limit(amount: float, severity: str) -> None:
    findings = _screen([{"time": "2024-03-04 20:00", "amount": amount}])
    assert _rules(findings)["LED001"] == severity


@pytest.mark.parametrize(("second_day", "severity"), [("2024-03-31 20:00", "block"), ("2024-04-01 20:01", "warn")])
def test_interested_party_sums_within_30_days(second_day: str, severity: str) -> None:
    findings = _screen([{"time": "2024-03-01 20:00", "amount": 200}, {"time": "2024-03-15 20:00", "amount": 200},
                        {"time": second_day, "amount": 150}])
    assert _rules(findings)["LED001"] == severity


@pytest.mark.parametrize(("amount", "memo", "fires"), [(100, "AA饭钱", False), (100.5, "AA饭钱", True),
                                                        (50, "谢谢", True), (80, "aa 车费", False)])
def test_reimbursement_floor(amount: float, memo: str, fires: bool) -> None:
    findings = _screen([{"time": "2024-03-04 20:00", "amount": amount, "memo": memo}], relation="subordinate")
    assert ("LED001" in _rules(findings)) is fires


def test_reimbursement_floor_is_configurable() -> None:
    rows = [{"time": "2024-03-04 20:00", "amount": 45, "memo": "AA饭钱"}]
    assert "LED001" in _rules(_screen(rows, relation="subordinate", config={"reimbursement_floor": 0}))


@pytest.mark.parametrize(("relation", "rule"), [("friend", "LED002"), (None, "LED002"), ("colleague", "LED002"),
                                                ("family", None), ("client", "LED001")])
def test_beyond_reciprocity_is_for_anyone_but_family(relation: str | None, rule: str | None) -> None:
    rules = _rules(_screen([{"time": "2024-03-04 20:00", "amount": 800}], relation=relation))
    assert ("LED002" in rules) is (rule == "LED002")
    assert ("LED001" in rules) is (rule == "LED001")


def test_a_higher_configured_limit_is_honoured() -> None:
    rows = [{"time": "2024-03-04 20:00", "amount": 800}]
    assert "LED002" not in _rules(_screen(rows, relation="friend", config={"per_transfer_limit": 1000,
                                                                           "per_counterparty_limit": 2000}))


def _group(time: str, room_name: str = "粮食局办公室工作群") -> dict[str, Any]:
    return {"time": time, "amount": 5, "kind": "redpacket", "sender": "x9", "room": "r1", "room_name": room_name}


@pytest.mark.parametrize(
    ("moment", "fires"),
    [
        ("2024-03-04 08:30", True),  # Monday, the window opens
        ("2024-03-04 08:29", False),
        ("2024-03-04 17:29", True),
        ("2024-03-04 17:30", False),  # the window's end is exclusive
        ("2024-02-04 10:00", True),  # a Sunday that was a working day (春节调休)
        ("2024-10-01 10:00", False),  # a Tuesday on National Day
        ("2024-03-09 10:00", False),  # an ordinary Saturday
    ],
)
def test_working_hours_follow_the_chinese_calendar(moment: str, fires: bool) -> None:
    assert ("LED003" in _rules(_screen([_group(moment)], relation=None))) is fires


def test_working_hours_are_configurable_and_only_in_work_groups() -> None:
    assert "LED003" not in _rules(_screen([_group("2024-03-04 10:00", "相亲相爱一家人")], relation=None))
    late = _screen([_group("2024-03-04 18:30")], relation=None, config={"work_hours": "09:00-19:00"})
    assert "LED003" in _rules(late)


def test_work_hours_in_a_work_group_raise_the_other_finding() -> None:
    row = _group("2024-03-04 10:00") | {"sender": "c1", "amount": 50}
    findings = _screen([row], as_of="2024-03-05")
    assert _rules(findings) == {"LED003": "info", "LED001": "block"}
    raised = next(f for f in findings if f.rule == "LED001")
    assert "工作时间" in raised.explanation


def _small(count: int, every: int, amount: float = 60) -> list[dict[str, Any]]:
    from datetime import datetime, timedelta

    start = datetime(2024, 3, 1, 21)
    return [{"time": (start + timedelta(days=every * n)).isoformat(), "amount": amount} for n in range(count)]


@pytest.mark.parametrize(
    ("rows", "fires"),
    [
        (_small(5, 14), True),  # 5 in 57 days, 300 yuan
        (_small(4, 14), False),  # 4 only
        (_small(5, 16), False),  # 5 spread over 65 days: never 5 within 60
        (_small(5, 14, amount=40), False),  # 200 in all: not beyond the limit
        (_small(5, 14, amount=201), False),  # each beyond the limit: that is LED002's (or LED001's) matter
    ],
)
def test_repeated_small_sums(rows: list[dict[str, Any]], fires: bool) -> None:
    assert ("LED004" in _rules(_screen(rows, relation="friend"))) is fires


def test_repeated_small_sums_total_is_configurable() -> None:
    assert "LED004" not in _rules(_screen(_small(5, 14), relation="friend", config={"repeat_total": 500}))


def _burst(day: str, members: int, unit: str = "财政局", room_name: str | None = None) -> dict[str, Any]:
    people = [{"id": f"m{n}", "name": f"成员{n}", "unit": unit, "official": "yes"} for n in range(members)]
    rows = [{"id": f"t{n}", "time": f"{day} 20:{n:02d}", "kind": "redpacket", "sender": "c9", "receiver": f"m{n}",
             "amount": 50} | ({"room": "b1", "room_name": room_name} if room_name else {}) for n in range(members)]
    return {"as_of": "2024-12-31", "transfers": rows, "people": people,
            "elections": [{"unit": "财政局", "start": "2024-03-10", "end": "2024-03-20"}]}


@pytest.mark.parametrize(
    ("day", "members", "fires"),
    [
        ("2024-02-09", 5, True),  # 30 days before the start
        ("2024-02-08", 5, False),  # 31 days before
        ("2024-03-20", 5, True),  # the last day of the election
        ("2024-03-21", 5, False),
        ("2024-03-12", 4, False),
    ],
)
def test_vote_buying_window_and_size(day: str, members: int, fires: bool) -> None:
    result = LedgerExample.model_validate(_burst(day, members)).screen(RULEBOOK)
    assert ("LED005" in _rules(result.findings)) is fires


def test_vote_buying_counts_only_the_electing_unit_or_an_unregistered_branch_group() -> None:
    other = LedgerExample.model_validate(_burst("2024-03-12", 6, unit="税务局")).screen(RULEBOOK)
    assert "LED005" not in _rules(other.findings)
    branch = _burst("2024-03-12", 6, unit="税务局", room_name="某村党支部")
    for person in branch["people"]:
        person["unit"] = ""
    assert "LED005" in _rules(LedgerExample.model_validate(branch).screen(RULEBOOK).findings)


@pytest.mark.parametrize(("relation", "fires"), [("business", True), ("subordinate", True), ("friend", False)])
def test_gift_cards_from_interested_parties_block_whatever_the_amount(relation: str, fires: bool) -> None:
    rules = _rules(_screen([{"time": "2024-03-04 20:00", "amount": 1, "kind": "giftcard"}], relation=relation))
    assert ("LED006" in rules) is fires
    assert "LED001" not in rules  # gift cards are LED006's, not counted twice


def _game(gap: int, links: int) -> list[dict[str, Any]]:
    players, sender, rows = ["p1", "u1", "u2"], "p1", []
    for n in range(links + 1):
        first, second = [p for p in players if p != sender]
        minute = n * gap
        when = f"2024-03-02 {20 + minute // 60}:{minute % 60:02d}"
        for receiver, amount in ((first, 6), (second, 4)):
            rows.append({"time": when, "kind": "redpacket", "sender": sender, "receiver": receiver, "amount": amount,
                         "room": "r9", "room_name": "开心群", "packet": f"k{n}"})
        sender = first
    return rows


@pytest.mark.parametrize(("gap", "links", "fires"), [(10, 5, True), (11, 5, False), (2, 4, False)])
def test_gambling_chain(gap: int, links: int, fires: bool) -> None:
    findings = _screen(_game(gap, links), relation=None)
    assert ("ILL010" in _rules(findings)) is fires
    if fires:
        assert next(f for f in findings if f.rule == "ILL010").extra["subject"] == "p1"


@pytest.mark.parametrize(
    ("status", "returned_at", "as_of", "original", "escalated"),
    [
        ("received", "", "2024-03-11", "warn", False),  # 7 days: still within the deadline
        ("received", "", "2024-03-12", "warn", True),
        ("returned", "2024-03-11 19:00", "2024-06-01", "info", False),  # returned in time
        ("returned", "2024-03-20 09:00", "2024-06-01", "warn", False),  # returned late: stays, not escalated
        ("pending", "", "2024-06-01", "warn", False),  # never accepted
    ],
)
def test_return_deadline(status: str, returned_at: str, as_of: str, original: str, escalated: bool) -> None:
    rows = [{"time": "2024-03-04 20:00", "amount": 100, "status": status, "returned_at": returned_at}]
    rules = _rules(_screen(rows, as_of=as_of))
    assert rules["LED001"] == original
    assert ("LED008" in rules) is escalated


def test_a_receipt_two_rules_flag_is_escalated_once() -> None:
    rules = [f.rule for f in _screen(_small(6, 7, amount=200))]
    assert sorted(rules) == ["LED001", "LED004", "LED008"]
