"""Report pages: the leaders' dashboard, indicator tables, the records behind a cell, exports, refresh."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows
from niangjia.orgs.auth import staff_of
from niangjia.reports import exports, indicators
from niangjia.reports.choices import Grouping
from niangjia.reports.formatting import HIDDEN_NOTE
from niangjia.reports.forms import ReportQuery
from niangjia.reports.selectors import campaigns as campaign_selectors
from niangjia.reports.selectors import records as record_selectors
from niangjia.reports.selectors.dashboard import dashboard_data
from niangjia.reports.selectors.tables import indicator_table, table_url
from niangjia.reports.services import may_refresh, refresh_request


def _query(request: HttpRequest) -> tuple[ReportQuery, dict[str, Any]]:
    query = ReportQuery(request.GET)
    return query, (query.cleaned_data if query.is_valid() else {})


def _bad(request: HttpRequest, query: ReportQuery) -> HttpResponse:
    return render(request, "reports/bad_query.html", {"problems": query.problems()}, status=400)


def _place(request: HttpRequest, pk: int | None, data: dict[str, Any]) -> dict[str, Any]:
    """The campaign and organization a page is about, within the user's reach."""
    user = staff_of(request)
    campaign = (
        campaign_selectors.campaign_get(user=user, pk=pk)
        if pk is not None
        else campaign_selectors.campaign_default(user=user)
    )
    if user.role == Role.CADRE:
        base = campaign.org if campaign is not None else user.org
    else:
        base = campaign_selectors.base_org(user=user, pk=data.get("org"))
    return {
        "user": user,
        "campaign": campaign,
        "base": base,
        "campaigns": list(campaign_selectors.campaign_list(user=user)[:50]),
        "crumbs": campaign_selectors.breadcrumbs(user=user, org=base) if base and user.role != Role.CADRE else [],
        "may_refresh": may_refresh(user),
        "hidden_note": HIDDEN_NOTE,
        "as_of": data.get("as_of"),
    }


@login_required
def dashboard_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The leaders' dashboard of a campaign (the latest active one by default) for an organization."""
    return dashboard_page(request, pk)


def dashboard_page(
    request: HttpRequest, pk: int | None = None, *, template: str = "reports/dashboard.html", extra: Any = None
) -> HttpResponse:
    """Render the dashboard into `template` (the home page of leaders and staff extends it), with `extra` context."""
    query, data = _query(request)
    if query.errors:
        return _bad(request, query)
    context = _place(request, pk or data.get("campaign"), data) | dict(extra or {})
    if context["campaign"] is not None:
        context |= dashboard_data(
            user=context["user"], campaign=context["campaign"], base=context["base"], as_of=data.get("as_of")
        )
        context["full_table"] = table_url(context["campaign"], org=context["base"].pk)
    return render(request, template, context)


@login_required
def table_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every indicator of a campaign for the organizations below one (or its cadres), section by section,
    each with its definition beside it."""
    query, data = _query(request)
    if query.errors:
        return _bad(request, query)
    context = _place(request, pk, data)
    user, campaign, base = context["user"], context["campaign"], context["base"]
    by = Grouping.CADRE if user.role == Role.CADRE else (data.get("by") or Grouping.ORG)
    tables = [
        (section, indicator_table(user=user, campaign=campaign, base=base, items=items, by=by, as_of=data.get("as_of")))
        for section, items in indicators.sections()
        if not data.get("section") or section == data["section"]
    ]
    context |= {
        "tables": tables,
        "by": by,
        "refresh": campaign_selectors.last_refresh(campaign=campaign),
        "by_org_url": table_url(campaign, org=base.pk, as_of=data.get("as_of")),
        "by_cadre_url": table_url(campaign, org=base.pk, by=Grouping.CADRE, as_of=data.get("as_of")),
        "export_url": reverse("reports:export", args=[campaign.pk]) + "?" + request.GET.urlencode(),
    }
    return render(request, "reports/table.html", context)


@login_required
def records_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The records behind one number: what it counts, scoped, 50 at a time."""
    query, data = _query(request)
    item = indicators.BY_CODE.get(code)
    if query.errors:
        return _bad(request, query)
    if item is None or item.source is None:
        return render(request, "reports/bad_query.html", {"problems": "指标不存在或没有可列出的记录。"}, status=404)
    context = _place(request, pk, data)
    user = context["user"]
    qs = record_selectors.cell_queryset(
        user=user,
        campaign=context["campaign"],
        item=item,
        base=context["base"],
        direct=bool(data.get("direct")),
        cadre_id=data.get("cadre"),
        as_of=data.get("as_of"),
    )
    page = record_selectors.cell_records(
        qs=qs, item=item, sensitive=allows(user, Action.SENSITIVE), after=data.get("after")
    )
    more = request.GET.copy()
    more["after"] = str(page.next_after or "")
    context |= {
        "item": item,
        "page": page,
        "next_url": f"?{more.urlencode()}" if page.next_after else None,
        "direct": bool(data.get("direct")),
        "cadre": data.get("cadre"),
        "back_url": table_url(context["campaign"], org=context["base"].pk, as_of=data.get("as_of")),
    }
    return render(request, "reports/records.html", context)


@login_required
def export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every indicator table of the page as xlsx, as the page shows it, with its as-of time; audited."""
    query, data = _query(request)
    if query.errors:
        return _bad(request, query)
    context = _place(request, pk, data)
    user, campaign, base = context["user"], context["campaign"], context["base"]
    by = Grouping.CADRE if user.role == Role.CADRE else (data.get("by") or Grouping.ORG)
    tables = [
        (section, indicator_table(user=user, campaign=campaign, base=base, items=items, by=by, as_of=data.get("as_of")))
        for section, items in indicators.sections()
        if not data.get("section") or section == data["section"]
    ]
    content = exports.tables_xlsx(
        user=user,
        campaign=campaign,
        base=base,
        tables=tables,
        refresh=campaign_selectors.last_refresh(campaign=campaign),
    )
    name = f"indicators-{campaign.pk}-{base.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def definitions_view(request: HttpRequest) -> HttpResponse:
    """Every indicator with its definition and unit."""
    return render(request, "reports/definitions.html", {"sections": indicators.sections()})


@login_required
@require_POST
def refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a refresh of a campaign's counts (city and district staff)."""
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    try:
        refresh_request(campaign=campaign, actor=user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已开始刷新统计数据，几分钟内完成后刷新页面即可看到。")
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/reports/") else reverse("reports:campaign", args=[pk]))
