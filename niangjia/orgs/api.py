"""API of the union tree and the signed-in user."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status
from pydantic import Field, StringConstraints

from niangjia.api_errors import errors
from niangjia.api_fields import NO_NUL, Filter, Id, PageSize, Text32, Text64, omitted
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require_action
from niangjia.orgs import selectors, services
from niangjia.orgs.auth import staff_of
from niangjia.orgs.granting import may_manage
from niangjia.orgs.models import StaffUser, UnionOrg

router = Router()


class OrgOut(Schema):
    id: int
    name: str
    level: str
    area_code: str
    parent_id: int | None
    path: str


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    org: OrgOut | None


def _org_out(org: object) -> OrgOut:
    return OrgOut(
        id=org.id,  # type: ignore[attr-defined]
        name=org.name,  # type: ignore[attr-defined]
        level=org.level,  # type: ignore[attr-defined]
        area_code=org.area.code,  # type: ignore[attr-defined]
        parent_id=org.parent_id,  # type: ignore[attr-defined]
        path=org.path,  # type: ignore[attr-defined]
    )


@router.get("/me", response={200: MeOut, **errors()}, summary="当前用户")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.username,
        display_name=user.display_name,  # type: ignore[union-attr]
        role=user.role,  # type: ignore[union-attr]
        org=_org_out(user.org) if user.org else None,  # type: ignore[union-attr]
    )


@router.get("/", response={200: list[OrgOut], **errors()}, summary="可见的工会组织")
def org_list(request: HttpRequest, after_path: Filter = "", limit: PageSize = 100) -> list[OrgOut]:
    """Organizations in scope, in tree order; page with `after_path` (keyset)."""
    qs = selectors.org_list(user=request.user)  # type: ignore[arg-type]
    if after_path:
        qs = qs.filter(path__gt=after_path)
    return [_org_out(org) for org in qs[: max(1, min(limit, 500))]]


# --- staff management (MANAGE_STAFF; out of scope is 404) ---------------------------------------

Username = Annotated[str, StringConstraints(min_length=1, max_length=150, pattern=r"^[A-Za-z0-9._@+-]+$")]
Cursor = Annotated[str, StringConstraints(max_length=150, pattern=NO_NUL)]


class StaffOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    org_id: int | None
    org_name: str
    phone_masked: str
    is_active: bool
    must_change_password: bool
    manageable: bool


class StaffPageOut(Schema):
    items: list[StaffOut]
    next_after: str = Field(description="下一页的 after 参数；空表示没有下一页")


class StaffCreateIn(Schema):
    username: Username
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NO_NUL)]
    role: Role = Role.CADRE
    org_id: Id
    phone: Text32 = ""


class StaffPatchIn(Schema):
    display_name: Text64 | None = omitted()
    role: Role | None = omitted()
    org_id: Id | None = omitted()
    phone: Text32 | None = omitted()


class OneTimePasswordOut(Schema):
    staff: StaffOut
    password: str = Field(description="一次性密码，只在这一次回答中出现；本人首次登录须修改")


class UnlockOut(Schema):
    cleared: int


def _manager(request: HttpRequest) -> StaffUser:
    user = staff_of(request)
    require_action(user, Action.MANAGE_STAFF)
    return user


def _staff_out(user: StaffUser, person: StaffUser) -> StaffOut:
    return StaffOut(
        id=person.pk, username=person.username, display_name=person.display_name, role=person.role,
        org_id=person.org_id, org_name=person.org.name if person.org else "", phone_masked=person.phone_masked,
        is_active=person.is_active, must_change_password=person.must_change_password,
        manageable=may_manage(user, person),
    )  # fmt: skip


def _target(user: StaffUser, pk: int) -> StaffUser:
    try:
        return selectors.staff_get(user=user, pk=pk)
    except StaffUser.DoesNotExist:
        raise Http404 from None


def _org(user: StaffUser, pk: int) -> UnionOrg:
    try:
        return selectors.org_get(user=user, pk=pk, action=Action.MANAGE_STAFF)
    except UnionOrg.DoesNotExist:
        raise Http404 from None


@router.get("/staff", response={200: StaffPageOut, **errors(403)}, summary="工作人员列表")
def staff_list(
    request: HttpRequest,
    q: Filter = "",
    role: Role | None = None,
    org: Id | None = None,
    active: bool | None = None,
    after: Cursor = "",
    limit: PageSize = 50,
) -> StaffPageOut:
    """Staff in the caller's subtree by username; page with `after` (keyset)."""
    user = _manager(request)
    filters = selectors.StaffFilter(q=q.strip(), role=role or "", org=org, active=active)
    rows, next_after = selectors.staff_page(
        user=user, filters=filters, after=after, limit=min(limit, 200), action=Action.MANAGE_STAFF
    )
    return StaffPageOut(items=[_staff_out(user, row) for row in rows], next_after=next_after)


