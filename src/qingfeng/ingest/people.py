"""The people register (people.csv): who is an official, their unit and rank, and whether they have left.

Columns: ``id,name,unit,rank,official`` (ledger contract), plus optional ``status`` (active|departed|moved)
and ``status_since`` (date). Unknown columns are ignored, so one register serves every capability.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from qingfeng.ingest.errors import InputProblem, problems_from_validation


class Person(BaseModel):
    # defer_build: the schema is built when a register is first read, which a plain check never does
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    id: str
    name: str
    unit: str | None = None
    rank: int | None = None  # larger is more senior
    official: bool | None = None
    status: Literal["active", "departed", "moved"] | None = None
    status_since: date | None = None

    @field_validator("unit", "rank", "official", "status", "status_since", mode="before")
    @classmethod
    def _blank_is_unknown(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("official", mode="before")
    @classmethod
    def _yes_no(cls, value: object) -> object:
        if isinstance(value, str) and value.lower() in ("yes", "no", "是", "否"):
            return value.lower() in ("yes", "是")
        return value


def read_people(path: Path) -> tuple[dict[str, Person], list[InputProblem]]:
    """The register by person id, and the rows that could not be read (the rest are kept)."""
    people: dict[str, Person] = {}
    problems: list[InputProblem] = []
    from qingfeng.ingest.csvfile import read_csv  # a file given: a plain check reads none (start-up time)

    for line, row in read_csv(path, required=("id", "name"), kind="people"):
        try:
            person = Person.model_validate(row)
        except ValidationError as error:
            problems.append(problems_from_validation(str(path), line, error, row.columns))
            continue
        if person.id in people:
            problems.append(InputProblem.of(str(path), line, "id", "duplicate_id", id=person.id))
            continue
        people[person.id] = person
    return people, problems
