"""Hazard steps on a ticket's page: triage, the rectification order, the referral, the 四不放过 checklist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import StaffUser
from niangjia.tickets import selectors
from niangjia.tickets.choices import ACCIDENT_CHECKLIST, OPEN_STATUSES
from niangjia.tickets.forms import ChecklistForm, RectifyForm, ReferForm, TriageForm, errors_text
from niangjia.tickets.hazards import (
    hazard_checklist_update,
    hazard_rectification_order,
    hazard_refer,
    hazard_triage,
    referral_due,
)
from niangjia.tickets.models import Ticket
from niangjia.tickets.workflow import Move, Transition

Step = Callable[[StaffUser, Ticket, dict[str, Any]], None]


def hazard_context(ticket: Ticket, *, moves: list[Transition], may_change: bool) -> dict[str, Any]:
    """The hazard part of a ticket's page: its facts and the forms of the steps the user may take now."""
    is_open = ticket.status in OPEN_STATUSES
    checked = {field: getattr(ticket, field) for field, _ in ACCIDENT_CHECKLIST}
    return {
        "checklist": [(label, checked[field]) for field, label in ACCIDENT_CHECKLIST],
        "triage_form": TriageForm() if any(m.move == Move.TRIAGE for m in moves) else None,
        "rectify_form": RectifyForm(initial={"rectify_by": ticket.rectify_by})
        if may_change and is_open and ticket.hazard_grade
        else None,
        "refer_form": ReferForm() if may_change and referral_due(ticket, today=timezone.localdate()) else None,
        "checklist_form": ChecklistForm(initial=checked) if may_change else None,
        "referral_due": referral_due(ticket, today=timezone.localdate()),
    }


def _step(request: HttpRequest, pk: int, form_class: type[forms.Form], run: Step) -> HttpResponse:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("tickets:detail", pk=pk)
    try:
        run(user, ticket, form.cleaned_data)
        messages.success(request, "已办理。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("tickets:detail", pk=pk)


@login_required
@require_POST
def triage_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Grade a hazard 一般 or 重大 and accept it."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> None:
        hazard_triage(actor=user, ticket=ticket, grade=data["grade"], note=data["note"])

    return _step(request, pk, TriageForm, run)


@login_required
@require_POST
def rectify_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Order the enterprise concerned to rectify by a date."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> None:
        enterprise = selectors.enterprise_find(user=user, text=data["enterprise"])
        if data["enterprise"].strip() and enterprise is None:
            raise ValidationError({"enterprise": "管辖范围内没有这个企业，请核对名称或统一社会信用代码。"})
        hazard_rectification_order(actor=user, ticket=ticket, rectify_by=data["rectify_by"], enterprise=enterprise)

    return _step(request, pk, RectifyForm, run)


@login_required
@require_POST
def refer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the referral to 应急管理部门."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> None:
        hazard_refer(actor=user, ticket=ticket, note=data["note"])

    return _step(request, pk, ReferForm, run)


@login_required
@require_POST
def checklist_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the 四不放过 checklist."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> None:
        checked = {field: bool(data.get(field)) for field, _ in ACCIDENT_CHECKLIST}
        hazard_checklist_update(actor=user, ticket=ticket, checked=checked)

    return _step(request, pk, ChecklistForm, run)
