"""The anonymous side of the reporting channel, shared by its pages and its API: filing (and the reporter's
messages) and receipt look-ups, each rate limited per caller in the database.

A caller is known only by a keyed digest of their address (``keyed_digest``), kept for the length of the
window and never linked to the report. Filing a report goes through ``file`` alone, so whatever must follow
a new report (telling officers) belongs there.
"""

from __future__ import annotations

from fastapi import Request, Response
from sqlalchemy.orm import Session

from qingfeng.store import crud, throttle
from qingfeng.store.models import Report, User
from qingfeng.store.security import address_key, keyed_digest
from qingfeng.web.api.deps import client_ip
from qingfeng.web.notify import announce_report

HOUR_S = 3600
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TooMany(Exception):
    """Over a rate limit: answer 429 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def no_store(response: Response) -> Response:
    """Receipt pages and answers name a report: no browser or proxy may keep them."""
    response.headers.update(NO_STORE)
    return response


def _caller(request: Request) -> str:
    settings = request.app.state.settings
    return keyed_digest(settings.secret_key or "", address_key(client_ip(request) or "?"))


def _spend_filing(request: Request, db: Session) -> None:
    settings = request.app.state.settings
    key = _caller(request)
    if throttle.over_limit(db, scope="report", key=key, limit=settings.report_per_hour, window_s=HOUR_S):
        raise TooMany(HOUR_S)
    throttle.count_hit(db, scope="report", key=key, window_s=HOUR_S)


def file(
    request: Request, db: Session, *, text: str, category: str | None, contact: str | None, filer: User | None
) -> tuple[Report, str]:
    """File a report (raises TooMany); returns it and its receipt code, which is never shown again."""
    _spend_filing(request, db)
    settings = request.app.state.settings
    crud.purge_expired_reports(db)
    report, receipt = crud.file_report(
        db,
        vault=request.app.state.vault,
        text=text,
        category=category,
        contact=contact,
        filer=filer,
        retention_days=settings.report_retention_days,
    )
    announce_report(db, settings, report)
    return report, receipt


def by_receipt(request: Request, db: Session, code: str) -> Report | None:
    """The report a receipt code opens (raises TooMany after too many wrong codes from this caller)."""
    settings = request.app.state.settings
    key = _caller(request)
    window = settings.receipt_window_s
    if throttle.over_limit(db, scope="receipt", key=key, limit=settings.receipt_failures, window_s=window):
        raise TooMany(window)
    report = crud.report_by_receipt(db, code=code) if code.strip() else None
    if report is None:
        throttle.count_hit(db, scope="receipt", key=key, window_s=window)
    return report


def reporter_message(request: Request, db: Session, report: Report, body: str) -> None:
    """The reporter writes to the officers; counted like a filing."""
    _spend_filing(request, db)
    crud.add_report_message(db, vault=request.app.state.vault, report=report, body=body)
