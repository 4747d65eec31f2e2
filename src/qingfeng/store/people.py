"""The app's one people register: uploaded once (people.csv's columns), reused by scans, group audits,
ledgers and the review queue, which shows people's names where archives carry only their ids."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qingfeng.ingest.people import Person
from qingfeng.store.models import PersonRecord, utcnow

COLUMNS = ("id", "name", "unit", "rank", "official", "status", "status_since")


def _record(person: Person) -> PersonRecord:
    return PersonRecord(**person.model_dump(), updated_at=utcnow())


def replace_people(db: Session, *, people: dict[str, Person]) -> int:
    """The register becomes exactly ``people``; how many rows it now holds."""
    db.execute(delete(PersonRecord))
    db.add_all(_record(person) for person in people.values())
    db.commit()
    return len(people)


def merge_people(db: Session, *, people: dict[str, Person]) -> int:
    """Add these people and update those already registered (by id); the others stay."""
    for person in people.values():
        db.merge(_record(person))
    db.commit()
    return len(people)


def people_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(PersonRecord)) or 0


def list_people(db: Session, *, limit: int = 500, offset: int = 0) -> list[Person]:
    rows = db.scalars(select(PersonRecord).order_by(PersonRecord.id).limit(limit).offset(offset)).all()
    return [Person.model_validate({column: getattr(row, column) for column in COLUMNS}) for row in rows]


def sender_names(db: Session, ids: Iterable[str | None]) -> dict[str, str]:
    """Person id → name for those of ``ids`` that the register knows (the queue's sender ids, say)."""
    wanted = {person_id for person_id in ids if person_id}
    if not wanted:
        return {}
    rows = db.execute(select(PersonRecord.id, PersonRecord.name).where(PersonRecord.id.in_(wanted))).all()
    return dict(rows)


def all_names(db: Session) -> dict[str, str]:
    """Person id → name for the whole register (a scan looks its senders up in it)."""
    return dict(db.execute(select(PersonRecord.id, PersonRecord.name)).all())


def write_people_csv(db: Session, path: Path) -> bool:
    """The register as a people.csv at ``path``, for the readers that take a file; False when it is empty."""
    people = list_people(db, limit=10**9)
    if not people:
        return False
    with path.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=COLUMNS)
        writer.writeheader()
        for person in people:
            row = person.model_dump()
            row["official"] = {True: "yes", False: "no", None: ""}[row["official"]]
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return True
