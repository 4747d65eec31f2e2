"""档案扫描: upload a chat archive, watch the background scan, go on to its findings. An archive whose columns
are not recognised gets a form to say which column is what, instead of a failed scan."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from fastapi import HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from qingfeng.ingest.columns import unrecognised_header, write_mapped
from qingfeng.ingest.errors import InputError
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.jobs import QuotaFull, UploadTooLarge, save_archive
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.people_register import PeopleRefused, take_people
from qingfeng.web.templating import lang_of, pick, render
from qingfeng.web.uploads import chosen

router = page_router()

# The fields a person may pick a column for, in the order the form asks (text first: it is the one needed).
PICKABLE = ("text", "time", "room_name", "sender_name", "sender", "type", "amount", "id")
_SAVED = re.compile(r"[0-9a-f]{32}-[\w.\-]+")  # the names save_upload gives: nobody can choose or guess one


@router.get("/scans")
def scans(request: Request, db: SessionDep, user: OwnerUser) -> HTMLResponse:
    return render(request, "scans.html", user, jobs=crud.list_jobs(db, viewer=user))


@router.post("/scans")
async def upload(
    request: Request,
    file: UploadFile,
    db: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
    people: UploadFile | None = None,
) -> Response:
    lang = lang_of(request)
    if not file.filename:
        message = pick(lang, "请选择一个聊天记录文件。", "Choose an archive file.")
        return render(request, "scans.html", user, 422, jobs=crud.list_jobs(db, viewer=user), error=message)
    try:
        if people is not None and chosen(people):
            await take_people(request, db, user, people)
        path = await save_archive(file, db, settings, user.id)
    except PeopleRefused as refused:
        return render(request, "scans.html", user, 422, jobs=crud.list_jobs(db, viewer=user), error=str(refused))
    except QuotaFull:
        message = pick(
            lang_of(request),
            f"您存放在服务器上的档案已达 {settings.upload_quota_mb} MB 上限，请待旧档案到期删除后再上传。",
            f"Your archives on the server have reached the {settings.upload_quota_mb} MB quota; upload again "
            "once older ones have expired.",
        )
        return render(request, "scans.html", user, 413, jobs=crud.list_jobs(db, viewer=user), error=message)
    except UploadTooLarge:
        limit = settings.max_upload_mb
        message = pick(lang, f"文件超过 {limit} MB。", f"The file is over {limit} MB.")
        return render(request, "scans.html", user, 413, jobs=crud.list_jobs(db, viewer=user), error=message)
    try:
        found = await run_in_threadpool(unrecognised_header, path)
    except InputError as error:
        path.unlink(missing_ok=True)
        message = error.describe(lang, {str(path): file.filename})
        return render(request, "scans.html", user, 422, jobs=crud.list_jobs(db, viewer=user), error=message)
    if found is not None:
        return render(request, "scans.html", user, jobs=crud.list_jobs(db, viewer=user),
                      choose=_choice(path.name, file.filename, found))
    return _start(request, db, user, file.filename, path)


@router.post("/scans/columns")
async def columns(request: Request, db: SessionDep, settings: SettingsDep, user: OwnerUser) -> Response:
    """The columns a person picked for an archive whose header was not recognised: scan it with them."""
    form = await request.form()
    token, filename = str(form.get("token", "")), str(form.get("filename", "")) or "archive.csv"
    path = settings.upload_dir / token
    if not _SAVED.fullmatch(token) or not path.is_file():
        raise HTTPException(404)
    picked = {field: str(form[field]) for field in PICKABLE if form.get(field)}
    if "text" not in picked:
        found = await run_in_threadpool(unrecognised_header, path) or ([], {})
        message = pick(lang_of(request), "请选择哪一列是消息内容。", "Choose the column that holds the message text.")
        return render(request, "scans.html", user, 422, jobs=crud.list_jobs(db, viewer=user),
                      choose=_choice(token, filename, found), error=message)
    mapped = settings.upload_dir / f"{uuid.uuid4().hex}-mapped.csv"
    await run_in_threadpool(write_mapped, path, picked, mapped)
    path.unlink(missing_ok=True)
    return _start(request, db, user, filename, mapped)


def _choice(token: str, filename: str, found: tuple[list[str], dict[str, str]]) -> dict[str, object]:
    header, known = found
    return {"token": token, "filename": filename, "header": header, "known": known, "fields": PICKABLE}


def _start(request: Request, db: SessionDep, user: User, filename: str, path: Path) -> Response:
    job = crud.create_job(db, owner=user, filename=filename, stored_path=str(path))
    crud.audit(db, actor=user, action="scan.upload", target=f"scan:{job.id}", ip=client_ip(request))
    request.app.state.runner.submit(job.id)
    return redirect(request, f"/scans/{job.id}")


@router.get("/scans/{job_id}")
def scan(job_id: int, request: Request, db: SessionDep, user: OwnerUser) -> HTMLResponse:
    return _job_page(request, db, user, job_id, "scan.html")


@router.get("/scans/{job_id}/progress")
def progress(job_id: int, request: Request, db: SessionDep, user: OwnerUser) -> HTMLResponse:
    """The progress card alone: htmx polls it every second while the scan runs."""
    return _job_page(request, db, user, job_id, "_scan_progress.html")


def _job_page(request: Request, db: SessionDep, user: OwnerUser, job_id: int, template: str) -> HTMLResponse:
    job = crud.get_job(db, viewer=user, job_id=job_id)
    if job is None:
        raise HTTPException(404)
    return render(request, template, user, job=job)
