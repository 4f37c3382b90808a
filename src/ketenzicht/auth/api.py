"""JSON routes of the auth domain under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from ketenzicht.auth import credentials, service
from ketenzicht.auth.models import User
from ketenzicht.auth.schemas import (
    Actor,
    MeRead,
    OrganisationCreate,
    OrganisationRead,
    TokenCreate,
    TokenIssued,
    UserCreate,
    UserRead,
    UserUpdate,
)
from ketenzicht.core.ids import MAX_ID
from ketenzicht.web.deps import PathId, SessionDep, SettingsDep, require

router = APIRouter(tags=["auth"])


def _user_read(user: User) -> UserRead:
    return UserRead.model_validate(
        {**{k: getattr(user, k) for k in UserRead.model_fields if k != "roles"},
         "roles": sorted(user.roles)}
    )


@router.get("/me", response_model=MeRead)
def me(session: SessionDep, actor: Annotated[Actor, Depends(require("account.view"))]) -> MeRead:
    """Who you are logged in as."""
    org = service.get_organisation(session, actor=actor, org_id=actor.organisation_id)
    user = service.find_user(session, actor.username)
    assert user is not None
    return MeRead(user_id=actor.user_id, username=actor.username, display_name=user.display_name,
                  organisation_id=org.id, organisation=org.name, org_type=org.org_type,
                  roles=sorted(actor.roles))


@router.get("/organisations", response_model=list[OrganisationRead])
def list_organisations(
    session: SessionDep, actor: Annotated[Actor, Depends(require("organisation.view"))]
) -> list[OrganisationRead]:
    """The directory of organisations."""
    return [OrganisationRead.model_validate(o)
            for o in service.list_organisations(session, actor=actor)]


@router.post("/organisations", response_model=OrganisationRead,
             status_code=status.HTTP_201_CREATED)
def create_organisation(
    session: SessionDep, data: OrganisationCreate,
    actor: Annotated[Actor, Depends(require("organisation.create"))],
) -> OrganisationRead:
    """Register an organisation."""
    return OrganisationRead.model_validate(
        service.create_organisation(session, data=data, actor=actor))


@router.get("/organisations/{org_id}", response_model=OrganisationRead)
def get_organisation(
    session: SessionDep, org_id: PathId,
    actor: Annotated[Actor, Depends(require("organisation.view"))],
) -> OrganisationRead:
    """One organisation."""
    return OrganisationRead.model_validate(
        service.get_organisation(session, actor=actor, org_id=org_id))


@router.get("/users", response_model=list[UserRead])
def list_users(
    session: SessionDep, actor: Annotated[Actor, Depends(require("user.view"))],
    organisation_id: Annotated[int | None, Query(gt=0, le=MAX_ID)] = None,
) -> list[UserRead]:
    """Accounts you may see (your organisation's, or all for platform beheer)."""
    return [_user_read(u) for u in
            service.list_users(session, actor=actor, organisation_id=organisation_id)]


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
def create_user(
    session: SessionDep, data: UserCreate,
    actor: Annotated[Actor, Depends(require("user.create"))],
) -> UserRead:
    """Create an account."""
    return _user_read(service.create_user(session, data=data, actor=actor))


@router.get("/users/{user_id}", response_model=UserRead)
def get_user(
    session: SessionDep, user_id: PathId, actor: Annotated[Actor, Depends(require("user.view"))]
) -> UserRead:
    """One account."""
    return _user_read(service.get_user(session, actor=actor, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(
    session: SessionDep, user_id: PathId, data: UserUpdate,
    actor: Annotated[Actor, Depends(require("user.update"))],
) -> UserRead:
    """Change an account; send the ``version`` you read, or get 409 if it changed since."""
    return _user_read(service.update_user(session, actor=actor, user_id=user_id, data=data))


@router.post("/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
def issue_token(
    session: SessionDep, settings: SettingsDep, data: TokenCreate,
    actor: Annotated[Actor, Depends(require("token.manage"))],
) -> TokenIssued:
    """Issue an API token for a system account of your organisation (shown once)."""
    secret, row = credentials.issue_token(session, actor=actor, data=data,
                                          default_days=settings.api_token_days)
    return TokenIssued(id=row.id, name=row.name, user_id=row.user_id, expires_at=row.expires_at,
                       token=secret)
