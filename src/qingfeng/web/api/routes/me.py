"""GET /api/me: who the session or token belongs to."""

from __future__ import annotations

from fastapi import APIRouter

from qingfeng.web.api.deps import CurrentUser
from qingfeng.web.api.schemas import Me

router = APIRouter(tags=["account"])


@router.get("/me", response_model=Me)
def me(user: CurrentUser) -> Me:
    return Me.model_validate(user)
