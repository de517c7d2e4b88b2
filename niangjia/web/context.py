"""Template context: the navigation a signed-in user sees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows
from niangjia.funds.selectors import sees_funds


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the navigation entries the user's role may use."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("首页"), reverse("web:home"))]
    if user.role == Role.CADRE:
        items.append((_("今日工作"), reverse("outreach:today")))
    items.append((_("统计"), reverse("reports:dashboard")))
    items.append((_("走访活动"), reverse("outreach:campaign_list")))
    items.append((_("企业"), reverse("registry:enterprise_list")))
    items.append((_("职工"), reverse("registry:worker_list")))
    items.append((_("政策找人"), reverse("screening:worklist")))
    if allows(user, Action.SENSITIVE):
        items.append((_("帮扶"), reverse("assistance:queue")))
    if sees_funds(user):
        items.append((_("资金"), reverse("funds:pool_list")))
    items.append((_("诉求"), reverse("tickets:queue")))
    if allows(user, Action.CHANGE):
        items.append((_("调动申请"), reverse("registry:transfers")))
    items.append((_("组织"), reverse("web:org_list")))
    if allows(user, Action.MANAGE_STAFF):
        items.append((_("工作人员"), reverse("orgs:staff_list")))
    if allows(user, Action.AUDIT):
        items.append((_("审计"), reverse("web:audit_search")))
    return {"nav_items": items}
