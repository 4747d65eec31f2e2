"""The app factory: settings in, a FastAPI app out (pages, JSON API, static files, background scans)."""

from __future__ import annotations

import base64
import gc
import hashlib
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qingfeng import __version__
from qingfeng.learn.quiz import Quiz
from qingfeng.pipeline.engine import Checker
from qingfeng.store import crud
from qingfeng.store.db import make_engine, migrate, session_factory
from qingfeng.store.security import Vault
from qingfeng.web.api.deps import CSRF_COOKIE, CsrfRejected, Forbidden, NotSignedIn
from qingfeng.web.core.config import Settings
from qingfeng.web.core.limits import FILES_PER_REQUEST, FORM_ALLOWANCE, BodyLimits, RequestLimits
from qingfeng.web.drafts import KIND_ROOMS
from qingfeng.web.jobs import ScanRunner
from qingfeng.web.registry import routers
from qingfeng.web.templating import pick, render

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
BARE_CSP = "default-src 'none'; frame-ancestors 'none'"  # JSON and files: nothing to run, never framed


class BrowserGuard:
    """Hands every browser a CSRF cookie on its first page, and sets the security headers on every answer:
    never framed, a content policy, and no caching of anything but the static files."""

    def __init__(self, app: ASGIApp, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        page = not path.startswith(("/api/", "/static/", "/docs", "/openapi.json"))
        static = path.startswith("/static/")
        new_seed = None
        if page:
            cookies = SimpleCookie()
            for name, value in scope["headers"]:
                if name == b"cookie":
                    cookies.load(value.decode("latin-1"))
            if CSRF_COOKIE not in cookies:
                new_seed = secrets.token_urlsafe(24)
                scope.setdefault("state", {})["csrf_seed"] = new_seed

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                present = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in present:  # /docs brings its own
                    headers.append((b"content-security-policy", (CSP if page else BARE_CSP).encode()))
                if not static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))  # answers may be someone's own data
                if new_seed:
                    flags = "; Secure" if self.secure else ""
                    cookie = f"{CSRF_COOKIE}={new_seed}; Path=/; HttpOnly; SameSite=Lax{flags}"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _htmx_aware_redirect(request: Request, location: str) -> Response:
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _error: NotSignedIn) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "not signed in"}, 401, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return _htmx_aware_redirect(request, f"/login?next={target}")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _error: Forbidden) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "forbidden for this role"}, 403)
        return _error_page(request, 403)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _error: CsrfRejected) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "missing or wrong CSRF token"}, 403)
        return _error_page(request, 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _is_api(request) or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": error.detail}, error.status_code, headers=error.headers)
        return _error_page(request, error.status_code)

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, _error: OverflowError) -> Response:
        # A number past what the database stores (a 30-digit id): nothing can match it.
        if _is_api(request):
            return JSONResponse({"detail": "number out of range"}, 422)
        return _error_page(request, 422)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": _plain(error.errors())}, 422)
        return _error_page(request, 422)


def _plain(errors: Any) -> list[dict[str, Any]]:
    return [{"loc": list(item.get("loc", ())), "msg": item.get("msg", "")} for item in errors]


ERROR_TEXT = {
    400: ("页面已过期，请刷新后重试。", "This page has expired; reload it and try again."),
    403: ("您的账号没有访问此页面的权限。", "Your account may not open this page."),
    404: ("没有找到这个页面。", "There is no such page."),
    413: ("提交的文件或内容过大。", "The file or form is too large."),
    422: ("提交的内容有误，请检查后重试。", "Something in the form is not right; check it and try again."),
}


def _error_page(request: Request, status: int) -> Response:
    zh, en = ERROR_TEXT.get(status, ("出错了。", "Something went wrong."))
    lang = request.cookies.get("qf_lang", "zh")
    return render(request, "error.html", None, status_code=status, status=status, message=pick(lang, zh, en))


def _docs_csp(page: bytes) -> str:
    """The API docs page's policy: its one inline script allowed by hash; Swagger UI styles inline."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in re.findall(rb"<script>(.*?)</script>", page, re.S)
    ]
    return (
        f"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' "
        f"{' '.join(hashes)}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


def app_from_env() -> FastAPI:
    """The factory each worker process calls when `qingfeng serve --workers N` runs several."""
    return create_app(Settings())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.prepare()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.db_url)
        migrate(engine)
        app.state.sessions = session_factory(engine)
        with app.state.sessions() as db:
            crud.seal_legacy_reports(db, vault=app.state.vault)
            crud.purge_expired_reports(db)
        app.state.runner = ScanRunner(app.state.sessions, app.state.checker, settings)
        app.state.runner.start()
        # The rulebook, automaton and quiz (once asked) live as long as the process: keep them out of the collector's
        # full passes, which otherwise walk them every time and show up as latency spikes.
        gc.collect()
        gc.freeze()
        yield
        app.state.runner.shutdown()
        engine.dispose()

    app = FastAPI(
        title="清风 qingfeng",
        version=__version__,
        description="工作微信合规助手：自查、档案扫描、审核、规则、学习、举报、报备 / conduct-compliance checks.",
        lifespan=lifespan,
        docs_url=None,  # served below from the vendored Swagger UI, so the docs work offline
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.checker = Checker(lang=settings.lang, rooms=KIND_ROOMS).warm()  # one per process, shared by all requests
    app.state.quiz = Quiz(app.state.checker)
    app.state.vault = Vault.from_settings(settings.report_keys, settings.data_dir / "report.key")
    body_limits = BodyLimits(
        check=settings.max_check_kb << 10,
        form=settings.max_body_mb << 20,
        files=FILES_PER_REQUEST * (settings.max_upload_mb << 20),
        picture=(settings.max_image_mb << 20) + FORM_ALLOWANCE,
    )
    app.add_middleware(RequestLimits, limits=body_limits)
    app.add_middleware(BrowserGuard, secure=settings.cookie_secure)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in routers("api.routes"):
        app.include_router(router, prefix="/api")
    for router in routers("pages"):
        app.include_router(router)
    _install_error_pages(app)

    docs_page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="清风 qingfeng API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
    docs_csp = _docs_csp(bytes(docs_page.body))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page.body, headers={"content-security-policy": docs_csp})

    return app
