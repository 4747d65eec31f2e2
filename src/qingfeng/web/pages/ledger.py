"""红包台账: an owner uploads a transfer ledger with its registers and gets the screening report (or tries it on
a synthetic ledger with known cases)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from qingfeng.ingest.errors import InputError
from qingfeng.ledger.config import Thresholds, load_thresholds
from qingfeng.ledger.screen import LedgerResult, screen_file
from qingfeng.ledger.synthetic import generate
from qingfeng.report.ledger_html import render_body, render_html
from qingfeng.report.ledger_text import summary_line
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import OwnerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.jobs import UploadTooLarge
from qingfeng.web.pages.common import page_router
from qingfeng.web.people_register import add_stored_people, required_without_stored
from qingfeng.web.templating import lang_of, pick, render
from qingfeng.web.uploads import MissingUpload, saved_uploads

router = page_router()
REQUIRED = ("transfers", "people", "relations")


@router.get("/ledger")
def ledger_form(request: Request, user: OwnerUser) -> HTMLResponse:
    return render(request, "ledger.html", user)


@router.post("/ledger")
async def screen_upload(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: OwnerUser,
    transfers: UploadFile | None = None,
    people: UploadFile | None = None,
    relations: UploadFile | None = None,
    elections: UploadFile | None = None,
    as_of: str = Form(""),
    output: str = Form("page"),
) -> Response:
    lang = lang_of(request)
    uploads = {"transfers": transfers, "people": people, "relations": relations, "elections": elections}
    # The uploads live only as long as the screening: the report is the result, nothing is kept.
    try:
        required = required_without_stored(db, uploads, REQUIRED)
        async with saved_uploads(uploads, required, settings.upload_dir, settings.max_upload_mb << 20) as saved:
            add_stored_people(db, saved)
            try:
                result = await run_in_threadpool(
                    screen_file, saved.paths["transfers"], people=saved.paths["people"],
                    relations=saved.paths["relations"], elections=saved.paths.get("elections"),
                    thresholds=load_thresholds(as_of=as_of or None), lang=lang,
                )
            except InputError as error:
                return render(request, "ledger.html", user, 422, error=saved.describe(error, lang))
            result.problems[:] = [saved.unmasked(problem) for problem in result.problems]
    except MissingUpload:
        message = pick(lang, "请选择台账、人员表和关系表三个文件。", "Choose the ledger, people and relations files.")
        return render(request, "ledger.html", user, 422, error=message)
    except UploadTooLarge:
        message = pick(lang, f"文件超过 {settings.max_upload_mb} MB。", f"A file is over {settings.max_upload_mb} MB.")
        return render(request, "ledger.html", user, 413, error=message)
    target = f"ledger:{transfers.filename if transfers else ''}"
    crud.audit(db, actor=user, action="ledger.screen", target=target, ip=client_ip(request))
    if output == "html":  # the report as a file to pass on: one self-contained page
        disposition = f'attachment; filename="ledger-screening-{result.as_of.isoformat()}.html"'
        return HTMLResponse(render_html(result, lang), headers={"Content-Disposition": disposition})
    return _shown(request, user, result, lang)


def _shown(request: Request, user: User, result: LedgerResult, lang: str) -> HTMLResponse:
    """The report inside the app's layout, styled by the app's stylesheet (the page's CSP allows no inline style)."""
    return render(request, "ledger_result.html", user, report=render_body(result, lang),
                  summary=summary_line(result, lang))


DEMO_TRANSFERS = 20_000


@router.post("/ledger/demo")
async def screen_demo(request: Request, settings: SettingsDep, user: OwnerUser) -> Response:
    """A synthetic town ledger with one case of every rule, screened as if uploaded."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-demo-", dir=settings.upload_dir))
    try:
        ledger = await run_in_threadpool(generate, folder, DEMO_TRANSFERS)
        result = await run_in_threadpool(
            screen_file, ledger.transfers, people=ledger.people, relations=ledger.relations,
            elections=ledger.elections, thresholds=Thresholds(as_of=ledger.as_of), lang=lang_of(request),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _shown(request, user, result, lang_of(request))
