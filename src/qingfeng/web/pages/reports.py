"""举报: anyone files a report and gets a receipt code, follows it and writes to the officers with that code;
officers handle reports and answer; admins set when a report is deleted. Every receipt page is no-store."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from qingfeng.core.models import CATEGORIES, DEFAULT_ZONE
from qingfeng.store import crud
from qingfeng.store.models import REPORT_STATES, Report, User
from qingfeng.store.security import Vault
from qingfeng.web import reporting
from qingfeng.web.api.deps import AdminUser, CurrentUser, OfficerUser, OptionalUser, SessionDep, VaultDep, client_ip
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.templating import lang_of, pick, render

router = page_router()
MAX_TEXT = 20000
MAX_MESSAGE = 4000


def _too_many(
    request: Request, template: str, user: User | None, error: reporting.TooMany, **context: object
) -> Response:
    message = pick(
        lang_of(request),
        "提交或查询过于频繁，请稍后再试。",
        "Too many reports or look-ups from your network; try again later.",
    )
    page = render(request, template, user, 429, error=message, **context)
    page.headers["Retry-After"] = str(error.retry_after)
    return reporting.no_store(page)


@router.get("/report")
def report_form(request: Request, user: OptionalUser) -> Response:
    return reporting.no_store(render(request, "report.html", user, categories=CATEGORIES))


@router.post("/report")
def file_report(
    request: Request,
    db: SessionDep,
    user: OptionalUser,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    category: Annotated[str, Form()] = "",
    contact: Annotated[str, Form(max_length=255)] = "",
    link_account: Annotated[bool, Form()] = False,
) -> Response:
    form = {"categories": CATEGORIES, "contact": contact}
    if not text.strip():
        error = pick(lang_of(request), "请写下要举报的内容。", "Describe what you are reporting.")
        return render(request, "report.html", user, 422, error=error, **form)
    try:
        _, receipt = reporting.file(
            request,
            db,
            text=text.strip(),
            category=category if category in CATEGORIES else None,
            contact=contact.strip(),
            filer=user if user is not None and link_account else None,
        )
    except reporting.TooMany as error:
        return _too_many(request, "report.html", user, error, **form)
    return reporting.no_store(render(request, "report_receipt.html", user, receipt=receipt))


def _status_page(
    request: Request, db: Session, vault: Vault, user: User | None, code: str, report: Report | None, **extra: object
) -> Response:
    status = 404 if code.strip() and report is None else 200
    case = crud.open_case(db, vault, report) if report is not None else None
    return reporting.no_store(render(request, "report_status.html", user, status, report=case, code=code, **extra))


@router.get("/report/status")
def report_status_form(request: Request, db: SessionDep, vault: VaultDep, user: OptionalUser) -> Response:
    """The look-up form. The code is sent in a POST body, never in an address that browsers and logs keep."""
    return _status_page(request, db, vault, user, "", None)


@router.post("/report/status")
def report_status(
    request: Request,
    db: SessionDep,
    vault: VaultDep,
    user: OptionalUser,
    code: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        report = reporting.by_receipt(request, db, code)
    except reporting.TooMany as error:
        return _too_many(request, "report_status.html", user, error, report=None, code="")
    return _status_page(request, db, vault, user, code, report)


@router.post("/report/messages")
def reporter_message(
    request: Request,
    db: SessionDep,
    vault: VaultDep,
    user: OptionalUser,
    code: Annotated[str, Form(max_length=64)],
    body: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
) -> Response:
    try:
        report = reporting.by_receipt(request, db, code)
        if report is not None and body.strip():
            reporting.reporter_message(request, db, report, body.strip())
    except reporting.TooMany as error:
        return _too_many(request, "report_status.html", user, error, report=None, code="")
    return _status_page(request, db, vault, user, code, report, sent=bool(report and body.strip()))


@router.get("/reports")
def reports(request: Request, db: SessionDep, vault: VaultDep, user: CurrentUser, status: str = "") -> HTMLResponse:
    """Officers see every report; anyone else the reports they filed under their account."""
    crud.purge_expired_reports(db)
    found = crud.list_reports(db, viewer=user, vault=vault, status=status or None)
    return render(request, "reports.html", user, reports=found, status=status, states=REPORT_STATES)


def _case(request: Request, db: Session, vault: Vault, user: User, report: Report, **extra: object) -> HTMLResponse:
    case = crud.open_case(db, vault, report)
    return render(request, "report_case.html", user, report=case, states=REPORT_STATES, **extra)


def _found(db: Session, user: User, report_id: int) -> Report:
    found = crud.get_report(db, viewer=user, report_id=report_id)
    if found is None:
        raise HTTPException(404)
    return found


@router.get("/reports/{report_id}")
def report(report_id: int, request: Request, db: SessionDep, vault: VaultDep, user: CurrentUser) -> HTMLResponse:
    found = _found(db, user, report_id)
    if user.at_least("officer"):
        crud.audit(db, actor=user, action="report.view", target=f"report:{found.id}", ip=client_ip(request))
    return _case(request, db, vault, user, found)


@router.post("/reports/{report_id}")
def handle(
    report_id: int,
    request: Request,
    db: SessionDep,
    vault: VaultDep,
    officer: OfficerUser,
    status: Annotated[str, Form()],
    reply: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
    note: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
) -> HTMLResponse:
    found = _found(db, officer, report_id)
    if status not in REPORT_STATES:
        raise HTTPException(422)
    crud.handle_report(
        db,
        officer=officer,
        vault=vault,
        report=found,
        status=status,
        reply=reply.strip(),
        note=note.strip(),
        ip=client_ip(request),
    )
    return _case(request, db, vault, officer, found, saved=True)


@router.post("/reports/{report_id}/messages")
def officer_message(
    report_id: int,
    request: Request,
    db: SessionDep,
    vault: VaultDep,
    officer: OfficerUser,
    body: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
) -> Response:
    found = _found(db, officer, report_id)
    if body.strip():
        crud.add_report_message(db, vault=vault, report=found, body=body.strip(), officer=officer)
    return redirect(request, f"/reports/{report_id}")


@router.post("/reports/{report_id}/expiry")
def set_expiry(
    report_id: int,
    request: Request,
    db: SessionDep,
    admin: AdminUser,
    expires_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Admins set the day a report is deleted (China time, start of the day); an empty day keeps it."""
    found = _found(db, admin, report_id)
    try:
        day = datetime.strptime(expires_on, "%Y-%m-%d").date() if expires_on else None
    except ValueError:
        raise HTTPException(422) from None
    moment = datetime.combine(day, time(), DEFAULT_ZONE) if day else None
    if moment is not None and moment < datetime.now(DEFAULT_ZONE) - timedelta(days=1):
        raise HTTPException(422)
    crud.set_report_expiry(db, admin=admin, report=found, expires_at=moment, ip=client_ip(request))
    return redirect(request, f"/reports/{report_id}")
