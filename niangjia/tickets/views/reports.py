"""The ticket report page and its xlsx export: one filter (`reporting.TicketReportFilter`), the same rows."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from niangjia.core.filtering import filter_fields
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.tickets import reporting
from niangjia.tickets.exporting import report_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def report_view(request: HttpRequest) -> HttpResponse:
    """Received, closed and overdue by channel, kind and organization, within a period and an organization."""
    user = staff_of(request)
    now = timezone.now()
    filters = reporting.TicketReportFilter.from_query(request.GET)
    choices = reporting.report_choices(user=user)
    report = reporting.ticket_report(user=user, now=now, filters=filters)
    women = reporting.women_reply_report(user=user, now=now, filters=filters)
    context = {
        "report": report,
        "summary": reporting.report_summary(report, women),
        "tables": reporting.report_tables(report),
        "women": women,
        "filters": filters,
        "fields": filter_fields(filters, choices),
        "described": filters.describe(choices),
        "query": filters.query(),
        "can_export": allows(user, Action.EXPORT),
    }
    return render(request, "tickets/report.html", context)


@login_required
def report_export_view(request: HttpRequest) -> HttpResponse:
    """The report as xlsx: the page's rows for the same filter, with the as-of time."""
    user = staff_of(request)
    require_action(user, Action.EXPORT)
    filters = reporting.TicketReportFilter.from_query(request.GET)
    stream = io.BytesIO()
    now = timezone.now()
    report_export(user=user, filters=filters, stream=stream, choices=reporting.report_choices(user=user), now=now)
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tickets-report-{stamp}.xlsx"'
    return response
