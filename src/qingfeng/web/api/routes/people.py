"""The app's people register (owners and officers): read it, replace it with an uploaded people.csv."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile

from qingfeng.store import crud
from qingfeng.store.people import list_people, people_count, replace_people
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.schemas import PeopleOut, PeopleReplaced
from qingfeng.web.jobs import UploadTooLarge
from qingfeng.web.people_register import PeopleRefused, read_people_upload

router = APIRouter(tags=["people"])


@router.get("/people", response_model=PeopleOut)
def people(
    db: SessionDep,
    user: OwnerUser,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PeopleOut:
    return PeopleOut(
        items=[p.model_dump() for p in list_people(db, limit=limit, offset=offset)], total=people_count(db)
    )


@router.put("/people", response_model=PeopleReplaced)
async def replace(
    file: UploadFile, request: Request, db: SessionDep, settings: SettingsDep, user: OwnerUser
) -> PeopleReplaced:
    """Replace the register with an uploaded people.csv (`id,name` and optionally `unit,rank,official,status,
    status_since`). Rows that cannot be read are left out and listed; a file with no usable row is refused."""
    try:
        found, problems = await read_people_upload(file, settings, "en")  # the API words problems as str() does
    except PeopleRefused as refused:
        raise HTTPException(422, str(refused)) from None
    except UploadTooLarge as error:
        raise HTTPException(413, str(error)) from None
    kept = replace_people(db, people=found)
    detail = {"file": file.filename, "people": kept, "skipped": len(problems)}
    crud.audit(db, actor=user, action="people.replace", target="people-register", detail=detail, ip=client_ip(request))
    return PeopleReplaced(people=kept, skipped=[str(problem) for problem in problems])
