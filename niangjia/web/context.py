"""Template context: the navigation a signed-in user sees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from niangjia.core.scoping import Action, allows


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the navigation entries the user's role may use."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = [("首页", reverse("web:home"))]
    items.append(("企业", reverse("registry:enterprise_list")))
    items.append(("职工", reverse("registry:worker_list")))
    items.append(("政策找人", reverse("screening:worklist")))
    items.append(("组织", reverse("web:org_list")))
    if allows(user, Action.AUDIT):
        items.append(("审计", reverse("web:audit_search")))
    return {"nav_items": items}
