"""Who an official deals with (relations.csv) and when units hold elections (elections.csv).

relations.csv: ``official,counterparty,relation`` — relation is one of RELATIONS; a pair may have several.
elections.csv: ``unit,start,end`` — dates (or times) of a 换届 / election period, ``end`` inclusive.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from qingfeng.ingest.csvfile import read_csv
from qingfeng.ingest.errors import InputProblem, problems_from_validation

Relation = Literal["subordinate", "client", "business", "superior", "colleague", "family", "friend"]
RELATIONS: tuple[str, ...] = Relation.__args__
# Those whose matters depend on the official: any money from them is suspect (tj-6, zj-6, loc-ly).
INTERESTED = ("subordinate", "client", "business")


class Relationship(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    official: str
    counterparty: str
    relation: Relation

    @field_validator("relation", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class Election(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    unit: str
    start: date
    end: date

    @field_validator("start", "end", mode="before")
    @classmethod
    def _day_of(cls, value: object) -> object:
        return value[:10] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> Election:
        if self.end < self.start:
            raise ValueError("input.end_before_start")
        return self


def read_relations(path: Path) -> tuple[list[Relationship], list[InputProblem]]:
    found: list[Relationship] = []
    problems: list[InputProblem] = []
    for line, row in read_csv(path, required=("official", "counterparty", "relation"), kind="relations"):
        try:
            found.append(Relationship.model_validate(row))
        except ValidationError as error:
            problems.append(problems_from_validation(str(path), line, error, row.columns))
    return found, problems


def read_elections(path: Path) -> tuple[list[Election], list[InputProblem]]:
    found: list[Election] = []
    problems: list[InputProblem] = []
    for line, row in read_csv(path, required=("unit", "start", "end"), kind="elections"):
        try:
            found.append(Election.model_validate(row))
        except ValidationError as error:
            problems.append(problems_from_validation(str(path), line, error, row.columns))
    return found, problems
