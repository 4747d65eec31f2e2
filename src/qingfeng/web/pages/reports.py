"""举报: anyone files a report and gets a receipt code; officers handle reports; filers follow theirs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from qingfeng.models import CATEGORIES
from qingfeng.store import crud
from qingfeng.store.models import REPORT_STATES
from qingfeng.web.api.deps import CurrentUser, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.notify import announce_report
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


@router.get("/report")
def report_form(request: Request, user: OptionalUser) -> HTMLResponse:
    return render(request, "report.html", user, categories=CATEGORIES)


@router.post("/report")
def file_report(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: OptionalUser,
    text: Annotated[str, Form(max_length=20000)] = "",
    category: Annotated[str, Form()] = "",
    contact: Annotated[str, Form(max_length=255)] = "",
    link_account: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    if not text.strip():
        error = pick(lang_of(request), "请写下要举报的内容。", "Describe what you are reporting.")
        return render(request, "report.html", user, 422, categories=CATEGORIES, error=error, contact=contact)
    filer = user if user is not None and link_account else None
    report, receipt = crud.file_report(
        db,
        text=text.strip(),
        category=category if category in CATEGORIES else None,
        contact=contact.strip(),
        filer=filer,
    )
    announce_report(db, settings, report)
    return render(request, "report_receipt.html", user, receipt=receipt)


@router.get("/report/status")
def report_status(request: Request, db: SessionDep, user: OptionalUser, code: str = "") -> HTMLResponse:
    report = crud.report_by_receipt(db, code=code) if code.strip() else None
    status = 404 if code.strip() and report is None else 200
    return render(request, "report_status.html", user, status, report=report, code=code)


@router.get("/reports")
def reports(request: Request, db: SessionDep, user: CurrentUser, status: str = "") -> HTMLResponse:
    """Officers see every report; anyone else the reports they filed under their account."""
    found = crud.list_reports(db, viewer=user, status=status or None)
    return render(request, "reports.html", user, reports=found, status=status, states=REPORT_STATES)


@router.get("/reports/{report_id}")
def report(report_id: int, request: Request, db: SessionDep, user: CurrentUser) -> HTMLResponse:
    found = crud.get_report(db, viewer=user, report_id=report_id)
    if found is None:
        raise HTTPException(404)
    if user.at_least("officer"):
        crud.audit(db, actor=user, action="report.view", target=f"report:{found.id}", ip=client_ip(request))
    return render(request, "report_case.html", user, report=found, states=REPORT_STATES)


@router.post("/reports/{report_id}")
def handle(
    report_id: int,
    request: Request,
    db: SessionDep,
    officer: OfficerUser,
    status: Annotated[str, Form()],
    reply: Annotated[str, Form(max_length=4000)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> HTMLResponse:
    found = crud.get_report(db, viewer=officer, report_id=report_id)
    if found is None:
        raise HTTPException(404)
    if status not in REPORT_STATES:
        raise HTTPException(422)
    crud.handle_report(
        db, officer=officer, report=found, status=status, reply=reply.strip(), note=note.strip(), ip=client_ip(request)
    )
    return render(request, "report_case.html", officer, report=found, states=REPORT_STATES, saved=True)
