"""The bulletin (通报) pages: HTML, PDF and xlsx of a campaign as of a day, small counts withheld."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.orgs.auth import staff_of
from niangjia.reports.bulletin import Bulletin, bulletin_data, bulletin_pdf, bulletin_xlsx
from niangjia.reports.bulletin.data import chinese_date
from niangjia.reports.forms import ReportQuery
from niangjia.reports.selectors import campaigns as campaign_selectors


def _bulletin(request: HttpRequest, pk: int) -> Bulletin | ReportQuery:
    """The bulletin the user may read: their whole campaign, or — below its organization — their part of it."""
    query = ReportQuery(request.GET)
    if not query.is_valid():
        return query
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    reader: Any = user
    if user.role == Role.CADRE or user.org is None or campaign.org.path.startswith(user.org.path):
        # A published bulletin of the whole campaign (what its organization issues), protected throughout.
        base, reader = campaign.org, None
    else:
        base = user.org
    return bulletin_data(campaign=campaign, base=base, as_of=query.cleaned_data.get("as_of"), user=reader)


def _file(request: HttpRequest, bulletin: Bulletin, content: bytes, kind: str, mime: str) -> HttpResponse:
    with transaction.atomic():
        audit_record(
            actor=staff_of(request),
            action="reports.bulletin",
            target=bulletin.campaign,
            new={"org": bulletin.base.pk, "as_of": bulletin.as_of.isoformat(), "format": kind},
        )
    response = HttpResponse(content, content_type=mime)
    name = f"bulletin-{bulletin.campaign.pk}-{bulletin.base.pk}-{bulletin.as_of:%Y%m%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def bulletin_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The bulletin as a page, with its PDF and xlsx."""
    found = _bulletin(request, pk)
    if isinstance(found, ReportQuery):
        return render(request, "reports/bad_query.html", {"problems": found.problems()}, status=400)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/bulletin.html",
        {"b": found, "date": chinese_date(found.as_of), "query": f"?{query}" if query else ""},
    )


@login_required
def bulletin_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = _bulletin(request, pk)
    if isinstance(found, ReportQuery):
        return render(request, "reports/bad_query.html", {"problems": found.problems()}, status=400)
    return _file(request, found, bulletin_pdf(found), "pdf", "application/pdf")


@login_required
def bulletin_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = _bulletin(request, pk)
    if isinstance(found, ReportQuery):
        return render(request, "reports/bad_query.html", {"problems": found.problems()}, status=400)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _file(request, found, bulletin_xlsx(found), "xlsx", mime)
