"""Screening pages: the work list and one household's outcomes under every policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.selectors import area_prefix
from niangjia.screening import selectors, services, tasks
from niangjia.screening.choices import Outcome
from niangjia.screening.pack import current_policies, policy_names
from niangjia.screening.services import household_evaluate


@login_required
def worklist_view(request: HttpRequest) -> HttpResponse:
    """Households in scope that are eligible or possibly eligible, with reasons, amounts, missing papers."""
    user = staff_of(request)
    filters = selectors.WorklistFilter(
        policy_id=request.GET.get("policy", ""), status=request.GET.get("status", ""), area=request.GET.get("area", "")
    )
    after = request.GET.get("after", "")
    sensitive = allows(user, Action.SENSITIVE)
    rows = (
        selectors.worklist(user=user, filters=filters, after_id=int(after) if after.isdigit() else None)
        if sensitive
        else []
    )
    policies = current_policies()
    names = policy_names(policies)
    units = {p.id: ("人" if p.entity == "person" else "户") for p in policies}
    query = request.GET.copy()
    query.pop("after", None)
    next_query = ""
    if len(rows) == selectors.PAGE_SIZE:
        more = query.copy()
        more["after"] = str(rows[-1].pk)
        next_query = more.urlencode()
    context = {
        "rows": rows,
        "sensitive": sensitive,
        "names": names,
        "units": units,
        "filters": filters,
        "next_query": next_query,
        "summary": selectors.worklist_summary(user=user, filters=filters),
        "statuses": [(Outcome.ELIGIBLE, Outcome.ELIGIBLE.label), (Outcome.POSSIBLY, Outcome.POSSIBLY.label)],
        "can_run": user.role in (Role.CITY_ADMIN, Role.DISTRICT_STAFF),
        "runs": selectors.latest_runs(limit=5),
    }
    template = "screening/_worklist_rows.html" if request.headers.get("HX-Request") else "screening/worklist.html"
    return render(request, template, context)


@login_required
@require_POST
def run_view(request: HttpRequest) -> HttpResponse:
    """Queue a screening of the user's own area (one task per county-level partition)."""
    user = staff_of(request)
    if user.role not in (Role.CITY_ADMIN, Role.DISTRICT_STAFF) or user.org is None:
        raise PermissionDenied("只有市、区县总工会工作人员可以发起筛查。")
    prefix = area_prefix(user.org.area.code)
    partitions = [p for p in services.area_partitions() if p.startswith(prefix) or prefix.startswith(p)]
    for partition in partitions:
        tasks.screen_partition.enqueue(area_prefix=partition, as_of=timezone.localdate().isoformat())
    messages.success(request, f"已排入后台筛查 {len(partitions)} 个区县，完成后待办名单自动更新。")
    return redirect("screening:worklist")


@login_required
def household_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every policy's outcome for one household, evaluated now, with why and how to qualify."""
    user = staff_of(request)
    data = registry_selectors.household_get(user=user, pk=pk)
    require_action(user, Action.SENSITIVE)
    outcomes = household_evaluate(household_id=pk, as_of=timezone.localdate())
    names = policy_names(current_policies())
    members = {str(m.pk): m.name for m in data["members"]}
    for outcome in outcomes:
        outcome["name"] = names.get(outcome["policy_id"], outcome["policy_id"])
        outcome["member"] = members.get(outcome["person_id"] or "", "")
        outcome["reason_list"] = [r for r in (outcome["reasons"] or "").split("；") if r]
    order: dict[str, int] = {Outcome.ELIGIBLE.value: 0, Outcome.POSSIBLY.value: 1}
    outcomes.sort(key=lambda o: order.get(str(o["status"]), 2))
    open_ = [o for o in outcomes if str(o["status"]) != Outcome.NOT_ELIGIBLE]
    closed = [o for o in outcomes if str(o["status"]) == Outcome.NOT_ELIGIBLE]
    return render(
        request,
        "screening/household.html",
        {
            "h": data,
            "outcomes": open_,
            "not_eligible": closed,
            "today": timezone.localdate(),
        },
    )
