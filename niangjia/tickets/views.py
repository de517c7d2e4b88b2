"""Ticket pages: the staff queue, a ticket with its timeline, intake; the public report and status pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.core.middleware import client_ip
from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import UnionOrg
from niangjia.tickets import selectors
from niangjia.tickets.choices import ACCIDENT_CHECKLIST, OPEN_STATUSES, Channel, Kind
from niangjia.tickets.forms import (
    ChecklistForm,
    MoveForm,
    PublicRateForm,
    PublicReportForm,
    RectifyForm,
    ReferForm,
    TicketForm,
    TransferForm,
    TriageForm,
)
from niangjia.tickets.hazards import referral_due
from niangjia.tickets.models import Ticket, TicketEvent
from niangjia.tickets.ratelimit import hit
from niangjia.tickets.services import ticket_create, ticket_requester_rate, ticket_transfer, ticket_transition
from niangjia.tickets.workflow import Move, Transition, allowed_moves


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    """My queue: open tickets in scope, due soonest first, overdue marked."""
    user = staff_of(request)
    now = timezone.now()
    rows = selectors.ticket_list(user=user)
    context = {
        "rows": rows,
        "now": now,
        "soon": now + timedelta(days=1),
        "can_create": allows(user, Action.CHANGE),
    }
    return render(request, "tickets/queue.html", context)


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One ticket, its timeline and the moves the user's role may make."""
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    may_change = allows(user, Action.CHANGE)
    moves = allowed_moves(status=ticket.status, user=user, kind=ticket.kind) if may_change else []
    events = list(selectors.ticket_events(user=user, ticket=ticket))
    context = {
        "t": ticket,
        "events": events,
        "same_day": _same_day(ticket, events) if ticket.kind == Kind.WOMEN_CONSULTATION else None,
        "moves": [m for m in moves if not m.own_form],
        "hazard": hazard_context(ticket, moves=moves, may_change=may_change) if ticket.kind == Kind.HAZARD else None,
        "transfer_form": TransferForm()
        if may_change and ticket.status in ("received", "accepted", "in_progress")
        else None,
        "overdue": ticket.due_at < timezone.now() and ticket.closed_at is None and ticket.resolved_at is None,
    }
    return render(request, "tickets/detail.html", context)


@login_required
def report_view(request: HttpRequest) -> HttpResponse:
    """Received, closed and overdue by channel, kind and organization; women workers' same-day replies."""
    user = staff_of(request)
    now = timezone.now()
    report = selectors.ticket_report(user=user, now=now)
    context = {
        "report": report,
        "groups": [(label, field, report["groups"][field]) for field, label in selectors.REPORT_GROUPS],
        "women": selectors.women_reply_report(user=user, now=now),
    }
    return render(request, "tickets/report.html", context)


def _same_day(ticket: Ticket, events: list[TicketEvent]) -> dict[str, Any]:
    replied = selectors.first_reply_at(events)
    target = selectors.same_day_reply(received_at=ticket.received_at, replied_at=replied, now=timezone.now())
    return {"label": selectors.SAME_DAY_LABELS[target], "target": target, "replied_at": replied}


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


@login_required
@require_POST
def move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make one workflow move; a refused move is shown in Chinese and changes nothing."""
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            ticket_transition(actor=user, ticket=ticket, move=form.cleaned_data["move"], note=form.cleaned_data["note"])
            messages.success(request, "已办理。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("tickets:detail", pk=pk)


@login_required
@require_POST
def transfer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Transfer an open ticket to another organization."""
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择接收组织并写明转办原因。")
        return redirect("tickets:detail", pk=pk)
    try:
        ticket_transfer(actor=user, ticket=ticket, org=form.cleaned_data["org"], note=form.cleaned_data["note"])
        messages.success(request, f"已转至{form.cleaned_data['org'].name}。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    if _still_visible(request, pk):
        return redirect("tickets:detail", pk=pk)
    return redirect("tickets:queue")


def _still_visible(request: HttpRequest, pk: int) -> bool:
    try:
        selectors.ticket_get(user=staff_of(request), pk=pk)
    except Http404:  # transferred out of the user's scope
        return False
    return True


@login_required
def create_view(request: HttpRequest) -> HttpResponse:
    """Register a walk-in, window, 12351 or visit request."""
    user = staff_of(request)
    if not allows(user, Action.CHANGE):
        raise PermissionDenied("您的角色不能登记诉求。")
    orgs = list(restrict(UnionOrg.objects.all(), user, Action.CHANGE).order_by("path")[:500])
    if not orgs and user.org is not None:
        orgs = [user.org]
    handlers = selectors.handler_choices(user=user)
    form = TicketForm(request.POST or None, orgs=orgs, handlers=handlers, initial={"channel": Channel.WALK_IN})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket, code = ticket_create(
                actor=user,
                channel=data["channel"],
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                ticket_class=data["ticket_class"],
                org=data["org"],
                handler=data["handler"],
                anonymous=data["anonymous"],
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, f"已登记诉求 #{ticket.pk}。请把查询码告知反映人：{code}")
            return redirect("tickets:detail", pk=ticket.pk)
    return render(request, "tickets/create.html", {"form": form}, status=400 if form.errors else 200)


def _limited(request: HttpRequest, bucket: str, limit: int) -> HttpResponse | None:
    if hit(address=client_ip(request), bucket=bucket, limit=limit):
        return None
    return render(request, "tickets/public_limited.html", status=429)


def public_new_view(request: HttpRequest) -> HttpResponse:
    """A worker reports a hazard or a request without logging in, and receives a tracking code."""
    form = PublicReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        refused = _limited(request, "submit", settings.TICKET_PUBLIC_SUBMISSIONS_PER_HOUR)
        if refused:
            return refused
        data = form.cleaned_data
        try:
            _, code = ticket_create(
                actor=None,
                channel=Channel.ONLINE,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                org=data["org"],
                anonymous=data["anonymous"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return render(request, "tickets/public_done.html", {"code": code})
    return render(request, "tickets/public_new.html", {"form": form}, status=400 if form.errors else 200)


def public_status_view(request: HttpRequest, code: str) -> HttpResponse:
    """The status of one request by its tracking code (nothing personal, no names); once resolved, the rating."""
    refused = _limited(request, "lookup", settings.TICKET_PUBLIC_LOOKUPS_PER_HOUR)
    if refused:
        return refused
    status = selectors.ticket_public_status(code=code)
    if status is None:
        return render(request, "tickets/public_unknown.html", status=404)
    form = PublicRateForm(request.POST or None) if status["can_rate"] else None
    if request.method == "POST" and form is not None and form.is_valid():
        ticket = selectors.ticket_by_code(code=code)
        assert ticket is not None
        try:
            ticket_requester_rate(
                ticket=ticket, satisfaction=form.cleaned_data["satisfaction"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("tickets:public_status", code=code)
    return render(request, "tickets/public_status.html", {"s": status, "form": form})
