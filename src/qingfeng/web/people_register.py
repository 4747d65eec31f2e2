"""The app's people register as the web pages take it: read from an upload (people.csv's columns), and
handed to the group audit and the ledger screening when they are not given a people file of their own."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session

from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.people import Person, read_people
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.store.people import merge_people, people_count, write_people_csv
from qingfeng.web.api.deps import client_ip
from qingfeng.web.core.config import Settings
from qingfeng.web.templating import lang_of
from qingfeng.web.uploads import SavedUploads, chosen, saved_uploads

FIELD = "people"
STORED_NAME = "people register (stored)"


class PeopleRefused(ValueError):
    """The register could not be read at all; the message names the file as the uploader named it."""


async def read_people_upload(
    upload: UploadFile, settings: Settings, lang: str = "zh"
) -> tuple[dict[str, Person], list[InputProblem]]:
    """The people in an uploaded register and the rows left out (named by the uploader's file name).
    Raises PeopleRefused when nothing usable is in it, UploadTooLarge over the size limit."""
    async with saved_uploads({FIELD: upload}, (FIELD,), settings.upload_dir, settings.max_upload_mb << 20) as saved:
        try:
            people, problems = read_people(saved.paths[FIELD])
        except InputError as error:
            raise PeopleRefused(saved.describe(error, lang)) from None
        problems = [saved.unmasked(problem) for problem in problems]
    if not people:
        reason = problems[0] if problems else InputProblem(upload.filename or FIELD, None, None, "no person in it")
        raise PeopleRefused(reason.describe(lang))
    return people, problems


def required_without_stored(
    db: Session, uploads: Mapping[str, UploadFile | None], required: tuple[str, ...]
) -> tuple[str, ...]:
    """The files a form must carry: the people file may be left out while the app keeps a register."""
    if FIELD in required and not chosen(uploads.get(FIELD)) and people_count(db) > 0:
        return tuple(field for field in required if field != FIELD)
    return required


def add_stored_people(db: Session, saved: SavedUploads) -> None:
    """Where no people file was uploaded, the stored register, written beside the uploads (same lifetime)."""
    if FIELD in saved.paths or not saved.paths:
        return
    path: Path = next(iter(saved.paths.values())).parent / "people-register.csv"
    if write_people_csv(db, path):
        saved.paths[FIELD] = path
        saved.names[path] = STORED_NAME


async def take_people(request: Request, db: Session, user: User, upload: UploadFile) -> int:
    """A register uploaded with a scan: its people are added to the app's register (or updated, by id), the
    others stay. How many it held. Raises PeopleRefused, UploadTooLarge."""
    people, problems = await read_people_upload(upload, request.app.state.settings, lang_of(request))
    kept = merge_people(db, people=people)
    detail = {"file": upload.filename, "people": kept, "skipped": len(problems)}
    crud.audit(db, actor=user, action="people.merge", target="people-register", detail=detail, ip=client_ip(request))
    return kept
