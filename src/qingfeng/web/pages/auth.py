"""Signing in and out, with two-factor codes, and the caller's own account page (API tokens, TOTP).

Failed sign-ins are throttled in the database (``store.throttle``): per account from one address, per account
and per address, and never so that other accounts' failures refuse a right password at a known address.
"""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from qingfeng.store import crud, throttle
from qingfeng.store.models import User, utcnow
from qingfeng.store.security import address_key, new_totp_secret, sign, totp_step, totp_uri, unsign
from qingfeng.web.api.deps import SESSION_COOKIE, CurrentUser, OptionalUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.core.config import Settings
from qingfeng.web.pages.common import page_router, redirect, safe_next, start_session
from qingfeng.web.templating import lang_of, pick, render

router = page_router()
PENDING_S = 300  # between the password and the code


def login_policy(settings: Settings) -> throttle.LoginPolicy:
    return throttle.LoginPolicy(
        pair=settings.login_failures,
        account=settings.login_account_failures,
        address=settings.login_address_failures,
        window_s=settings.login_window_s,
        known_days=settings.login_known_days,
    )


def needs_totp(user: User, settings: Settings) -> bool:
    return user.totp_secret is not None or (settings.totp_required and user.at_least("officer"))


def qr_svg(uri: str) -> str:
    """The provisioning URI as an SVG data URI (the page's CSP allows data: images, nothing fetched)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=2)


@router.get("/")
def home(request: Request) -> Response:
    return redirect(request, "/check")


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str = "/check") -> Response:
    return render(request, "login.html", user, next=safe_next(next))


def _refused(db: Session, policy: throttle.LoginPolicy, name: str, address: str) -> bool:
    """Whether this account and address are held back now (and, if so, that it was tried goes to the audit)."""
    if not throttle.login_refused(db, account=name, address=address, policy=policy):
        return False
    crud.audit(db, actor=None, action="login.throttled", target=f"user:{name}", ip=address)
    return True


def _refused_page(request: Request, **context: object) -> HTMLResponse:
    message = pick(lang_of(request), "登录失败次数过多，请稍后再试。", "Too many failed attempts; try again later.")
    return render(request, "login.html", None, 429, error=message, **context)


@router.post("/login")
def login(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/check",
) -> Response:
    address = address_key(client_ip(request) or "?")
    policy = login_policy(settings)
    back = {"name": name, "next": safe_next(next)}
    if _refused(db, policy, name, address):
        return _refused_page(request, **back)
    user = crud.authenticate(db, name=name, password=password)
    if user is None:
        throttle.record_login(db, account=name, address=address, success=False, policy=policy)
        crud.audit(db, actor=None, action="login.failed", target=f"user:{name}", ip=address)
        message = pick(lang_of(request), "账号或密码不正确。", "Wrong account or password.")
        return render(request, "login.html", None, 401, error=message, **back)
    if needs_totp(user, settings):
        # The password was right; the session waits for the code. A first code also enrols the authenticator.
        secret = None if user.totp_secret else new_totp_secret()
        pending = sign(settings.secret_key or "", f"{user.id}:{secret or ''}", PENDING_S)
        return _code_page(request, user, pending, secret, safe_next(next))
    return _signed_in(request, db, settings, user, address, safe_next(next))


def _code_page(
    request: Request, user: User, pending: str, secret: str | None, next: str, status: int = 200, error: str = ""
) -> HTMLResponse:
    enrol = {"secret": secret, "qr": qr_svg(totp_uri(secret, user.name))} if secret else {}
    return render(request, "login_totp.html", None, status, pending=pending, next=next, error=error, **enrol)


@router.post("/login/totp")
def login_totp(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    pending: Annotated[str, Form(max_length=512)],
    code: Annotated[str, Form(max_length=16)],
    next: Annotated[str, Form()] = "/check",
) -> Response:
    lang = lang_of(request)
    payload = unsign(settings.secret_key or "", pending)
    user_id, _, new_secret = (payload or "").partition(":")
    user = crud.get_user(db, user_id=int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active:
        message = pick(lang, "登录已超时，请重新登录。", "The sign-in timed out; sign in again.")
        return render(request, "login.html", None, 400, error=message, next=safe_next(next))
    address = address_key(client_ip(request) or "?")
    policy = login_policy(settings)
    if _refused(db, policy, user.name, address):
        return _refused_page(request, name=user.name, next=safe_next(next))
    secret = user.totp_secret or new_secret
    step = totp_step(secret, code, user.totp_last_step) if secret else None
    if step is not None and user.totp_secret:
        step = step if crud.use_totp_step(db, user=user, step=step) else None
    elif step is not None:
        crud.enrol_totp(db, user=user, secret=secret, step=step)
        crud.audit(db, actor=user, action="totp.enrol", target=f"user:{user.name}", ip=address)
    if step is None:
        throttle.record_login(db, account=user.name, address=address, success=False, policy=policy)
        crud.audit(db, actor=None, action="login.totp_failed", target=f"user:{user.name}", ip=address)
        message = pick(lang, "验证码不正确或已用过。", "Wrong or already used code.")
        return _code_page(request, user, pending, new_secret or None, safe_next(next), 401, message)
    return _signed_in(request, db, settings, user, address, safe_next(next))


def _signed_in(request: Request, db: Session, settings: Settings, user: User, address: str, next: str) -> Response:
    throttle.record_login(db, account=user.name, address=address, success=True, policy=login_policy(settings))
    crud.audit(db, actor=user, action="login", target=f"user:{user.name}", ip=address)
    return start_session(redirect(request, next), db, user, settings)


@router.post("/logout")
def logout(request: Request, db: SessionDep) -> Response:
    if token := request.cookies.get(SESSION_COOKIE):
        crud.end_session(db, token=token)
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---- the caller's own account --------------------------------------------------------------------------


def account_page(
    request: Request, db: Session, settings: Settings, user: User, status: int = 200, **extra: object
) -> HTMLResponse:
    return render(
        request,
        "account.html",
        user,
        status,
        tokens=crud.list_tokens(db, user=user),
        token_days=settings.token_days,
        totp_required=settings.totp_required and user.at_least("officer"),
        now=utcnow(),
        **extra,
    )


@router.get("/account")
def account(request: Request, db: SessionDep, settings: SettingsDep, user: CurrentUser) -> HTMLResponse:
    return account_page(request, db, settings, user)


@router.post("/account/tokens")
def new_token(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    label: Annotated[str, Form(max_length=128)] = "",
    days: Annotated[int | None, Form(ge=0, le=3650)] = None,
) -> HTMLResponse:
    days = settings.token_days if days is None else days
    _, token = crud.create_api_token(db, user=user, label=label.strip(), days=days)
    crud.audit(db, actor=user, action="token.create", target=f"user:{user.name}", ip=client_ip(request))
    return account_page(request, db, settings, user, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    if crud.revoke_token(db, token_id=token_id, user=user) is None:
        raise HTTPException(404)
    crud.audit(db, actor=user, action="token.revoke", target=f"token:{token_id}", ip=client_ip(request))
    return redirect(request, "/account")


@router.get("/account/totp")
def totp_page(request: Request, settings: SettingsDep, user: CurrentUser) -> HTMLResponse:
    secret = new_totp_secret()
    pending = sign(settings.secret_key or "", f"{user.id}:{secret}", PENDING_S)
    uri = totp_uri(secret, user.name)
    return render(request, "account_totp.html", user, secret=secret, qr=qr_svg(uri), uri=uri, pending=pending)


@router.post("/account/totp")
def totp_enrol(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    pending: Annotated[str, Form(max_length=512)],
    code: Annotated[str, Form(max_length=16)],
    current: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Turn two-factor sign-in on, or move it to another authenticator: that takes a code of the old one too,
    so a session left open somewhere cannot take the account's second factor over."""
    user_id, _, secret = (unsign(settings.secret_key or "", pending) or "").partition(":")
    step = totp_step(secret, code, None) if secret and user_id == str(user.id) else None
    if step is not None and user.totp_secret:
        old = totp_step(user.totp_secret, current, user.totp_last_step)
        step = step if old is not None and crud.use_totp_step(db, user=user, step=old) else None
    if step is None:
        error = pick(lang_of(request), "验证码不正确，请重新扫码后再试。", "Wrong code; scan again and retry.")
        uri = totp_uri(secret, user.name) if secret else ""
        context = {"secret": secret, "qr": qr_svg(uri) if uri else "", "uri": uri, "pending": pending}
        return render(request, "account_totp.html", user, 422, error=error, **context)
    crud.enrol_totp(db, user=user, secret=secret, step=step)
    crud.audit(db, actor=user, action="totp.enrol", target=f"user:{user.name}", ip=client_ip(request))
    return redirect(request, "/account")
