"""Reading the group register: good rows kept, bad rows reported with file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from groups_helpers import write_csv

from qingfeng.ingest.errors import InputError
from qingfeng.ingest.groups import read_register

GROUPS = "room,room_name,kind,owner,unit,created,daily_report"
MEMBERS = "room,member,remark,joined,left"
PEOPLE = "id,name,unit,rank,official,status,status_since"


def _files(tmp_path: Path, groups: list[str], members: list[str], people: list[str]) -> tuple[Path, Path, Path]:
    return (
        write_csv(tmp_path / "groups.csv", GROUPS, groups),
        write_csv(tmp_path / "members.csv", MEMBERS, members),
        write_csv(tmp_path / "people.csv", PEOPLE, people),
    )


def test_a_clean_register_is_read_whole(tmp_path: Path) -> None:
    files = _files(
        tmp_path,
        ["g1,办公室工作群,work,p1,财政局,2021-03-01,yes", "g2,亲戚群,family,,,,"],
        ["g1,p1,财政局-张三,2021-03-01,", "g1,p2,李四,,2024-05-01", "g2,p1,大哥,,"],
        ["p1,张三,财政局,3,yes,active,", "p2,李四,财政局,2,yes,departed,2024-04-01"],
    )
    register = read_register(*files)
    assert register.problems == []
    assert list(register.groups) == ["g1", "g2"]
    g1, g2 = register.groups["g1"], register.groups["g2"]
    assert (g1.owner, g1.unit, g1.created, g1.daily_report) == ("p1", "财政局", date(2021, 3, 1), True)
    assert (g2.owner, g2.daily_report) == (None, False)
    assert [m.member for m in register.members_of("g1")] == ["p1", "p2"]
    assert register.members_of("g1")[1].left == date(2024, 5, 1)
    assert register.people["p2"].status == "departed"


def test_bad_rows_are_reported_by_file_line_and_field_and_the_rest_kept(tmp_path: Path) -> None:
    files = _files(
        tmp_path,
        [
            "g1,办公室工作群,work,p1,,,",
            "g2,项目群,wrok,p1,,,",  # line 3: unknown kind
            "g3,通知群,notice,p1,,2021-13-01,",  # line 4: no such date
            "g4,专班,project,p1,,,maybe",  # line 5: not yes/no
            "g1,办公室工作群二,work,p1,,,",  # line 6: room already registered
        ],
        [
            "g1,p1,张三,,",
            "g9,p1,张三,,",  # line 3: group not registered
            "g1,p2,李四,2024-05-02,2024-05-01",  # line 4: left before joined
            "g1,p1,张三,,",  # line 5: already in the group
            "g1,,无名,,",  # line 6: no member id
        ],
        ["p1,张三,财政局,,,,", "p2,李四,财政局,,,gone,"],  # people.csv line 3: unknown status
    )
    register = read_register(*files)
    where = [(Path(p.path).name, p.line, p.field) for p in register.problems]
    assert where == [
        ("groups.csv", 3, "kind"),
        ("groups.csv", 4, "created"),
        ("groups.csv", 5, "daily_report"),
        ("groups.csv", 6, "room"),
        ("members.csv", 3, "room"),
        ("members.csv", 4, "left"),
        ("members.csv", 5, "member"),
        ("members.csv", 6, "member"),
        ("people.csv", 3, "status"),
    ]
    assert "wrok" in str(register.problems[0]) and "work, notice" in str(register.problems[0])
    assert "before" in register.problems[5].reason
    assert list(register.groups) == ["g1"]
    assert [(m.room, m.member) for m in register.members] == [("g1", "p1")]
    assert list(register.people) == ["p1"]


def test_a_member_may_leave_and_rejoin(tmp_path: Path) -> None:
    files = _files(
        tmp_path,
        ["g1,办公室工作群,work,p1,,,"],
        ["g1,p1,张三,2020-01-01,2021-01-01", "g1,p1,张三,2022-01-01,"],
        ["p1,张三,财政局,,,,"],
    )
    register = read_register(*files)
    assert register.problems == []
    assert len(register.members_of("g1")) == 2


def test_a_missing_column_or_file_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    groups, members, people = _files(tmp_path, ["g1,群,work,p1,,,"], [], [])
    write_csv(members, "room,member,joined", [])
    with pytest.raises(InputError, match=r"members\.csv:1: missing column\(s\): remark"):
        read_register(groups, members, people)
    with pytest.raises(InputError, match=r"nowhere\.csv"):
        read_register(tmp_path / "nowhere.csv", members, people)
