"""The reporting channel (举报): anyone files and follows a report, and writes to the officers, with the receipt
code (rate limited per caller; answers are no-store); officers handle cases and answer; admins set expiries."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from qingfeng.store import crud
from qingfeng.store.models import Report
from qingfeng.web import reporting
from qingfeng.web.api.deps import AdminUser, OfficerUser, SessionDep, VaultDep, client_ip
from qingfeng.web.api.schemas import (
    Receipt,
    ReportCase,
    ReportExpiry,
    ReportIn,
    ReportMessageIn,
    ReportStatus,
    ReportUpdate,
)

router = APIRouter(tags=["reports"])


def _too_many(error: reporting.TooMany) -> HTTPException:
    headers = {"Retry-After": str(error.retry_after), **reporting.NO_STORE}
    return HTTPException(429, "too many reports or receipt look-ups from this address; try later", headers)


def _by_receipt(request: Request, db: SessionDep, code: str) -> Report:
    try:
        report = reporting.by_receipt(request, db, code)
    except reporting.TooMany as error:
        raise _too_many(error) from None
    if report is None:
        raise HTTPException(404, "no report has this receipt code", reporting.NO_STORE)
    return report


@router.post("/reports", response_model=Receipt, status_code=201)
def file_report(body: ReportIn, request: Request, response: Response, db: SessionDep) -> Receipt:
    """File a report without an account. Keep the receipt: it is the only way to look the report up."""
    try:
        _, receipt = reporting.file(
            request, db, text=body.text, category=body.category, contact=body.contact, filer=None
        )
    except reporting.TooMany as error:
        raise _too_many(error) from None
    reporting.no_store(response)
    return Receipt(receipt=receipt)


@router.get("/reports/{code}", response_model=ReportStatus)
def report_status(code: str, request: Request, response: Response, db: SessionDep, vault: VaultDep) -> ReportStatus:
    report = _by_receipt(request, db, code)
    reporting.no_store(response)
    return ReportStatus.model_validate(crud.open_case(db, vault, report))


@router.post("/reports/{code}/messages", response_model=ReportStatus, status_code=201)
def reporter_message(
    code: str, body: ReportMessageIn, request: Request, response: Response, db: SessionDep, vault: VaultDep
) -> ReportStatus:
    """The reporter writes to the officers; the answer is the report as the receipt holder sees it."""
    report = _by_receipt(request, db, code)
    try:
        reporting.reporter_message(request, db, report, body.text)
    except reporting.TooMany as error:
        raise _too_many(error) from None
    reporting.no_store(response)
    return ReportStatus.model_validate(crud.open_case(db, vault, report))


@router.get("/report-cases", response_model=list[ReportCase])
def list_cases(db: SessionDep, vault: VaultDep, officer: OfficerUser, status: str | None = None) -> list[ReportCase]:
    crud.purge_expired_reports(db)
    found = crud.list_reports(db, viewer=officer, vault=vault, status=status)
    return [ReportCase.model_validate(case) for case in found]


def _case(db: SessionDep, officer: OfficerUser, report_id: int) -> Report:
    report = crud.get_report(db, viewer=officer, report_id=report_id)
    if report is None:
        raise HTTPException(404, "no such report")
    return report


@router.get("/report-cases/{report_id}", response_model=ReportCase)
def get_case(report_id: int, request: Request, db: SessionDep, vault: VaultDep, officer: OfficerUser) -> ReportCase:
    report = _case(db, officer, report_id)
    crud.audit(db, actor=officer, action="report.view", target=f"report:{report.id}", ip=client_ip(request))
    return ReportCase.model_validate(crud.open_case(db, vault, report))


@router.put("/report-cases/{report_id}", response_model=ReportCase)
def handle_case(
    report_id: int, body: ReportUpdate, request: Request, db: SessionDep, vault: VaultDep, officer: OfficerUser
) -> ReportCase:
    report = _case(db, officer, report_id)
    crud.handle_report(
        db,
        officer=officer,
        vault=vault,
        report=report,
        status=body.status,
        reply=body.reply,
        note=body.note,
        ip=client_ip(request),
    )
    return ReportCase.model_validate(crud.open_case(db, vault, report))


@router.post("/report-cases/{report_id}/messages", response_model=ReportCase, status_code=201)
def officer_message(
    report_id: int, body: ReportMessageIn, db: SessionDep, vault: VaultDep, officer: OfficerUser
) -> ReportCase:
    report = _case(db, officer, report_id)
    crud.add_report_message(db, vault=vault, report=report, body=body.text, officer=officer)
    return ReportCase.model_validate(crud.open_case(db, vault, report))


@router.put("/report-cases/{report_id}/expiry", response_model=ReportCase)
def set_expiry(
    report_id: int, body: ReportExpiry, request: Request, db: SessionDep, vault: VaultDep, admin: AdminUser
) -> ReportCase:
    """Admins only: when the report and its messages are deleted (null: kept)."""
    report = _case(db, admin, report_id)
    crud.set_report_expiry(db, admin=admin, report=report, expires_at=body.expires_at, ip=client_ip(request))
    return ReportCase.model_validate(crud.open_case(db, vault, report))
