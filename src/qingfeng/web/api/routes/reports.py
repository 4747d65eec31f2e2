"""The reporting channel (举报): anyone files, the receipt code tells the status; officers handle cases."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from qingfeng.store import crud
from qingfeng.web.api.deps import OfficerUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.schemas import Receipt, ReportCase, ReportIn, ReportStatus, ReportUpdate
from qingfeng.web.notify import announce_report

router = APIRouter(tags=["reports"])


@router.post("/reports", response_model=Receipt, status_code=201)
def file_report(body: ReportIn, db: SessionDep, settings: SettingsDep) -> Receipt:
    """File a report without an account. Keep the receipt: it is the only way to look the report up."""
    report, receipt = crud.file_report(db, text=body.text, category=body.category, contact=body.contact, filer=None)
    announce_report(db, settings, report)
    return Receipt(receipt=receipt)


@router.get("/reports/{code}", response_model=ReportStatus)
def report_status(code: str, db: SessionDep) -> ReportStatus:
    report = crud.report_by_receipt(db, code=code)
    if report is None:
        raise HTTPException(404, "no report has this receipt code")
    return ReportStatus.model_validate(report)


@router.get("/report-cases", response_model=list[ReportCase])
def list_cases(db: SessionDep, officer: OfficerUser, status: str | None = None) -> list[ReportCase]:
    return [ReportCase.model_validate(report) for report in crud.list_reports(db, viewer=officer, status=status)]


@router.put("/report-cases/{report_id}", response_model=ReportCase)
def handle_case(
    report_id: int, body: ReportUpdate, request: Request, db: SessionDep, officer: OfficerUser
) -> ReportCase:
    report = crud.get_report(db, viewer=officer, report_id=report_id)
    if report is None:
        raise HTTPException(404, "no such report")
    crud.handle_report(
        db,
        officer=officer,
        report=report,
        status=body.status,
        reply=body.reply,
        note=body.note,
        ip=client_ip(request),
    )
    return ReportCase.model_validate(report)
