"""POST /api/me/password: the caller changes their own password."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from qingfeng.store import crud
from qingfeng.store.security import verify_password
from qingfeng.web.api.deps import CurrentUser, SessionDep, client_ip
from qingfeng.web.api.schemas import PasswordChange
from qingfeng.web.passwords import password_problem
from qingfeng.web.templating import lang_of

router = APIRouter(tags=["account"])


@router.post("/me/password", status_code=204)
def change_password(body: PasswordChange, request: Request, db: SessionDep, user: CurrentUser) -> None:
    """Needs the current password; the new one twice. Every session of the account ends (tokens stay)."""
    if not verify_password(user.password_hash, body.current):
        raise HTTPException(403, "the current password is wrong")
    problem = password_problem(body.new, body.repeat, lang_of(request))
    if problem:
        raise HTTPException(422, problem)
    crud.update_user(db, user=user, password=body.new)
    crud.audit(db, actor=user, action="user.password", target=f"user:{user.name}", ip=client_ip(request))
