"""The caller's own API tokens: list, issue (shown once) and revoke."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from qingfeng.store import crud
from qingfeng.web.api.deps import CurrentUser, SessionDep, SettingsDep, client_ip
from qingfeng.web.api.schemas import NewToken, TokenIn, TokenOut

router = APIRouter(tags=["account"])


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(db: SessionDep, user: CurrentUser) -> list[TokenOut]:
    return [TokenOut.model_validate(token) for token in crud.list_tokens(db, user=user)]


@router.post("/tokens", response_model=NewToken, status_code=201)
def new_token(body: TokenIn, request: Request, db: SessionDep, settings: SettingsDep, user: CurrentUser) -> NewToken:
    days = settings.token_days if body.days is None else body.days
    created, token = crud.create_api_token(db, user=user, label=body.label, days=days)
    crud.audit(db, actor=user, action="token.create", target=f"user:{user.name}", ip=client_ip(request))
    return NewToken(id=created.id, token=token, expires_at=created.expires_at)


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def revoke_token(token_id: int, request: Request, db: SessionDep, user: CurrentUser) -> TokenOut:
    revoked = crud.revoke_token(db, token_id=token_id, user=user)
    if revoked is None:
        raise HTTPException(404, "no such token of yours")
    crud.audit(db, actor=user, action="token.revoke", target=f"token:{token_id}", ip=client_ip(request))
    return TokenOut.model_validate(revoked)
