"""Campaign pages: the list, one campaign, the create and edit form (targets per district as a formset),
and the activate and close buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.outreach.choices import CampaignStatus, EnterpriseGroup, WorkerGroup
from niangjia.outreach.forms.campaigns import CampaignForm, CloseForm, TargetFormSet
from niangjia.outreach.models import Campaign
from niangjia.outreach.selectors import campaigns as selectors
from niangjia.outreach.selectors import pairing as pairing_selectors
from niangjia.outreach.services.campaigns import campaign_activate, campaign_close, campaign_create, campaign_update
from niangjia.outreach.views.moves import campaign_move


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@login_required
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    """The campaigns the user sees, latest first; a 新建 button for those who may run one."""
    user = staff_of(request)
    status = request.GET.get("status", "")
    page = selectors.campaign_page(user=user, status=status, page=_page_number(request))
    context = {
        "page": page,
        "status": status if status in CampaignStatus.values else "",
        "statuses": CampaignStatus.choices,
        "can_create": bool(selectors.organizer_choices(user=user)),
    }
    return render(request, "outreach/campaign_list.html", context)


def _labels(values: list[str], choices: Any) -> list[str]:
    names = dict(choices)
    return [names[v] for v in values if v in names]


@login_required
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One campaign: period, scope, target groups, targets per district, the pairing's figures, its actions."""
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    may_run = selectors.may_run(user=user, campaign=campaign)
    context = {
        "c": campaign,
        "scope": selectors.campaign_scope(campaign=campaign),
        "targets": selectors.campaign_targets(campaign=campaign),
        "enterprise_groups": _labels(campaign.enterprise_groups, EnterpriseGroup.choices),
        "worker_groups": _labels(campaign.worker_groups, WorkerGroup.choices),
        "run": pairing_selectors.latest_run(campaign=campaign),
        "totals": pairing_selectors.pairing_totals(user=user, campaign=campaign),
        "may_run": may_run,
        "may_edit": may_run and campaign.status != CampaignStatus.CLOSED,
        "may_activate": may_run and campaign.status == CampaignStatus.DRAFT,
        "close_form": CloseForm() if may_run and campaign.status != CampaignStatus.CLOSED else None,
    }
    return render(request, "outreach/campaign_detail.html", context)


def _forms(
    request: HttpRequest, user: StaffUser, campaign: Campaign | None
) -> tuple[CampaignForm, Any, UnionOrg | None]:
    """The campaign form and the targets formset, bound on POST; initial values from the campaign."""
    organizers = selectors.organizer_choices(user=user)
    if not organizers:
        raise PermissionDenied("只有市总工会和区县总工会的工作人员可以组织走访活动。")
    organizer = campaign.org if campaign else organizers[0]
    initial: dict[str, Any] = {"enterprises_per_cadre": 1}
    rows: list[dict[str, Any]] = []
    if campaign is not None:
        initial = {
            "name": campaign.name, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
            "orgs": list(campaign.orgs.all()), "areas": list(campaign.areas.all()),
            "enterprise_groups": campaign.enterprise_groups, "worker_groups": campaign.worker_groups,
            "enterprises_per_cadre": campaign.enterprises_per_cadre, "cross_district": campaign.cross_district,
        }  # fmt: skip
        rows = [{"org": t.org, "enterprises": t.enterprises, "homes": t.homes}
                for t in selectors.campaign_targets(campaign=campaign)]  # fmt: skip
    named = {row["org"].pk for row in rows}
    rows += [{"org": org} for org in selectors.default_target_orgs(organizer=organizer) if org.pk not in named]
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(
        data, initial=initial, organizers=organizers, fixed_org=campaign.org if campaign else None,
        scope_orgs=selectors.scope_org_choices(user=user), areas=selectors.area_choices(user=user),
    )  # fmt: skip
    target_orgs = selectors.target_org_choices(user=user, organizer=campaign.org if campaign else None)
    formset = TargetFormSet(data, initial=rows, prefix="targets", form_kwargs={"orgs": target_orgs})
    return form, formset, organizer


def _save(
    user: StaffUser, form: CampaignForm, formset: Any, campaign: Campaign | None, target_errors: list[str]
) -> Campaign | None:
    """Call the service with the forms' data; put its refusals back on the forms (targets' in `target_errors`)."""
    try:
        data = form.data_with(formset.targets())
        if campaign is None:
            return campaign_create(actor=user, data=data)
        return campaign_update(actor=user, campaign=campaign, data=data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            if field == "targets":
                target_errors.extend(errors)
            else:
                form.add_error(field if field in form.fields else None, errors)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _form_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    user = staff_of(request)
    form, formset, organizer = _forms(request, user, campaign)
    target_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = _save(user, form, formset, campaign, target_errors)
        if saved is not None:
            messages.success(request, f"已保存走访活动“{saved.name}”。")
            return redirect("outreach:campaign_detail", pk=saved.pk)
    invalid = bool(form.errors or formset.total_error_count() or target_errors)
    context = {"form": form, "formset": formset, "c": campaign, "organizer": organizer, "target_errors": target_errors}
    return render(request, "outreach/campaign_form.html", context, status=400 if invalid else 200)


@login_required
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    """New campaign: city or district staff only."""
    return _form_page(request, None)


@login_required
def campaign_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a campaign that has not ended (staff at or above its organizer)."""
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    if not selectors.may_run(user=user, campaign=campaign):
        raise PermissionDenied("只有主办组织及其上级的市总、区县总工作人员可以修改该活动。")
    if campaign.status == CampaignStatus.CLOSED:
        messages.error(request, "已结束的走访活动不能修改。")
        return redirect("outreach:campaign_detail", pk=pk)
    return _form_page(request, campaign)


@login_required
@require_POST
def campaign_activate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return campaign_move(request, pk, campaign_activate, "走访活动已启动。", back="outreach:campaign_detail")


@login_required
@require_POST
def campaign_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    form = CloseForm(request.POST)
    keep = form.is_valid() and form.cleaned_data["keep_pairing"]
    try:
        campaign_close(actor=user, campaign=campaign, keep_pairing=keep)
        messages.success(request, "走访活动已结束。" + ("结对保留。" if keep else "干部与企业的结对已解除。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("outreach:campaign_detail", pk=pk)
