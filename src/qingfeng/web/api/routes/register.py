"""The register of accounts and groups opened under an official identity (报备, op-4)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from qingfeng.store import crud
from qingfeng.store.models import Registration
from qingfeng.web.api.deps import CurrentUser, SessionDep
from qingfeng.web.api.schemas import RegistrationIn, RegistrationOut

router = APIRouter(tags=["registrations"])


def registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut.model_validate(registration)


@router.get("/registrations", response_model=list[RegistrationOut])
def list_registrations(db: SessionDep, user: CurrentUser) -> list[RegistrationOut]:
    """Owners and officers get the whole register; a member gets their own declarations."""
    return [registration_out(r) for r in crud.list_registrations(db, viewer=user)]


@router.post("/registrations", response_model=RegistrationOut, status_code=201)
def declare(body: RegistrationIn, db: SessionDep, user: CurrentUser) -> RegistrationOut:
    return registration_out(crud.add_registration(db, owner=user, **body.model_dump()))


@router.post("/registrations/{registration_id}/close", response_model=RegistrationOut)
def close(registration_id: int, db: SessionDep, user: CurrentUser) -> RegistrationOut:
    registration = crud.close_registration(db, viewer=user, registration_id=registration_id)
    if registration is None:
        raise HTTPException(404, "no such registration of yours")
    return registration_out(registration)
