"""What every page module shares: a router that checks CSRF on every unsafe request, and form helpers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from qingfeng.web.api.deps import page_csrf


def page_router() -> APIRouter:
    return APIRouter(dependencies=[Depends(page_csrf)], include_in_schema=False)


def redirect(request: Request, location: str) -> Response:
    """After a form: a plain 303 for browsers, HX-Redirect for htmx (which would swap the page in)."""
    if request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def safe_next(target: str | None) -> str:
    """Only ever send people on to a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/check"
    return target
