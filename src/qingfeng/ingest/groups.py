"""The work-group register: groups.csv, members.csv and the people register they refer to.

Columns (a stable contract, see docs/groups.md):
  groups.csv   room,room_name,kind,owner,unit,created,daily_report
  members.csv  room,member,remark,joined,left        (``left`` empty while still in the group)
  people.csv   id,name,unit,rank,official[,status,status_since]   (read by ``ingest.people``)

A bad row is reported with its file, line and field and left out; every other row is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from qingfeng.ingest.csvfile import Row, read_csv
from qingfeng.ingest.errors import InputProblem, problems_from_validation
from qingfeng.ingest.people import Person, read_people
from qingfeng.text.rooms import ROOM_KINDS


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


class Group(BaseModel):
    """One registered group (a row of groups.csv)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    room: str = Field(min_length=1)
    room_name: str = ""
    kind: str
    owner: str | None = None  # a person id
    unit: str | None = None
    created: date | None = None
    daily_report: bool = False

    _blanks = field_validator("owner", "unit", "created", mode="before")(_blank_is_none)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in ROOM_KINDS:
            raise ValueError("input.room_kind")
        return value

    @field_validator("daily_report", mode="before")
    @classmethod
    def _blank_is_no(cls, value: Any) -> Any:
        return False if value == "" else value

    @property
    def label(self) -> str:
        """The group as people name it, with its id so that two groups of the same name stay apart."""
        return f"{self.room_name} [{self.room}]" if self.room_name else f"[{self.room}]"


class Member(BaseModel):
    """One membership (a row of members.csv): who is in which group, under which remark, since when."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    room: str = Field(min_length=1)
    member: str = Field(min_length=1)  # a person id where the member is registered
    remark: str = ""
    joined: date | None = None
    left: date | None = None

    _blanks = field_validator("joined", "left", mode="before")(_blank_is_none)

    @model_validator(mode="after")
    def _left_after_joining(self) -> Member:
        if self.joined is not None and self.left is not None and self.left < self.joined:
            raise ValueError("input.left_before_joined")
        return self

    def in_group_on(self, day: date) -> bool:
        """In the group at the end of ``day``: joined by then and not yet left."""
        return (self.joined is None or self.joined <= day) and (self.left is None or self.left > day)

    def in_group_all_day(self, day: date) -> bool:
        """In the group for the whole of ``day``: the days of joining and leaving are not counted."""
        return (self.joined is None or self.joined < day) and (self.left is None or self.left > day)


@dataclass
class Register:
    """Groups by room id, memberships in file order, people by id, and the rows that were left out."""

    groups: dict[str, Group]
    members: list[Member]
    people: dict[str, Person]
    problems: list[InputProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_room: dict[str, list[Member]] = {}
        for member in self.members:
            self._by_room.setdefault(member.room, []).append(member)

    def members_of(self, room: str) -> list[Member]:
        return self._by_room.get(room, [])


def _validated(
    model: type[BaseModel],
    rows: Iterable[tuple[int, Row]],
    path: str,
    problems: list[InputProblem],
) -> Iterator[tuple[int, Any]]:
    """The rows that validate; the others become problems, in line order with the caller's own."""
    for line, row in rows:
        try:
            yield line, model.model_validate(row)
        except ValidationError as error:
            problem = problems_from_validation(path, line, error, row.columns)
            # A check across columns (left before joined) has no field of its own: name the one it is about.
            problems.append(replace(problem, field=problem.field or row.columns.get("left", "left")))


def read_groups(path: Path) -> tuple[dict[str, Group], list[InputProblem]]:
    problems: list[InputProblem] = []
    groups: dict[str, Group] = {}
    first_line: dict[str, int] = {}
    rows = read_csv(path, required=("room", "kind", "owner"), kind="groups")
    for line, group in _validated(Group, rows, str(path), problems):
        if group.room in groups:
            problems.append(
                InputProblem.of(str(path), line, "room", "group_twice", room=group.room,
                                first=first_line[group.room])
            )
            continue
        groups[group.room] = group
        first_line[group.room] = line
    return groups, problems


def read_members(path: Path, groups: dict[str, Group]) -> tuple[list[Member], list[InputProblem]]:
    problems: list[InputProblem] = []
    members: list[Member] = []
    current: dict[tuple[str, str], int] = {}  # (room, member) still in the group → line
    rows = read_csv(path, required=("room", "member", "remark"), kind="members")
    for line, member in _validated(Member, rows, str(path), problems):
        if member.room not in groups:
            problems.append(
                InputProblem.of(str(path), line, "room", "group_unknown", room=member.room)
            )
            continue
        key = (member.room, member.member)
        if member.left is None:
            if key in current:
                problems.append(
                    InputProblem.of(str(path), line, "member", "member_twice", member=member.member,
                                    first=current[key])
                )
                continue
            current[key] = line
        members.append(member)
    return members, problems


def read_register(groups_path: Path, members_path: Path, people_path: Path) -> Register:
    """Read all three files. A file that cannot be read at all raises InputError; bad rows become problems."""
    groups, group_problems = read_groups(groups_path)
    members, member_problems = read_members(members_path, groups)
    people, people_problems = read_people(people_path)
    return Register(groups, members, people, [*group_problems, *member_problems, *people_problems])
