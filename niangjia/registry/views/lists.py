"""The registry's lists and their export: one filter object each, from the query string to the file.

The page, its "加载更多" rows, its export link and the export itself read the same filter
(`EnterpriseFilter`, `WorkerFilter` in `registry.selectors`), so the file holds exactly the rows
the page shows. A filter change swaps the whole list (export link included), so the link always
carries the filters on screen.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape

from niangjia.core.disclosure import DisclosureLimitReached
from niangjia.core.filtering import Choices, ListFilter, filter_fields
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import StaffUser
from niangjia.registry import selectors
from niangjia.registry.exporting import export_enterprises, export_workers
from niangjia.registry.services import worker_search


def after_id(request: HttpRequest) -> int | None:
    """The keyset cursor of a "加载更多" request."""
    value = request.GET.get("after", "")
    return int(value) if value.isdigit() else None


def next_query(filters: ListFilter, rows: list[Any], size: int = selectors.PAGE_SIZE) -> str:
    """The query string of the next page, or "" on the last one."""
    if len(rows) < size:
        return ""
    return filters.query(after=rows[-1].pk)


def enterprise_choices(user: StaffUser, filters: selectors.EnterpriseFilter) -> dict[str, Choices]:
    return {"area": selectors.area_choices(user=user)}


def worker_choices(user: StaffUser, filters: selectors.WorkerFilter) -> dict[str, Choices]:
    choices = {"area": selectors.area_choices(user=user)}
    enterprises = selectors.enterprise_choices(user=user, chosen=filters.enterprise_id)
    if enterprises is not None:
        choices["enterprise_id"] = enterprises
    return choices


def _render_list(
    request: HttpRequest, name: str, filters: ListFilter, choices: dict[str, Choices], **context: Any
) -> HttpResponse:
    """The full page, the list (a filter change) or its next rows ("加载更多") of `name`'s list."""
    context |= {
        "kind": f"{name}s",
        "filters": filters,
        "fields": filter_fields(filters, choices),
        "described": filters.describe(choices),
        "query": filters.query(),
        "can_export": allows(staff_of(request), Action.EXPORT),
    }
    if not request.headers.get("HX-Request"):
        template = f"registry/{name}_list.html"
    elif request.headers.get("HX-Target") == "list":
        template = f"registry/_{name}_list.html"
    else:
        template = f"registry/_{name}_rows.html"
    return render(request, template, context)


@login_required
def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    user = staff_of(request)
    filters = selectors.EnterpriseFilter.from_query(request.GET)
    rows = selectors.enterprise_list(user=user, filters=filters, after_id=after_id(request))
    choices = enterprise_choices(user, filters)
    return _render_list(request, "enterprise", filters, choices, rows=rows, next_query=next_query(filters, rows))


@login_required
def worker_list_view(request: HttpRequest) -> HttpResponse:
    """The worker list; a search (`q`) narrows the other filters and goes through the audited service."""
    user = staff_of(request)
    filters = selectors.WorkerFilter.from_query(request.GET)
    refused = ""
    try:
        rows = worker_search(actor=user, filters=filters, after_id=after_id(request), limit=selectors.PAGE_SIZE)
    except DisclosureLimitReached as limit:
        rows, refused = [], str(limit)
    choices = worker_choices(user, filters)
    return _render_list(
        request, "worker", filters, choices, rows=rows, refused=refused, next_query=next_query(filters, rows)
    )


@login_required
def export_view(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The list as the page shows it, scoped and masked, as an xlsx download (the export is audited)."""
    user = staff_of(request)
    require_action(user, Action.EXPORT)
    buffer = io.BytesIO()
    try:
        label = _export(user, kind, request.GET, buffer)
    except DisclosureLimitReached as limit:
        return HttpResponse(escape(str(limit)), status=429)
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(buffer, as_attachment=True, filename=f"{label}-{stamp}.xlsx")


def _export(user: StaffUser, kind: str, query: QueryDict, buffer: io.BytesIO) -> str:
    """Write the export of `kind` filtered by `query` to `buffer`; return its title."""
    if kind == "enterprises":
        enterprise_filter = selectors.EnterpriseFilter.from_query(query)
        enterprises = selectors.enterprise_queryset(user=user, filters=enterprise_filter, action=Action.EXPORT)
        export_enterprises(
            user=user, queryset=enterprises, stream=buffer, filters=enterprise_filter,
            choices=enterprise_choices(user, enterprise_filter),
        )  # fmt: skip
        return "企业名册"
    if kind == "workers":
        worker_filter = selectors.WorkerFilter.from_query(query)
        workers = selectors.worker_queryset(user=user, filters=worker_filter, action=Action.EXPORT)
        if selectors.identifier_kind(worker_filter.q):
            # A whole ID or phone number confirms a guess: the same audited, budgeted search as the page.
            found = worker_search(actor=user, filters=worker_filter, limit=selectors.PAGE_SIZE)
            workers = workers.filter(pk__in=[w.pk for w in found])
        export_workers(
            user=user, queryset=workers, stream=buffer, filters=worker_filter,
            choices=worker_choices(user, worker_filter),
        )  # fmt: skip
        return "职工名册"
    raise Http404
