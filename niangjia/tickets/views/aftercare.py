"""On a ticket's page: matching an enterprise problem with a partner (对接合作) and the follow-up call (回访).

A refused step answers 400 with the ticket's page and a Chinese message naming the field; nothing is written.
"""

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

from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import StaffUser
from niangjia.tickets import selectors
from niangjia.tickets.cooperation import cooperation_finish, cooperation_start
from niangjia.tickets.followups import followup_record
from niangjia.tickets.forms import CooperationFinishForm, CooperationForm, FollowUpForm, errors_text
from niangjia.tickets.models import Ticket
from niangjia.tickets.views.staff import detail_response

Step = Callable[[StaffUser, Ticket, dict[str, Any]], str]


def _step(request: HttpRequest, pk: int, form_class: type[forms.Form], run: Step) -> HttpResponse:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return detail_response(request, ticket, status=400)
    try:
        done = run(user, ticket, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return detail_response(request, ticket, status=400)
    messages.success(request, done)
    return redirect("tickets:detail", pk=pk)


@login_required
@require_POST
def cooperation_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Match an enterprise problem with a partner: a registry enterprise by name or credit code, or a provider."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> str:
        partner = selectors.enterprise_find(user=user, text=data["partner"])
        cooperation_start(actor=user, ticket=ticket, partner=partner, partner_name=data["partner"],
                          work=data["work"], started_on=data["started_on"])  # fmt: skip
        return f"已对接{partner.name if partner else data['partner'].strip()}。"

    return _step(request, pk, CooperationForm, run)


@login_required
@require_POST
def cooperation_finish_view(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """Record how a cooperation ended."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> str:
        cooperation = selectors.cooperation_get(user=user, ticket_id=ticket.pk, pk=cid, action=Action.CHANGE)
        cooperation_finish(actor=user, cooperation=cooperation, finished_on=data["finished_on"],
                           result=data["result"])  # fmt: skip
        return "已记录合作成效。"

    return _step(request, pk, CooperationFinishForm, run)


@login_required
@require_POST
def followup_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a follow-up call (and close the ticket after it, when asked and allowed)."""

    def run(user: StaffUser, ticket: Ticket, data: dict[str, Any]) -> str:
        called_at = data["called_at"]
        if timezone.is_naive(called_at):
            called_at = timezone.make_aware(called_at)
        followup_record(actor=user, ticket=ticket, called_at=called_at, reached=data["reached"],
                        satisfaction=data["satisfaction"], note=data["note"], close=data["close"])  # fmt: skip
        return "已记录回访并结案。" if data["close"] else "已记录回访。"

    return _step(request, pk, FollowUpForm, run)
