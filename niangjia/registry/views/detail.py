"""Registry detail pages: an enterprise with its workers, a worker with their household, a household; reveal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.views.decorators.http import require_POST

from niangjia.core.disclosure import DisclosureLimitReached
from niangjia.core.scoping import Action, allows
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors
from niangjia.registry.identity import FIELDS
from niangjia.registry.services import reveal
from niangjia.registry.views.lists import after_id, next_query


@login_required
def enterprise_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    enterprise = selectors.enterprise_get(user=user, pk=pk)
    filters = selectors.WorkerFilter(enterprise_id=enterprise.pk)
    workers = selectors.worker_list(user=user, filters=filters, after_id=after_id(request))
    cadres = [a.cadre for a in enterprise.assignments.select_related("cadre")]
    context = {
        "enterprise": enterprise,
        "workers": workers,
        "cadres": cadres,
        "worker_list_query": filters.query(),
        "next_query": next_query(filters, workers),
    }
    return render(request, "registry/enterprise_detail.html", context)


@login_required
def worker_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A worker, their jobs and their household; its policy results for the roles that may see them."""
    user = staff_of(request)
    worker = selectors.worker_get(user=user, pk=pk)
    household = selectors.household_of(user=user, worker=worker)
    context = {
        "worker": worker,
        "h": selectors.household_get(user=user, pk=household.pk) if household else None,
        "history": selectors.worker_history(user=user, worker=worker),
        "can_reveal": allows(user, Action.REVEAL),
    }
    return render(request, "registry/worker_detail.html", context)


@login_required
def household_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    data = selectors.household_get(user=user, pk=pk)
    return render(request, "registry/household_detail.html", {"h": data, "can_reveal": allows(user, Action.REVEAL)})


@login_required
@require_POST
def reveal_view(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """Return the full value of one protected field as an HTMX fragment; the reveal is audited."""
    obj: models.Model
    if field not in FIELDS:
        raise Http404("没有这项信息。")
    if kind == "worker":
        obj = selectors.worker_get(user=staff_of(request), pk=pk, action=Action.REVEAL)
    elif kind == "member":
        obj = selectors.member_get(user=staff_of(request), pk=pk, action=Action.REVEAL)
    else:
        raise Http404
    try:
        value = reveal(actor=staff_of(request), obj=obj, field=field)
    except ValidationError as error:
        return HttpResponse(escape("；".join(error.messages)), status=422)
    except DisclosureLimitReached as limit:
        return HttpResponse(escape(str(limit)), status=429)
    return render(request, "registry/_revealed.html", {"value": value, "field": field})
