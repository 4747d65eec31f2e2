"""Typed dependencies: route signatures read as declarations (``db: SessionDep, user: OfficerUser``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from qingfeng.pipeline.engine import Checker
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.store.security import Vault, csrf_valid, real_client
from qingfeng.web.core.config import Settings

SESSION_COOKIE = "qf_session"
CSRF_COOKIE = "qf_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotSignedIn(Exception):
    """No valid session or token: 401 for the API, a redirect to the sign-in page for pages."""


class Forbidden(Exception):
    """Signed in, but the role does not allow it."""


class CsrfRejected(Exception):
    """An unsafe request without the token that proves it came from our own page."""


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_checker(request: Request) -> Checker:
    return request.app.state.checker


SessionDep = Annotated[Session, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CheckerDep = Annotated[Checker, Depends(get_checker)]


def client_ip(request: Request) -> str | None:
    """The caller's real address: X-Forwarded-For counts only from a proxy in QINGFENG_TRUSTED_PROXIES."""
    peer = request.client.host if request.client else None
    return real_client(peer, request.headers.getlist("x-forwarded-for"), request.app.state.settings.proxies)


def get_vault(request: Request) -> Vault:
    return request.app.state.vault


VaultDep = Annotated[Vault, Depends(get_vault)]


async def _csrf_ok(request: Request, settings: Settings) -> bool:
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    return csrf_valid(settings.secret_key or "", request.cookies.get(CSRF_COOKIE), token)


async def page_csrf(request: Request, settings: SettingsDep) -> None:
    """Every unsafe page request (forms, htmx) carries the CSRF token, signed in or not."""
    if request.method in UNSAFE and not await _csrf_ok(request, settings):
        raise CsrfRejected


async def optional_user(request: Request, db: SessionDep, settings: SettingsDep) -> User | None:
    """The caller: a bearer API token, or a session cookie (whose unsafe requests need the CSRF header)."""
    user = None
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        user = crud.token_user(db, token=authorization[7:].strip())
        if user is None:
            raise NotSignedIn
    elif cookie := request.cookies.get(SESSION_COOKIE):
        user = crud.session_user(db, token=cookie)
        if user is not None and request.method in UNSAFE and not await _csrf_ok(request, settings):
            raise CsrfRejected
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def require(role: str) -> Callable[..., User]:
    def dependency(user: OptionalUser) -> User:
        if user is None:
            raise NotSignedIn
        if not user.at_least(role):
            raise Forbidden
        return user

    return dependency


CurrentUser = Annotated[User, Depends(require("member"))]
OwnerUser = Annotated[User, Depends(require("owner"))]
OfficerUser = Annotated[User, Depends(require("officer"))]
AdminUser = Annotated[User, Depends(require("admin"))]
