"""The pairing page of a campaign: the latest run against the round-robin baseline, a map and a table of
the pairings in scope (paginated), and the forms to run, try, publish, swap, fix and exclude."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import StaffUser
from niangjia.outreach.choices import CampaignStatus
from niangjia.outreach.forms.pairing import ExclusionForm, FilterForm, FixForm, RunForm, SwapForm
from niangjia.outreach.models import Campaign
from niangjia.outreach.selectors import campaigns as campaign_selectors
from niangjia.outreach.selectors import pairing as selectors
from niangjia.outreach.services.campaigns import is_runner
from niangjia.outreach.services.pairing import (
    WEB_MAX_ENTERPRISES,
    exclusion_add,
    exclusion_remove,
    pairing_fix,
    pairing_publish,
    pairing_release,
    pairing_run,
    pairing_swap,
    pairing_unfix,
)
from niangjia.outreach.views.moves import campaign_move, refused


def _may_edit(user: StaffUser, campaign: Campaign) -> bool:
    return is_runner(user) and campaign.status != CampaignStatus.CLOSED


def _filters(request: HttpRequest, user: StaffUser, campaign: Campaign) -> tuple[FilterForm, dict[str, Any]]:
    districts = selectors.district_choices(user=user, campaign=campaign)
    form = FilterForm(request.GET or None)
    form.fields["district"].choices = [("", "全部区县"), *((d.pk, d.name) for d in districts)]  # type: ignore[attr-defined]
    values: dict[str, Any] = {"district": None, "q": ""}
    if form.is_valid():
        values.update(form.cleaned_data)
    raw = request.GET.get("page", "1")
    values["page"] = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    return form, values


@login_required
def pairing_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The pairing of one campaign, as far as the user's scope reaches."""
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    form, values = _filters(request, user, campaign)
    district = selectors.district_get(campaign=campaign, pk=values["district"])
    page = selectors.pairing_page(user=user, campaign=campaign, district=district, q=values["q"], page=values["page"])
    pairings = list(page.object_list)
    run = selectors.latest_run(campaign=campaign)
    may_run = campaign_selectors.may_run(user=user, campaign=campaign) and campaign.status != CampaignStatus.CLOSED
    may_edit = _may_edit(user, campaign)
    query = {k: v for k, v in (("district", values["district"]), ("q", values["q"])) if v}
    context = {
        "c": campaign,
        "page": page,
        "pairings": pairings,
        "points": selectors.map_points(pairings),
        "tile_url": settings.MAP_TILE_URL,
        "filter_form": form,
        "query": urlencode(query),
        "run": run,
        "saving": saving(run.mean_km, run.baseline_mean_km) if run else None,
        "gap": float(run.gap) * 100 if run and run.gap is not None and not run.optimal else None,
        "districts": selectors.district_rows(user=user, run=run),
        "totals": selectors.pairing_totals(user=user, campaign=campaign),
        "may_run": may_run,
        "may_edit": may_edit,
        "run_form": RunForm(
            initial={"enterprises_per_cadre": campaign.enterprises_per_cadre, "cross_district": campaign.cross_district}
        )
        if may_run
        else None,
        "swap_form": SwapForm() if may_edit else None,
        "fix_form": FixForm() if may_edit else None,
        "exclusion_form": ExclusionForm() if may_edit else None,
        "exclusions": selectors.exclusions(user=user, campaign=campaign) if may_edit else [],
    }
    return render(request, "outreach/pairing_page.html", context)


def saving(mean: Decimal | float | None, baseline: Decimal | float | None) -> float | None:
    """How much shorter than the round-robin baseline, in percent."""
    if mean is None or not baseline:
        return None
    return (float(baseline) - float(mean)) / float(baseline) * 100


BACK = "outreach:pairing"


def _back(pk: int) -> HttpResponse:
    return redirect(BACK, pk=pk)


