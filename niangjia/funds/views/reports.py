"""The fund report page and its xlsx export: one filter, the same tables."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows, require_action
from niangjia.funds import reporting
from niangjia.funds.exporting import report_export
from niangjia.orgs.auth import staff_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def report_view(request: HttpRequest) -> HttpResponse:
    """Balances by programme and federation, payments by month, within the user's scope."""
    user = staff_of(request)
    filters = reporting.FundReportFilter.from_query(request.GET)
    choices = reporting.report_choices(user=user)
    context = {
        "report": reporting.fund_report(user=user, filters=filters),
        "fields": filter_fields(filters, choices),
        "described": filters.describe(choices),
        "query": filters.query(),
        "as_of": timezone.now(),
        "can_export": allows(user, Action.EXPORT),
    }
    return render(request, "funds/report.html", context)


@login_required
def report_export_view(request: HttpRequest) -> HttpResponse:
    """The report as xlsx, for the same filter."""
    user = staff_of(request)
    require_action(user, Action.EXPORT)
    filters = reporting.FundReportFilter.from_query(request.GET)
    stream = io.BytesIO()
    report_export(user=user, filters=filters, stream=stream, choices=reporting.report_choices(user=user))
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="funds-report-{stamp}.xlsx"'
    return response
