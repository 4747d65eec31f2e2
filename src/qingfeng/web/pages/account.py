"""我的账号: a signed-in user changes their own password (the current one, then the new one twice).

The page itself (tokens, two-step sign-in) is drawn by ``auth.account_page``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from qingfeng.store import crud
from qingfeng.store.security import verify_password
from qingfeng.web.api.deps import CurrentUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.pages.auth import account_page
from qingfeng.web.pages.common import page_router, start_session
from qingfeng.web.passwords import password_problem
from qingfeng.web.templating import lang_of, pick

router = page_router()


@router.post("/account/password")
def change_password(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    repeat: Annotated[str, Form(max_length=1024)],
) -> Response:
    lang = lang_of(request)
    error = (
        pick(lang, "当前密码不正确。", "The current password is wrong.")
        if not verify_password(user.password_hash, current)
        else password_problem(new, repeat, lang)
    )
    if error:
        return account_page(request, db, settings, user, 422, error=error)
    # A new password ends every session, this one too; the browser that changed it is signed in afresh.
    crud.update_user(db, user=user, password=new)
    crud.audit(db, actor=user, action="user.password", target=f"user:{user.name}", ip=client_ip(request))
    return start_session(account_page(request, db, settings, user, saved=True), db, user, settings)
