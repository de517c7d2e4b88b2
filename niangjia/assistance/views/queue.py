"""The work queue page (one card per household), its status and assignment forms, its xlsx export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.assistance.choices import ItemStatus
from niangjia.assistance.exporting import export_queue
from niangjia.assistance.forms import AssignForm, StatusForm, errors_text
from niangjia.assistance.selectors import queue as selectors
from niangjia.assistance.services import queue_assign, queue_item_set_status
from niangjia.assistance.views.common import int_or_none, refused
from niangjia.core.filtering import filter_fields
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, allows, require_action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors
from niangjia.screening.pack import current_policies, policy_names


def _links(cards: list[selectors.Card], *, can_change: bool) -> None:
    """Each card's and item's links, built from one `reverse` each (a page has dozens of them)."""
    household = reverse("assistance:household", args=[0])[: -len("0/")]
    status = reverse("assistance:item_status", args=[0])[: -len("0/status/")]
    apply, archive_new = reverse("assistance:apply"), reverse("assistance:archive_new")
    application = reverse("assistance:application", args=[0])[: -len("0/")]
    reviews = reverse("assistance:archive_list") + "?review_due=1"
    for card in cards:
        card.url = f"{household}{card.household_id}/"  # type: ignore[attr-defined]
        for item in card.items:
            item.status_url = f"{status}{item.pk}/status/"  # type: ignore[attr-defined]
            item.link, item.link_label, item.link_primary = "", "", False  # type: ignore[attr-defined]
            if getattr(item, "application_id", None):
                item.link, item.link_label = f"{application}{item.application_id}/", "查看申请"  # type: ignore[attr-defined]
            elif getattr(item, "payable", False) and can_change:
                member = f"&member={item.member_id}" if item.member_id else ""
                item.link = f"{apply}?household={card.household_id}&policy={item.policy_id}{member}"  # type: ignore[attr-defined]
                item.link_label, item.link_primary = "去办理", True  # type: ignore[attr-defined]
            elif item.policy_id == "hardship_archive" and can_change:
                item.link, item.link_label = f"{archive_new}?household={card.household_id}", "去建档"  # type: ignore[attr-defined]
            elif item.policy_id == "archive_review":
                item.link, item.link_label = reviews, "年度复核"  # type: ignore[attr-defined]


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    """The households to help in scope: one card each, with every policy, amount, missing paper and status."""
    user = staff_of(request)
    if not allows(user, Action.SENSITIVE):
        raise PermissionDenied("帮扶待办涉及家庭收入、健康等敏感情况，您的角色只能查看政策找人的汇总。")
    filters = selectors.QueueFilter.from_query(request.GET)
    after = request.GET.get("after", "")[:40]
    cards, next_cursor = selectors.queue_page(user=user, filters=filters, after=after)
    _links(cards, can_change=allows(user, Action.CHANGE))
    choices = selectors.queue_choices(user=user)
    context = {
        "cards": cards,
        "more": bool(after),
        "filters": filters,
        "fields": filter_fields(filters, choices),
        "described": filters.describe(choices),
        "next_query": filters.query(after=next_cursor) if next_cursor else "",
        "export_query": filters.query(),
        "names": policy_names(current_policies()),
        "can_change": allows(user, Action.CHANGE),
        "can_assign": user.role in (Role.CITY_ADMIN, Role.DISTRICT_STAFF) or user.is_superuser,
        "can_export": allows(user, Action.EXPORT),
        "can_round": allows(user, Action.CHANGE),
    }  # fmt: skip
    template = "assistance/_queue_cards.html" if request.headers.get("HX-Request") else "assistance/queue.html"
    return render(request, template, context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/assistance/") and "//" not in target else "/assistance/"


@login_required
@require_POST
def item_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Set where the household stands with one policy (a refusal changes nothing)."""
    user = staff_of(request)
    item = selectors.queue_item_get(user=user, pk=pk, action=Action.CHANGE)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(_back(request))
    try:
        queue_item_set_status(
            actor=user, item=item, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"已更新为“{ItemStatus(form.cleaned_data['status']).label}”。")
    except ValidationError as exc:
        refused(request, exc)
    return redirect(_back(request))


@login_required
@require_POST
def assign_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """Give a household's card to a cadre, or take it back (empty)."""
    user = staff_of(request)
    entry = selectors.queue_entry_get(user=user, household_id=household_id, action=Action.CHANGE)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(_back(request))
    assignee = None
    if form.cleaned_data["assignee"]:
        household = entry.household
        assignee = next((c for c in selectors.assignable_cadres(user=user, household=household)
                         if c.pk == form.cleaned_data["assignee"]), None)  # fmt: skip
        if assignee is None:
            messages.error(request, "负责干部：请从联系该家庭企业的干部中选择。")
            return redirect(_back(request))
    try:
        queue_assign(actor=user, entry=entry, assignee=assignee)
        messages.success(
            request, f"已分派给 {assignee.display_name or assignee.username}。" if assignee else "已取消分派。"
        )
    except ValidationError as exc:
        refused(request, exc)
    return redirect(_back(request))


@login_required
def household_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """One household's card on its own page: its policies, who works on it, and the assignment form."""
    user = staff_of(request)
    entry = selectors.queue_entry_get(user=user, household_id=household_id)
    card = selectors.cards_for([entry])[0]
    _links([card], can_change=allows(user, Action.CHANGE))
    data = registry_selectors.household_get(user=user, pk=household_id)
    context = {
        "card": card,
        "cards": [card],
        "forms": True,
        "here": request.get_full_path(),
        "h": data,
        "names": policy_names(current_policies()),
        "cadres": selectors.assignable_cadres(user=user, household=entry.household),
        "can_assign": user.role in (Role.CITY_ADMIN, Role.DISTRICT_STAFF) or user.is_superuser,
        "can_change": allows(user, Action.CHANGE),
        "statuses": [(s.value, s.label) for s in ItemStatus if s in (ItemStatus.PENDING, ItemStatus.CONTACTED,
                                                                      ItemStatus.COLLECTING, ItemStatus.DECLINED)],
    }  # fmt: skip
    return render(request, "assistance/household.html", context)


@login_required
def export_view(request: HttpRequest) -> HttpResponseBase:
    """The queue as the page shows it (same filter), as xlsx; the export is audited."""
    user = staff_of(request)
    require_action(user, Action.EXPORT)
    filters = selectors.QueueFilter.from_query(request.GET)
    buffer = io.BytesIO()
    export_queue(user=user, filters=filters, out=buffer, choices=selectors.queue_choices(user=user))
    buffer.seek(0)
    name = f"帮扶待办-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


def cursor_param(request: HttpRequest) -> int | None:
    return int_or_none(request.GET.get("before"))
