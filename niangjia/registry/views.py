"""Registry pages: enterprise and worker lists, details with the household, reveal, export."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from niangjia.core.disclosure import DisclosureLimitReached
from niangjia.core.scoping import Action, allows
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors
from niangjia.registry.exporting import export_enterprises, export_workers
from niangjia.registry.forms import EnterpriseFilterForm, WorkerFilterForm
from niangjia.registry.identity import FIELDS
from niangjia.registry.services import reveal, worker_search


def _after(request: HttpRequest) -> int | None:
    value = request.GET.get("after", "")
    return int(value) if value.isdigit() else None


def _next_query(request: HttpRequest, rows: list, size: int) -> str:  # type: ignore[type-arg]
    if len(rows) < size:
        return ""
    query = request.GET.copy()
    query["after"] = str(rows[-1].pk)
    return query.urlencode()


@login_required
def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    form = EnterpriseFilterForm(request.GET or None)
    rows = selectors.enterprise_list(user=staff_of(request), filters=form.to_filter(), after_id=_after(request))
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "rows": rows,
        "next_query": _next_query(request, rows, selectors.PAGE_SIZE),
        "query": query.urlencode(),
        "can_export": allows(staff_of(request), Action.EXPORT),
    }
    template = (
        "registry/_enterprise_rows.html" if request.headers.get("HX-Request") else "registry/enterprise_list.html"
    )
    return render(request, template, context)


@login_required
def enterprise_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(user=staff_of(request), pk=pk)
    workers = selectors.worker_list(
        user=staff_of(request),
        filters=selectors.WorkerFilter(enterprise_id=enterprise.pk),
        after_id=_after(request),
    )
    cadres = [a.cadre for a in enterprise.assignments.select_related("cadre")]
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "workers": workers,
            "cadres": cadres,
            "next_query": _next_query(request, workers, selectors.PAGE_SIZE),
        },
    )


@login_required
def worker_list_view(request: HttpRequest) -> HttpResponse:
    form = WorkerFilterForm(request.GET or None)
    q = request.GET.get("q", "").strip()
    refused = ""
    if q:
        try:
            rows = worker_search(actor=staff_of(request), q=q, limit=selectors.PAGE_SIZE)
        except DisclosureLimitReached as limit:
            rows, refused = [], str(limit)
        next_query = ""
    else:
        rows = selectors.worker_list(user=staff_of(request), filters=form.to_filter(), after_id=_after(request))
        next_query = _next_query(request, rows, selectors.PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "rows": rows,
        "next_query": next_query,
        "refused": refused,
        "query": query.urlencode(),
        "can_export": allows(staff_of(request), Action.EXPORT),
    }
    template = "registry/_worker_rows.html" if request.headers.get("HX-Request") else "registry/worker_list.html"
    return render(request, template, context)


@login_required
def worker_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(user=staff_of(request), pk=pk)
    household = selectors.household_of(worker=worker)
    household_data = selectors.household_get(user=staff_of(request), pk=household.pk) if household else None
    history = selectors.worker_history(worker=worker)
    return render(
        request,
        "registry/worker_detail.html",
        {
            "worker": worker,
            "h": household_data,
            "history": history,
            "can_reveal": allows(staff_of(request), Action.REVEAL),
        },
    )


@login_required
def household_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.household_get(user=staff_of(request), pk=pk)
    return render(
        request, "registry/household_detail.html", {"h": data, "can_reveal": allows(staff_of(request), Action.REVEAL)}
    )


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
    return render(request, "registry/_revealed.html", {"value": value})


@login_required
def export_view(request: HttpRequest, kind: str) -> FileResponse:
    """The filtered list, scoped and masked, as an xlsx download (the export is audited)."""
    user = staff_of(request)
    buffer = io.BytesIO()
    filters = {key: str(value) for key, value in request.GET.items() if value and key != "after"}
    if kind == "enterprises":
        form_e = EnterpriseFilterForm(request.GET or None)
        queryset_e = selectors.enterprise_queryset(user=user, filters=form_e.to_filter(), action=Action.EXPORT)
        export_enterprises(user=user, queryset=queryset_e, stream=buffer, filters=filters)
        label = "企业名册"
    elif kind == "workers":
        form_w = WorkerFilterForm(request.GET or None)
        queryset_w = selectors.worker_queryset(user=user, filters=form_w.to_filter(), action=Action.EXPORT)
        export_workers(user=user, queryset=queryset_w, stream=buffer, filters=filters)
        label = "职工名册"
    else:
        raise Http404
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(buffer, as_attachment=True, filename=f"{label}-{stamp}.xlsx")
