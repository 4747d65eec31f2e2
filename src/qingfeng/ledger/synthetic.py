"""Synthetic ledgers: a town's worth of ordinary money with known cases injected, and the ground truth.

The bulk (citizens paying each other, group red envelopes, family money to officials) is generated inside
DuckDB, so ten million rows take seconds; the cases — and hard negatives that must stay silent — are built
here, each with the findings it must produce. Used by the tests, the demo and the benchmarks.

ledger = generate(folder, transfers=100_000, seed=7)            # CSV; fmt="parquet" for the benchmark
result = screen_file(ledger.transfers, people=ledger.people, relations=ledger.relations,
                     elections=ledger.elections, thresholds=Thresholds(as_of=ledger.as_of))
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.core.models import Finding
from qingfeng.ingest.transfers import COLUMNS
from qingfeng.ledger import tables

YEAR = 2024
AS_OF = date(YEAR + 1, 1, 31)
CITIZENS = 50_000
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉力建国红梅鹏飞宇浩然志刚晓东海燕"
_UNITS = ("财政局", "粮食局", "住建局", "教育局", "卫健委", "交通局", "自然资源局", "市场监管局", "农业农村局",
          "民政局")


@dataclass(frozen=True, order=True)
class Expected:
    """A finding the ledger must produce: the rule, its subject and what it is about (counterparty, room or
    unit)."""

    rule: str
    subject: str
    about: str


def expected_of(finding: Finding) -> Expected:
    """The same key for a finding the screening produced."""
    extra = finding.extra
    about = extra["room"] if finding.rule in ("LED003", "ILL010") else extra["counterparty"]
    return Expected(finding.rule, extra["subject"] or "", about or "")


@dataclass
class SyntheticLedger:
    transfers: Path
    people: Path
    relations: Path
    elections: Path
    as_of: date
    expected: list[Expected] = field(default_factory=list)
    rows: int = 0


class _Town:
    def __init__(self, officials: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.calendar = WorkingCalendar()
        self.officials = officials
        self.units = [_UNITS[k % len(_UNITS)] + (str(k // len(_UNITS) + 1) if k >= len(_UNITS) else "")
                      for k in range(max(3, officials // 6))]
        self.people: list[dict[str, Any]] = []
        self.relations: list[tuple[str, str, str]] = []
        for k in range(officials):
            unit = self.unit_of(k)
            self.person(f"o{k}", unit, official=True, rank=self.rng.randint(3, 8))
            for relation, prefix, count in (("subordinate", "s", 3), ("client", "c", 2), ("business", "b", 1),
                                            ("family", "f", 2), ("friend", "g", 3)):
                for j in range(count):
                    other = f"{prefix}{k}_{j}"
                    self.person(other, unit if relation == "subordinate" else "", official=False)
                    self.relations.append((f"o{k}", other, relation))
        self.rows: list[dict[str, Any]] = []
        self.elections: list[tuple[str, date, date]] = []
        self.expected: list[Expected] = []
        self.serial = 0

    def unit_of(self, official: int) -> str:
        return self.units[official % len(self.units)]

    def person(self, pid: str, unit: str, official: bool, rank: int | None = None) -> None:
        name = self.rng.choice(_SURNAMES) + "".join(self.rng.choices(_GIVEN, k=self.rng.randint(1, 2)))
        self.people.append({"id": pid, "name": name, "unit": unit, "rank": rank or "",
                            "official": "yes" if official else "no"})

    def members(self, unit: str) -> list[str]:
        return [person["id"] for person in self.people if person["unit"] == unit]

    def day(self, first: int = 0, last: int = 300, workday: bool | None = None) -> date:
        while True:
            day = date(YEAR, 1, 1) + timedelta(days=self.rng.randint(first, last))
            if workday is None or self.calendar.is_workday(day) == workday:
                return day

    def add(self, when: datetime, kind: str, sender: str, receiver: str, amount: float, **more: Any) -> str:
        self.serial += 1
        row = {"id": f"x{self.serial}", "time": when, "kind": kind, "sender": sender, "receiver": receiver,
               "amount": round(amount, 2), "status": "received"} | more
        self.rows.append(row)
        return row["id"]

    def expect(self, subject: str, about: str, *rules: str) -> None:
        self.expected.extend(Expected(rule, subject, about) for rule in rules)


def _evening(day: date, minute: int = 0) -> datetime:
    return datetime.combine(day, time(20, 0)) + timedelta(minutes=minute)


def _cases(town: _Town, count: int) -> None:
    """Each case kind on its own officials; the rules each must raise."""
    rng = town.rng
    for c in range(count):
        k = [(c * 8 + j) % town.officials for j in range(8)]
        # LED001, warn: 100-odd yuan from a client, returned two days later (so resolved to info).
        day = town.day()
        town.add(_evening(day), "transfer", f"c{k[0]}_0", f"o{k[0]}", rng.randint(50, 180),
                 status="returned", returned_at=_evening(day + timedelta(days=2)))
        town.expect(f"o{k[0]}", f"c{k[0]}_0", "LED001")
        # LED001, block: 5,000 yuan from a subordinate, never returned.
        town.add(_evening(town.day()), "transfer", f"s{k[1]}_0", f"o{k[1]}", 5000, memo="一点心意")
        town.expect(f"o{k[1]}", f"s{k[1]}_0", "LED001", "LED008")
        # LED002: 1,000 yuan from a friend.
        town.add(_evening(town.day()), "transfer", f"g{k[2]}_0", f"o{k[2]}", 1000)
        town.expect(f"o{k[2]}", f"g{k[2]}_0", "LED002", "LED008")
        # LED003: a share of a group red envelope in the unit's work group at 10:00 on a working day.
        room, day = f"iw{c}", town.day(workday=True)
        packet = f"pw{c}"
        for share, receiver in enumerate([f"o{k[3]}", "u1", "u2", "u3"]):
            town.add(datetime.combine(day, time(10, share)), "redpacket", "u9", receiver, 5,
                     room=room, room_name=f"{town.unit_of(k[3])}办公室工作群", packet=packet)
        town.expect(f"o{k[3]}", room, "LED003")
        # LED004 (with LED001, LED008): 21 red envelopes of 200 yuan from a grain trader in 45 days.
        start = town.day(last=250)
        for n in range(21):
            town.add(_evening(start + timedelta(days=n * 45 // 21)), "redpacket", f"c{k[4]}_1", f"o{k[4]}", 200)
        town.expect(f"o{k[4]}", f"c{k[4]}_1", "LED004", "LED001", "LED008")
        # LED005: a candidate's red envelopes to the unit's members in the branch group before the election.
        unit = town.unit_of(k[5])
        town.elections.append((unit, _election_start(c), _election_start(c) + timedelta(days=10)))
        day = _election_start(c) - timedelta(days=5)
        for n, member in enumerate(m for m in town.members(unit) if m != f"o{k[5]}"):
            if n == 41:
                break
            town.add(_evening(day, n), "redpacket", f"o{k[5]}", member, 200, room=f"ib{c}",
                     room_name=f"{unit}第一党支部", packet=f"pb{c}_{n}")
        town.expect(f"o{k[5]}", unit, "LED005")
        # LED006 (with LED008): a 300-yuan shopping card from a business contact.
        town.add(_evening(town.day()), "giftcard", f"b{k[6]}_0", f"o{k[6]}", 300, memo="购物卡")
        town.expect(f"o{k[6]}", f"b{k[6]}_0", "LED006", "LED008")
        # ILL010: eight chained red envelopes in a card players' group, the luckiest sending the next.
        _game(town, f"ig{c}", f"o{k[7]}", chained=True)
        town.expect(f"o{k[7]}", f"ig{c}", "ILL010")


def _game(town: _Town, room: str, official: str, chained: bool) -> None:
    players = [official, "u11", "u12", "u13"]
    start = datetime.combine(town.day(), time(21, 0))
    sender = players[0]
    for n in range(8):
        others = [p for p in players if p != sender]
        shares = [9.0, 6.5, 4.5]
        town.rng.shuffle(others)
        for receiver, share in zip(others, shares, strict=True):
            town.add(start + timedelta(minutes=2 * n), "redpacket", sender, receiver, share, room=room,
                     room_name="欢乐牌友群", packet=f"{room}_{n}")
        sender = others[0] if chained else players[(players.index(sender) + 1) % 4]
        if not chained and sender == others[0]:
            sender = others[1]


def _negatives(town: _Town, count: int) -> None:
    """Look-alikes that must stay silent."""
    for c in range(count):
        k = [(c * 8 + j + 3) % town.officials for j in range(6)]
        start = town.day(last=240)
        for n in range(6):  # AA meal money from a subordinate, 45 yuan, six times in two months
            town.add(_evening(start + timedelta(days=10 * n)), "transfer", f"s{k[0]}_2", f"o{k[0]}", 45, memo="AA饭钱")
        for n in range(3):  # a friend's three small sums, 450 yuan in 40 days
            town.add(_evening(start + timedelta(days=20 * n)), "transfer", f"g{k[1]}_1", f"o{k[1]}", 150)
        town.add(_evening(town.day()), "giftcard", f"g{k[2]}_2", f"o{k[2]}", 100, memo="电影券")
        town.add(_evening(town.day()), "transfer", f"f{k[3]}_0", f"o{k[3]}", 20000, memo="买房")
        day = town.day(workday=True)  # a work group's red envelope in the evening
        town.add(_evening(day), "redpacket", "u9", f"o{k[4]}", 8, room=f"nw{c}", room_name="办公室工作群",
                 packet=f"nw{c}")
        _game(town, f"ng{c}", f"o{k[5]}", chained=False)


def _election_start(c: int) -> date:
    return date(YEAR, 3, 1) + timedelta(days=23 * c % 280)


def generate(folder: Path, transfers: int = 10_000, seed: int = 7,
             fmt: Literal["csv", "parquet"] = "csv", threads: int | None = None) -> SyntheticLedger:
    """Write transfers (about ``transfers`` rows), people.csv, relations.csv and elections.csv to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    officials = max(16, transfers // 5000)
    town = _Town(officials, seed)
    cases = max(1, officials // 10)
    _cases(town, cases)
    _negatives(town, cases)
    _write_csv(folder / "people.csv", ("id", "name", "unit", "rank", "official"),
               ([p[c] for c in ("id", "name", "unit", "rank", "official")] for p in town.people))
    _write_csv(folder / "relations.csv", ("official", "counterparty", "relation"), town.relations)
    _write_csv(folder / "elections.csv", ("unit", "start", "end"), town.elections)
    path = folder / f"transfers.{fmt}"
    bulk = max(0, transfers - len(town.rows))
    con = tables.connect(threads)
    try:
        injected = [tuple(row.get(c) for c in COLUMNS) for row in town.rows]
        types = {"time": "TIMESTAMP", "amount": "DECIMAL(12,2)", "returned_at": "TIMESTAMP"}
        tables.insert(con, "injected", ", ".join(f"{c} {types.get(c, 'VARCHAR')}" for c in COLUMNS), injected)
        con.execute(_BULK.format(n=bulk, seed=seed, officials=officials, citizens=CITIZENS))
        target = str(path).replace("'", "''")
        options = "FORMAT parquet" if fmt == "parquet" else "HEADER, DELIMITER ','"
        con.execute(f"COPY (SELECT * FROM bulk UNION ALL SELECT * FROM injected ORDER BY time) TO '{target}' "
                    f"({options})")
    finally:
        con.close()
    return SyntheticLedger(path, folder / "people.csv", folder / "relations.csv", folder / "elections.csv", AS_OF,
                           sorted(set(town.expected)), bulk + len(town.rows))


# The ordinary money: 2% family money to officials, 8% shares of work-group red envelopes among citizens
# during office hours, 10% friends-group envelopes, the rest one-to-one between citizens. Each row its own
# packet, so no game; citizens are in no register, so no election burst.
_BULK = """
CREATE OR REPLACE TEMP TABLE bulk AS
WITH r AS (
  SELECT i, hash(i, {seed}) % 100 AS kind_roll, hash(i, {seed} + 1) AS h1, hash(i, {seed} + 2) AS h2,
         hash(i, {seed} + 3) AS h3
  FROM range({n}) AS t(i)
)
SELECT 'n' || i AS id,
       CASE WHEN kind_roll BETWEEN 2 AND 9
            THEN TIMESTAMP '{year}-01-02 09:00:00' + to_days((h1 % 360)::INTEGER) + to_seconds((h3 % 28800)::BIGINT)
            ELSE TIMESTAMP '{year}-01-01 00:00:00' + to_seconds((h1 % (365 * 86400))::BIGINT) END AS time,
       CASE WHEN kind_roll < 2 OR kind_roll >= 20 THEN 'transfer' ELSE 'redpacket' END AS kind,
       CASE WHEN kind_roll < 2 THEN 'f' || (h2 % {officials}) || '_' || (h3 % 2)
            ELSE 'u' || (h2 % {citizens}) END AS sender,
       CASE WHEN kind_roll < 2 THEN 'o' || (h2 % {officials})
            ELSE 'u' || ((h2 + 1 + h3 % ({citizens} - 1)) % {citizens}) END AS receiver,
       CASE WHEN kind_roll < 2 THEN 50 + h3 % 5000
            WHEN kind_roll < 20 THEN 0.01 * (1 + h3 % 2000)
            ELSE 0.01 * (1 + h3 % 200000) END::DECIMAL(12,2) AS amount,
       CASE WHEN kind_roll BETWEEN 2 AND 9 THEN 'w' || (h2 % 500)
            WHEN kind_roll BETWEEN 10 AND 19 THEN 'q' || (h2 % 2000) END AS room,
       CASE WHEN kind_roll BETWEEN 2 AND 9 THEN '第' || (h2 % 500) || '项目部工作群'
            WHEN kind_roll BETWEEN 10 AND 19 THEN '同学群' || (h2 % 2000) END AS room_name,
       NULL::VARCHAR AS packet, '' AS memo, 'received' AS status, NULL::TIMESTAMP AS returned_at
FROM r
""".replace("{year}", str(YEAR))


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
