"""Group-audit throughput on a synthetic unit: read the register, audit it, audit it with an archive.

    .venv/bin/python bench/groups_audit.py [--groups 500] [--members 30] [--messages 200000]

Prints one table row per stage with wall time and rate; the message engine's pass over the archive is
also timed alone, since it is most of the archive audit. The register and archive are generated (seeded),
with the shapes the audits care about: remarks of several kinds, strangers, people who left, notices
asking for confirmation, daily-report groups, holidays and adjusted working days in the span.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.core.models import DEFAULT_ZONE, Message
from qingfeng.groups import read_register, run_audit
from qingfeng.ingest.archive import read_archive
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import default_rulebook

KINDS = ("work", "work", "notice", "project", "branch", "friends", "family", "other")
TEXTS = (
    "请各股室今天下班前报送材料。",
    "收到",
    "好的",
    "今日工作进展：完成入户核查。",
    "明天上午九点开会，收到请回复。",
    "中午吃什么",
    "这份机密文件大家看看",
    "已阅",
    "材料已上传共享盘。",
    "日报：整理台账。",
)


def write_register(folder: Path, groups: int, members: int, rng: random.Random) -> dict[str, list[str]]:
    """Write the three CSV files; the members of each group."""
    people = groups * members // 5
    rooms: dict[str, list[str]] = {}
    with (folder / "people.csv").open("w", encoding="utf-8") as out:
        out.write("id,name,unit,rank,official,status,status_since\n")
        for n in range(people):
            status = rng.choice(("active",) * 18 + ("departed", "moved"))
            since = date(2024, 3, 1) + timedelta(days=rng.randrange(80))
            since = since.isoformat() if status != "active" else ""
            out.write(f"p{n},姓名{n},单位{n % 40},{rng.randrange(1, 6)},yes,{status},{since}\n")
    with (folder / "groups.csv").open("w", encoding="utf-8") as out:
        out.write("room,room_name,kind,owner,unit,created,daily_report\n")
        for g in range(groups):
            owner = f"p{rng.randrange(people)}" if rng.random() > 0.05 else ""
            daily = "yes" if g % 10 == 0 else "no"
            out.write(f"g{g},第{g}工作群,{KINDS[g % len(KINDS)]},{owner},单位{g % 40},2023-01-01,{daily}\n")
    with (folder / "members.csv").open("w", encoding="utf-8") as out:
        out.write("room,member,remark,joined,left\n")
        for g in range(groups):
            for p in rng.sample(range(people), members):
                member = f"p{p}" if rng.random() > 0.02 else f"wxid_{g}_{p}"
                rooms.setdefault(f"g{g}", []).append(member)
                remark = rng.choice((f"单位{p % 40}-姓名{p}", f"姓名{p}", "小可爱", ""))
                out.write(f"g{g},{member},{remark},2023-02-01,\n")
    return rooms


def write_archive(path: Path, rooms: dict[str, list[str]], messages: int, rng: random.Random) -> None:
    start = datetime(2024, 4, 22, 8, 0, tzinfo=DEFAULT_ZONE)  # the span holds the Labour Day break and 调休
    names = sorted(rooms)
    with path.open("w", encoding="utf-8") as out:
        for n in range(messages):
            moment = start + timedelta(minutes=n * 40 * 24 * 60 // messages)
            room = rng.choice(names)
            sender = rng.choice(rooms[room])
            fields = {"id": f"m{n}", "time": moment, "channel": "group", "room": room, "sender": sender}
            record = Message(**fields, text=rng.choice(TEXTS))
            out.write(record.model_dump_json(exclude_none=True) + "\n")


def main() -> int:
    layout = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=layout)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--members", type=int, default=30, help="members per group")
    parser.add_argument("--messages", type=int, default=200_000)
    args = parser.parse_args()
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rooms = write_register(folder, args.groups, args.members, rng)
        files = (folder / "groups.csv", folder / "members.csv", folder / "people.csv")
        archive = folder / "archive.jsonl"
        write_archive(archive, rooms, args.messages, rng)
        default_rulebook()  # loaded once per process; not what is measured here
        day = date(2024, 6, 3)
        rows = []
        started = time.perf_counter()
        register = read_register(*files)
        memberships = len(register.members)
        rows.append(("read register (3 CSV files)", time.perf_counter() - started, memberships, "rows"))
        started = time.perf_counter()
        result = run_audit(register, as_of=day, calendar=WorkingCalendar())
        rows.append(("audit register (GRP001-004)", time.perf_counter() - started, memberships, "members"))
        started = time.perf_counter()
        messages = [item for _, item in read_archive(archive)]
        rows.append(("read archive (JSONL)", time.perf_counter() - started, args.messages, "messages"))
        # The activity audits run every message rule over the archive; timing that pass alone shows what
        # the group audits add to it.
        rooms = {room: group.kind for room, group in register.groups.items()}
        checker = Checker(rooms=rooms, deduplicate=False)
        started = time.perf_counter()
        for _ in checker.check_many(messages):
            pass
        rows.append(("  message engine alone", time.perf_counter() - started, args.messages, "messages"))
        started = time.perf_counter()
        with_archive = run_audit(register, as_of=day, messages=messages, calendar=WorkingCalendar())
        rows.append(("audit with archive (all 7)", time.perf_counter() - started, args.messages, "messages"))
    print(f"{'stage':32} {'seconds':>8} {'rate':>16}")
    for name, seconds, count, unit in rows:
        print(f"{name:32} {seconds:8.2f} {count / seconds:10,.0f} {unit}/s")
    print(f"\nfindings: {len(result.findings)} (register only), {len(with_archive.findings)} (with archive)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
