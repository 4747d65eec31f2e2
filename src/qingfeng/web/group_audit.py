"""The work-group audit as the web app runs it: uploaded register files (and an archive) in, an AuditResult out.
The page and the API share this; `qingfeng groups audit` runs the same run_audit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fastapi import Request, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from qingfeng.core.i18n import t
from qingfeng.core.models import Finding
from qingfeng.groups import AuditResult, read_register, run_audit
from qingfeng.ingest.archive import read_archive
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.limits import Limits
from qingfeng.report.groups_text import subject
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import client_ip
from qingfeng.web.core.config import Settings
from qingfeng.web.jobs import UploadTooLarge
from qingfeng.web.people_register import add_stored_people, required_without_stored
from qingfeng.web.templating import pick
from qingfeng.web.uploads import MissingUpload, saved_uploads

REQUIRED = ("groups", "members", "people")


class AuditRefused(ValueError):
    """The upload cannot be audited; the message (in the caller's language) says why, ``status`` the HTTP code."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GroupRow:
    """One registered group as the page lists it."""

    room: str
    room_name: str
    kind: str
    owner: str
    members: int
    findings: list[tuple[Finding, str]]  # each with its subject line


async def audit_uploads(
    request: Request,
    settings: Settings,
    user: User,
    db: Session,
    uploads: Mapping[str, UploadFile | None],
    as_of: date | None,
    lang: str,
) -> AuditResult:
    try:
        required = required_without_stored(db, uploads, REQUIRED)
        async with saved_uploads(uploads, required, settings.upload_dir, settings.max_upload_mb << 20) as saved:
            add_stored_people(db, saved)
            try:  # in the thread pool: a large archive must not hold up the other requests
                result = await run_in_threadpool(_audit, saved.paths, as_of, lang, settings.limits)
            except InputError as error:
                raise AuditRefused(saved.describe(error, lang), 422) from None
            result.problems[:] = [saved.unmasked(problem) for problem in result.problems]
    except MissingUpload as missing:
        message = pick(lang, f"请选择 {missing.field}.csv 文件。", f"Choose the {missing.field}.csv file.")
        raise AuditRefused(message, 422) from None
    except UploadTooLarge:
        limit = settings.max_upload_mb
        raise AuditRefused(pick(lang, f"文件超过 {limit} MB。", f"A file is over {limit} MB."), 413) from None
    target = f"groups:{len(result.register.groups)}"
    crud.audit(db, actor=user, action="groups.audit", target=target, ip=client_ip(request))
    return result


def _audit(paths: dict[str, Path], as_of: date | None, lang: str, limits: Limits) -> AuditResult:
    register = read_register(paths["groups"], paths["members"], paths["people"])
    if not register.groups:
        raise InputError(InputProblem.of(str(paths["groups"]), None, None, "no_group"))
    archive = paths.get("archive")
    messages = (item for _, item in read_archive(archive, limits=limits)) if archive is not None else None
    return run_audit(register, as_of=as_of, messages=messages, lang=lang)


def group_rows(result: AuditResult, lang: str) -> list[GroupRow]:
    by_room = result.by_room()
    rows = []
    for room, group in result.register.groups.items():
        person = result.register.people.get(group.owner or "")
        owner = person.name if person else group.owner or ""
        findings = [(finding, subject(finding, lang)) for finding in by_room.get(room, [])]
        kind = t(f"groups.kind.{group.kind}", lang)  # 工作群, not ``work``
        rows.append(GroupRow(room, group.room_name, kind, owner, len(result.register.members_of(room)), findings))
    return rows