@router.post("/staff", response={201: OneTimePasswordOut, **errors(403, 404, 409)}, summary="添加工作人员")
def staff_create(request: HttpRequest, payload: StaffCreateIn) -> Status[OneTimePasswordOut]:
    """Create a staff user with a one-time password, returned in this answer only."""
    user = _manager(request)
    person, password = services.staff_onboard(
        actor=user, username=payload.username, role=payload.role, org=_org(user, payload.org_id),
        display_name=payload.display_name, phone=payload.phone,
    )  # fmt: skip
    return Status(201, OneTimePasswordOut(staff=_staff_out(user, person), password=password))


@router.get("/staff/{staff_id}", response={200: StaffOut, **errors(403, 404)}, summary="工作人员详情")
def staff_detail(request: HttpRequest, staff_id: Path[Id]) -> StaffOut:
    user = _manager(request)
    return _staff_out(user, _target(user, staff_id))


@router.patch("/staff/{staff_id}", response={200: StaffOut, **errors(403, 404)}, summary="修改工作人员")
def staff_patch(request: HttpRequest, staff_id: Path[Id], payload: StaffPatchIn) -> StaffOut:
    """Change name, role, organization or phone (an empty phone clears it)."""
    user = _manager(request)
    person = _target(user, staff_id)
    org = _org(user, payload.org_id) if payload.org_id is not None else None
    services.staff_update(
        actor=user, user=person, display_name=payload.display_name, role=payload.role, org=org, phone=payload.phone
    )
    return _staff_out(user, person)


@router.post("/staff/{staff_id}/deactivate", response={200: StaffOut, **errors(403, 404)}, summary="停用工作人员")
def staff_deactivate(request: HttpRequest, staff_id: Path[Id]) -> StaffOut:
    user = _manager(request)
    return _staff_out(user, services.staff_set_active(actor=user, user=_target(user, staff_id), active=False))


@router.post("/staff/{staff_id}/reactivate", response={200: StaffOut, **errors(403, 404)}, summary="启用工作人员")
def staff_reactivate(request: HttpRequest, staff_id: Path[Id]) -> StaffOut:
    user = _manager(request)
    return _staff_out(user, services.staff_set_active(actor=user, user=_target(user, staff_id), active=True))


@router.post("/staff/{staff_id}/unlock", response={200: UnlockOut, **errors(403, 404)}, summary="解除登录限制")
def staff_unlock(request: HttpRequest, staff_id: Path[Id]) -> UnlockOut:
    user = _manager(request)
    return UnlockOut(cleared=services.staff_unlock(actor=user, user=_target(user, staff_id)))


@router.post(
    "/staff/{staff_id}/password-reset", response={200: OneTimePasswordOut, **errors(403, 404)}, summary="重置密码"
)
def staff_password_reset(request: HttpRequest, staff_id: Path[Id]) -> OneTimePasswordOut:
    """Give the user a one-time password (returned once); their sessions end and their tokens are revoked."""
    user = _manager(request)
    person = _target(user, staff_id)
    password = services.staff_password_reset(actor=user, user=person)
    return OneTimePasswordOut(staff=_staff_out(user, person), password=password)


@router.get("/{org_id}", response={200: OrgOut, **errors(404)}, summary="工会组织详情")
def org_detail(request: HttpRequest, org_id: Path[Id]) -> OrgOut:
    return _org_out(get_object_or_404(selectors.org_list(user=request.user), pk=org_id))  # type: ignore[arg-type]
