"""Screening pages: the work list and one household's outcomes under every policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows
from niangjia.orgs.auth import staff_of
from niangjia.screening import selectors
from niangjia.screening.choices import Outcome
from niangjia.screening.pack import current_policies, policy_names
from niangjia.screening.services import screening_enqueue


@login_required
def worklist_view(request: HttpRequest) -> HttpResponse:
    """Households in scope that are eligible or possibly eligible, with reasons, amounts, missing papers."""
    user = staff_of(request)
    filters = selectors.WorklistFilter.from_query(request.GET)
    after = request.GET.get("after", "")
    sensitive = allows(user, Action.SENSITIVE)
    rows = (
        selectors.worklist(user=user, filters=filters, after_id=int(after) if after.isdigit() else None)
        if sensitive
        else []
    )
    policies = current_policies()
    units = {p.id: ("人" if p.entity == "person" else "户") for p in policies}
    next_query = ""
    if len(rows) == selectors.PAGE_SIZE:
        next_query = filters.query(after=rows[-1].pk)
    choices = selectors.worklist_choices(user=user)
    context = {
        "rows": rows,
        "sensitive": sensitive,
        "names": policy_names(policies),
        "units": units,
        "filters": filters,
        "fields": filter_fields(filters, choices),
        "next_query": next_query,
        "summary": selectors.worklist_summary(user=user, filters=filters),
        "can_run": allows(user, Action.SCREEN),
        "runs": selectors.latest_runs(user=user, limit=5),
    }
    template = "screening/_worklist_rows.html" if request.headers.get("HX-Request") else "screening/worklist.html"
    return render(request, template, context)


@login_required
@require_POST
def run_view(request: HttpRequest) -> HttpResponse:
    """Queue a screening of the user's own area (one task per county-level partition)."""
    partitions = screening_enqueue(actor=staff_of(request))
    messages.success(request, f"已排入后台筛查 {len(partitions)} 个区县，完成后待办名单自动更新。")
    return redirect("screening:worklist")


@login_required
def household_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every policy's outcome for one household, evaluated now, with why and how to qualify."""
    today = timezone.localdate()
    data, outcomes = selectors.household_outcomes(user=staff_of(request), pk=pk, as_of=today)
    names = policy_names(current_policies())
    members = {str(m.pk): m.name for m in data["members"]}
    for outcome in outcomes:
        outcome["name"] = names.get(outcome["policy_id"], outcome["policy_id"])
        outcome["member"] = members.get(outcome["person_id"] or "", "")
        outcome["reason_list"] = [r for r in (outcome["reasons"] or "").split("；") if r]
    order: dict[str, int] = {Outcome.ELIGIBLE.value: 0, Outcome.POSSIBLY.value: 1}
    outcomes.sort(key=lambda o: order.get(str(o["status"]), 2))
    context = {
        "h": data,
        "outcomes": [o for o in outcomes if str(o["status"]) != Outcome.NOT_ELIGIBLE],
        "not_eligible": [o for o in outcomes if str(o["status"]) == Outcome.NOT_ELIGIBLE],
        "today": today,
    }
    return render(request, "screening/household.html", context)