@login_required
@require_POST
def pairing_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the solver (or only try it: the figures are shown and nothing is saved)."""
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "每名干部结对企业数应为 1 到 50 之间的整数。")
        return _back(pk)
    size = selectors.campaign_size(campaign=campaign)
    if size > WEB_MAX_ENTERPRISES:
        messages.error(
            request, f"该活动有 {size:,} 家企业，超过网页一次计算的上限 {WEB_MAX_ENTERPRISES:,} 家；"
            f"请由管理员在服务器上运行：niangjia pair {campaign.pk}",
        )  # fmt: skip
        return _back(pk)
    data = form.cleaned_data
    try:
        outcome = pairing_run(
            actor=user, campaign=campaign, enterprises_per_cadre=data["enterprises_per_cadre"],
            cross_district=data["cross_district"], dry_run=data["dry_run"],
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
        return _back(pk)
    if data["dry_run"]:
        found = outcome.solution
        preview = {
            "total": found.total_km, "mean": found.mean_km, "baseline_total": found.baseline_total_km,
            "baseline_mean": found.baseline_mean_km, "saving": saving(found.mean_km, found.baseline_mean_km),
        }  # fmt: skip
        return render(request, "outreach/pairing_preview.html", {"c": campaign, "o": outcome, "preview": preview})
    messages.success(request, f"已完成结对计算：{outcome.solution.paired:,} 对。")
    return _back(pk)


@login_required
@require_POST
def pairing_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return campaign_move(request, pk, pairing_publish, "结对已发布：干部的联系企业已按结对更新。", back=BACK)


@login_required
@require_POST
def pairing_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    return campaign_move(request, pk, pairing_release, "结对已解除：干部不再联系该活动结对的企业。", back=BACK)


@login_required
@require_POST
def pairing_swap_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Exchange the cadres of two enterprises' pairings."""
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    form = SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写要交换干部的两家企业（名称或统一社会信用代码）。")
        return _back(pk)
    try:
        first = selectors.pairing_of_enterprise(user=user, campaign=campaign, text=form.cleaned_data["first"])
        second = selectors.pairing_of_enterprise(user=user, campaign=campaign, text=form.cleaned_data["second"])
        pairing_swap(actor=user, first=first, second=second)
        messages.success(request, f"已交换“{first.enterprise.name}”与“{second.enterprise.name}”的结对干部。")
    except (ValidationError, PermissionDenied, Http404) as exc:
        refused(request, exc)
    return _back(pk)


@login_required
@require_POST
def pairing_fix_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Pair a cadre with an enterprise by hand (fixed)."""
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    form = FixForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写企业（名称或统一社会信用代码）和工会干部（用户名或姓名）。")
        return _back(pk)
    try:
        enterprise = selectors.enterprise_find(user=user, text=form.cleaned_data["enterprise"])
        cadre = selectors.cadre_find(user=user, text=form.cleaned_data["cadre"])
        pairing_fix(actor=user, campaign=campaign, cadre=cadre, enterprise=enterprise)
        messages.success(request, f"已固定结对：{cadre} → {enterprise.name}。")
    except (ValidationError, PermissionDenied, Http404) as exc:
        refused(request, exc)
    return _back(pk)


@login_required
@require_POST
def pairing_unfix_view(request: HttpRequest, pk: int, pairing_pk: int) -> HttpResponse:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    try:
        pairing = selectors.pairing_get(user=user, campaign=campaign, pk=pairing_pk)
        pairing_unfix(actor=user, pairing=pairing)
        messages.success(request, f"已取消固定：{pairing.enterprise.name}。")
    except (ValidationError, PermissionDenied, Http404) as exc:
        refused(request, exc)
    return _back(pk)


@login_required
@require_POST
def exclusion_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    form = ExclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写企业、工会干部和不结对的原因。")
        return _back(pk)
    try:
        enterprise = selectors.enterprise_find(user=user, text=form.cleaned_data["enterprise"])
        cadre = selectors.cadre_find(user=user, text=form.cleaned_data["cadre"])
        exclusion_add(
            actor=user, campaign=campaign, cadre=cadre, enterprise=enterprise, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"已登记不结对：{cadre} ✕ {enterprise.name}。")
    except (ValidationError, PermissionDenied, Http404) as exc:
        refused(request, exc)
    return _back(pk)


@login_required
@require_POST
def exclusion_remove_view(request: HttpRequest, pk: int, exclusion_pk: int) -> HttpResponse:
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    try:
        exclusion_remove(actor=user, exclusion=selectors.exclusion_get(user=user, campaign=campaign, pk=exclusion_pk))
        messages.success(request, "已撤销不结对。")
    except (ValidationError, PermissionDenied, Http404) as exc:
        refused(request, exc)
    return _back(pk)
