"""Signing in and out. Failed attempts are rate limited per account and address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from qingfeng.store import crud
from qingfeng.web.api.deps import SESSION_COOKIE, OptionalUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.pages.common import page_router, redirect, safe_next, start_session
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


@router.get("/")
def home(request: Request) -> Response:
    return redirect(request, "/check")


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str = "/check") -> Response:
    return render(request, "login.html", user, next=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/check",
) -> Response:
    limiter = request.app.state.limiter
    address = client_ip(request) or "?"
    keys = (f"{name.lower()}|{address}", address)
    lang = lang_of(request)
    if limiter.blocked(*keys):
        crud.audit(db, actor=None, action="login.throttled", target=f"user:{name}", ip=address)
        message = pick(lang, "登录失败次数过多，请稍后再试。", "Too many failed attempts; try again later.")
        return render(request, "login.html", None, 429, error=message, name=name, next=safe_next(next))
    user = crud.authenticate(db, name=name, password=password)
    if user is None:
        limiter.failed(*keys)
        crud.audit(db, actor=None, action="login.failed", target=f"user:{name}", ip=address)
        message = pick(lang, "账号或密码不正确。", "Wrong account or password.")
        return render(request, "login.html", None, 401, error=message, name=name, next=safe_next(next))
    limiter.succeeded(keys[0])
    crud.audit(db, actor=user, action="login", target=f"user:{user.name}", ip=address)
    return start_session(redirect(request, safe_next(next)), db, user, settings)


@router.post("/logout")
def logout(request: Request, db: SessionDep) -> Response:
    if token := request.cookies.get(SESSION_COOKIE):
        crud.end_session(db, token=token)
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
