"""人员名册: owners and officers keep the app's one people register (people.csv), which scans, group audits and
ledgers reuse and the review queue shows names from."""

from __future__ import annotations

from fastapi import Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.store.people import list_people, people_count, replace_people
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.jobs import UploadTooLarge
from qingfeng.web.pages.common import page_router
from qingfeng.web.people_register import PeopleRefused, read_people_upload
from qingfeng.web.templating import lang_of, pick, render
from qingfeng.web.uploads import chosen

router = page_router()
SHOWN = 500


def _page(request: Request, db: SessionDep, user: User, status: int = 200, **extra: object) -> HTMLResponse:
    total = people_count(db)
    return render(request, "people.html", user, status, people=list_people(db, limit=SHOWN), total=total, **extra)


@router.get("/people")
def people_page(request: Request, db: SessionDep, user: OwnerUser) -> HTMLResponse:
    return _page(request, db, user)


@router.post("/people")
async def upload(
    request: Request, db: SessionDep, settings: SettingsDep, user: OwnerUser, file: UploadFile | None = None
) -> Response:
    lang = lang_of(request)
    if not chosen(file):
        return _page(request, db, user, 422, error=pick(lang, "请选择人员名册文件。", "Choose a people register file."))
    assert file is not None
    try:
        people, problems = await read_people_upload(file, settings, lang)
    except PeopleRefused as refused:
        return _page(request, db, user, 422, error=str(refused))
    except UploadTooLarge:
        limit = settings.max_upload_mb
        return _page(
            request, db, user, 413, error=pick(lang, f"文件超过 {limit} MB。", f"The file is over {limit} MB.")
        )
    kept = replace_people(db, people=people)
    detail = {"file": file.filename, "people": kept, "skipped": len(problems)}
    crud.audit(db, actor=user, action="people.replace", target="people-register", detail=detail, ip=client_ip(request))
    return _page(request, db, user, saved=kept, problems=problems)
