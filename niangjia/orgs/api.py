"""API of the union tree and the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema

from niangjia.api_errors import errors
from niangjia.api_fields import Filter, Id, PageSize
from niangjia.orgs import selectors

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


@router.get("/{org_id}", response={200: OrgOut, **errors(404)}, summary="工会组织详情")
def org_detail(request: HttpRequest, org_id: Path[Id]) -> OrgOut:
    return _org_out(get_object_or_404(selectors.org_list(user=request.user), pk=org_id))  # type: ignore[arg-type]
