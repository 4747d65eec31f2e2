"""Archive scans: upload an archive, follow the background job, list past scans (owners and officers)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, UploadFile

from qingfeng.store import crud
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.schemas import JobOut
from qingfeng.web.jobs import UploadTooLarge, save_archive
from qingfeng.web.people_register import PeopleRefused, take_people
from qingfeng.web.uploads import chosen

router = APIRouter(tags=["scans"])


@router.post("/scans", response_model=JobOut, status_code=202)
async def upload(
    file: UploadFile,
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
    people: UploadFile | None = None,
) -> JobOut:
    """Upload a chat archive; the scan runs in the background (poll `GET /api/scans/{id}`). A `people` file
    (people.csv) with it is merged into the app's people register first, so findings carry senders' names."""
    try:
        if people is not None and chosen(people):
            await take_people(request, db, user, people)
        path = await save_archive(file, db, settings, user.id)
    except UploadTooLarge as error:
        raise HTTPException(413, str(error)) from None
    except PeopleRefused as refused:
        raise HTTPException(422, str(refused)) from None
    job = crud.create_job(db, owner=user, filename=file.filename or path.name, stored_path=str(path))
    crud.audit(db, actor=user, action="scan.upload", target=f"scan:{job.id}", ip=client_ip(request))
    request.app.state.runner.submit(job.id)
    return JobOut.model_validate(job)


@router.get("/scans", response_model=list[JobOut])
def list_scans(db: SessionDep, user: OwnerUser) -> list[JobOut]:
    return [JobOut.model_validate(job) for job in crud.list_jobs(db, viewer=user)]


@router.get("/scans/{job_id}", response_model=JobOut)
def get_scan(job_id: int, db: SessionDep, user: OwnerUser) -> JobOut:
    job = crud.get_job(db, viewer=user, job_id=job_id)
    if job is None:
        raise HTTPException(404, "no such scan")
    return JobOut.model_validate(job)
