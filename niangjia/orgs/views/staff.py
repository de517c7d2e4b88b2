"""Staff management pages: list, create, view, edit, deactivate, unlock, reset the password.

Every page needs the MANAGE_STAFF action (403 otherwise); a user outside the manager's
subtree is a 404. A one-time password is shown in the answer to the POST that made it,
never stored, never shown again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from niangjia.core.scoping import Action, require_action
from niangjia.orgs import selectors
from niangjia.orgs.auth import staff_of
from niangjia.orgs.forms import StaffForm
from niangjia.orgs.granting import grantable_roles, may_manage, role_label
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.orgs.services import (
    staff_onboard,
    staff_password_reset,
    staff_set_active,
    staff_unlock,
    staff_update,
)


def _manager(request: HttpRequest) -> StaffUser:
    user = staff_of(request)
    require_action(user, Action.MANAGE_STAFF)
    return user


def _target(user: StaffUser, pk: int) -> StaffUser:
    try:
        return selectors.staff_get(user=user, pk=pk)
    except StaffUser.DoesNotExist:
        raise Http404("找不到该工作人员，或不在您的管辖范围内。") from None


def _org(user: StaffUser, pk: int) -> UnionOrg:
    try:
        return selectors.org_get(user=user, pk=pk, action=Action.MANAGE_STAFF)
    except UnionOrg.DoesNotExist:
        raise ValidationError({"org": "请选择您管辖范围内的组织。"}) from None


def _form_errors(form: StaffForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
def staff_list_view(request: HttpRequest) -> HttpResponse:
    """Staff in the manager's subtree, searchable, filtered, a page at a time (by username)."""
    user = _manager(request)
    filters = selectors.StaffFilter.from_query(request.GET)
    after = request.GET.get("after", "")[:150]
    rows, next_after = selectors.staff_page(user=user, filters=filters, after=after, action=Action.MANAGE_STAFF)
    org_name = ""
    if filters.org:
        org_name = selectors.org_list(user=user).filter(pk=filters.org).values_list("name", flat=True).first() or ""
    context = {
        "rows": [(row, role_label(row.role), may_manage(user, row)) for row in rows],
        "filters": filters,
        "org_name": org_name,
        "roles": [(role, role_label(role)) for role in grantable_roles(user)],
        "next_after": next_after,
        "query": filters.query(),
        "first_page": not after,
    }
    return render(request, "orgs/staff_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_create_view(request: HttpRequest) -> HttpResponse:
    """Create a staff user in the subtree; the answer shows their one-time password once."""
    user = _manager(request)
    initial: dict[str, Any] = {"role": "cadre"}
    if request.GET.get("org", "").isdigit():
        initial["org"] = request.GET["org"]
    form = StaffForm(
        request.POST or None, initial=initial, roles=grantable_roles(user), orgs=selectors.org_choices(user=user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, password = staff_onboard(
                actor=user, username=data["username"], role=data["role"], org=_org(user, data["org"]),
                display_name=data["display_name"], phone=data["phone"],
            )  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return _password_page(request, created, password, created_now=True)
    status = 400 if form.errors else 200
    return render(request, "orgs/staff_form.html", {"form": form, "title": "添加工作人员"}, status=status)


@login_required
def staff_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One staff user, with what the manager may do to them."""
    user = _manager(request)
    target = _target(user, pk)
    context = {
        "target": target,
        "role_label": role_label(target.role),
        "breadcrumbs": selectors.org_breadcrumbs(user=user, org=target.org) if target.org else [],
        "can_manage": may_manage(user, target),
        "is_self": target.pk == user.pk,
    }
    return render(request, "orgs/staff_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a staff user's name, role, organization or phone."""
    user = _manager(request)
    target = _target(user, pk)
    if not may_manage(user, target):
        raise PermissionDenied("无权修改该工作人员。")
    roles = grantable_roles(user)
    initial = {"display_name": target.display_name, "role": target.role, "org": target.org_id}
    form = StaffForm(
        request.POST or None, initial=initial, roles=roles, orgs=selectors.org_choices(user=user), editing=True
    )
    if target.pk == user.pk:
        # Nobody moves themselves: their own role and organization are not offered.
        del form.fields["role"], form.fields["org"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        phone = None if not data["phone"] else "" if data["phone"].strip() == "-" else data["phone"]
        try:
            org = _org(user, data["org"]) if "org" in data else None
            staff_update(
                actor=user, user=target, display_name=data["display_name"], role=data.get("role"), org=org,
                phone=phone,
            )  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            messages.success(request, "已保存。")
            return redirect("orgs:staff_detail", pk=target.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "title": f"修改：{target}", "target": target}
    return render(request, "orgs/staff_form.html", context, status=status)


@login_required
@require_POST
def staff_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (active=0) or reactivate (active=1) a staff user."""
    user = _manager(request)
    target = _target(user, pk)
    active = request.POST.get("active") == "1"
    staff_set_active(actor=user, user=target, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}账号：{target}。")
    return redirect("orgs:staff_detail", pk=target.pk)


@login_required
@require_POST
def staff_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear the login throttling on a staff user's account."""
    user = _manager(request)
    target = _target(user, pk)
    cleared = staff_unlock(actor=user, user=target)
    messages.success(request, f"已解除登录限制（清除 {cleared} 条失败记录）。{target} 现在可以重新登录。")
    return redirect("orgs:staff_detail", pk=target.pk)


@never_cache
@login_required
@require_POST
def staff_password_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a staff user a one-time password, shown in this answer only."""
    user = _manager(request)
    target = _target(user, pk)
    password = staff_password_reset(actor=user, user=target)
    return _password_page(request, target, password, created_now=False)


def _password_page(request: HttpRequest, target: StaffUser, password: str, *, created_now: bool) -> HttpResponse:
    context = {
        "target": target,
        "password": password,
        "created_now": created_now,
        "role_label": role_label(target.role),
    }
    response = render(request, "orgs/staff_password.html", context)
    response["Cache-Control"] = "no-store"
    return response
