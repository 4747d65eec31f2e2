"""档案扫描: upload a chat archive, watch the background scan, go on to its findings."""

from __future__ import annotations

from fastapi import HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from qingfeng.store import crud
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.jobs import QuotaFull, UploadTooLarge, save_archive
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.people_register import PeopleRefused, take_people
from qingfeng.web.templating import lang_of, pick, render
from qingfeng.web.uploads import chosen

router = page_router()


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
    if not file.filename:
        message = pick(lang_of(request), "请选择一个聊天记录文件。", "Choose an archive file.")
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
        message = pick(
            lang_of(request),
            f"文件超过 {settings.max_upload_mb} MB。",
            f"The file is over {settings.max_upload_mb} MB.",
        )
        return render(request, "scans.html", user, 413, jobs=crud.list_jobs(db, viewer=user), error=message)
    job = crud.create_job(db, owner=user, filename=file.filename, stored_path=str(path))
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
