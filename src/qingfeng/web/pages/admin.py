"""管理: accounts (admins) and the audit log (officers and admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from qingfeng.store import crud
from qingfeng.store.models import ROLES, User
from qingfeng.web.api.deps import AdminUser, OfficerUser, SessionDep, client_ip
from qingfeng.web.pages.common import page_router, redirect
from qingfeng.web.passwords import password_problem
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


@router.get("/admin")
def admin(request: Request, db: SessionDep, user: OfficerUser, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    users = crud.list_users(db) if user.at_least("admin") else []
    return render(
        request,
        "admin.html",
        user,
        users=users,
        roles=ROLES,
        entries=crud.list_audit(db, limit=100, offset=offset),
        offset=offset,
    )


@router.post("/admin/users")
def add_user(
    request: Request,
    db: SessionDep,
    admin: AdminUser,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form()],
    password: Annotated[str, Form(max_length=1024)],
    display_name: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    lang = lang_of(request)
    error = ""
    if role not in ROLES or not name.strip():
        error = pick(lang, "请填写账号并选择角色。", "Give an account name and a role.")
    elif problem := password_problem(password, None, lang):
        error = problem
    else:
        try:
            crud.create_user(db, name=name.strip(), password=password, role=role, display_name=display_name.strip())
        except crud.UserExists:
            error = pick(lang, "这个账号已经存在。", "That account exists already.")
    if error:
        return _refused(request, db, admin, error)
    crud.audit(
        db, actor=admin, action="user.add", target=f"user:{name.strip()}", detail={"role": role}, ip=client_ip(request)
    )
    return redirect(request, "/admin")


@router.post("/admin/users/{user_id}")
def change_user(
    user_id: int,
    request: Request,
    db: SessionDep,
    admin: AdminUser,
    role: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Change an account's role or state, or reset its password (which signs it out everywhere)."""
    target = crud.get_user(db, user_id=user_id)
    if target is None:
        raise HTTPException(404)
    if role and role not in ROLES:
        raise HTTPException(422)
    if password and (problem := password_problem(password, None, lang_of(request))):
        return _refused(request, db, admin, problem)
    changes = {"role": role or None, "active": {"yes": True, "no": False}.get(active)}
    crud.update_user(db, user=target, **changes, password=password or None)
    detail = {k: v for k, v in changes.items() if v is not None} | ({"password": "reset"} if password else {})
    crud.audit(
        db, actor=admin, action="user.change", target=f"user:{target.name}", detail=detail, ip=client_ip(request)
    )
    return redirect(request, "/admin")


def _refused(request: Request, db: SessionDep, admin: User, error: str) -> HTMLResponse:
    return render(
        request,
        "admin.html",
        admin,
        422,
        users=crud.list_users(db),
        roles=ROLES,
        entries=crud.list_audit(db, limit=100),
        offset=0,
        error=error,
    )
