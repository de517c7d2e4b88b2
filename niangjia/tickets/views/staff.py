"""Staff work pages: the queue, a ticket with its timeline and the steps the role may take, moves, transfer, intake."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.tickets import reporting, selectors, uploads
from niangjia.tickets.choices import OPEN_STATUSES, AttachmentPurpose, Channel, Kind, Status
from niangjia.tickets.forms import (
    AttachmentForm,
    CooperationFinishForm,
    CooperationForm,
    FollowUpForm,
    MoveForm,
    TicketForm,
    TransferForm,
    errors_text,
)
from niangjia.tickets.models import Ticket, TicketAttachment, TicketEvent
from niangjia.tickets.services import ticket_create, ticket_transfer, ticket_transition
from niangjia.tickets.views.bounds import bounded_upload
from niangjia.tickets.views.hazards import hazard_context
from niangjia.tickets.workflow import Move, allowed_moves, check_move


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
    """One ticket, its timeline, photos and papers, and the steps the user's role may take."""
    user = staff_of(request)
    return detail_response(request, selectors.ticket_get(user=user, pk=pk))


def detail_response(request: HttpRequest, ticket: Ticket, *, status: int = 200) -> HttpResponse:
    """The ticket's page (also with a refused upload's message, answered 400)."""
    user = staff_of(request)
    may_change = allows(user, Action.CHANGE)
    moves = allowed_moves(status=ticket.status, user=user, kind=ticket.kind) if may_change else []
    events = list(selectors.ticket_events(user=user, ticket=ticket))
    is_open = ticket.status in OPEN_STATUSES
    context = {
        "t": ticket,
        "events": events,
        "same_day": _same_day(ticket, events) if ticket.kind == Kind.WOMEN_CONSULTATION else None,
        "moves": [m for m in moves if not m.own_form],
        "verify_photos": any(m.move == Move.VERIFY for m in moves),
        "max_files": uploads.max_files(),
        "hazard": hazard_context(ticket, moves=moves, may_change=may_change) if ticket.kind == Kind.HAZARD else None,
        "transfer_form": TransferForm() if may_change and is_open else None,
        "overdue": ticket.due_at < timezone.now() and ticket.closed_at is None and ticket.resolved_at is None,
        "files": _files(selectors.ticket_attachments(user=user, ticket=ticket)),
        "attach_form": AttachmentForm(hazard=ticket.kind == Kind.HAZARD) if may_change else None,
        **_aftercare(user, ticket, may_change=may_change, is_open=is_open),
    }
    return render(request, "tickets/detail.html", context, status=status)


def _files(attachments: list[TicketAttachment]) -> dict[str, Any]:
    photos: dict[str, list[TicketAttachment]] = {}
    for a in attachments:
        if a.is_photo:
            photos.setdefault(a.get_purpose_display(), []).append(a)
    return {"photos": list(photos.items()), "papers": [a for a in attachments if not a.is_photo]}


def _aftercare(user: StaffUser, ticket: Ticket, *, may_change: bool, is_open: bool) -> dict[str, Any]:
    """The cooperation part of an enterprise problem, and the follow-up calls of a resolved ticket."""
    enterprise_problem = ticket.kind == Kind.ENTERPRISE_PROBLEM
    done = ticket.status in (Status.RESOLVED, Status.CLOSED)
    cooperations = selectors.ticket_cooperations(user=user, ticket=ticket) if enterprise_problem else []
    may_close = ticket.status == Status.RESOLVED and _may_close(user, ticket)
    return {
        "enterprise_problem": enterprise_problem,
        "cooperations": cooperations,
        "cooperation_form": CooperationForm(initial={"started_on": timezone.localdate()})
        if may_change and enterprise_problem and is_open
        else None,
        "finish_form": CooperationFinishForm(initial={"finished_on": timezone.localdate()})
        if may_change and ticket.status != Status.CLOSED
        else None,
        "followups": selectors.ticket_followups(user=user, ticket=ticket),
        "followup_form": FollowUpForm(initial={"called_at": timezone.localtime().replace(second=0, microsecond=0)})
        if may_change and done and not ticket.anonymous
        else None,
        "may_close": may_close,
    }


def _may_close(user: StaffUser, ticket: Ticket) -> bool:
    try:
        check_move(status=ticket.status, move=Move.CLOSE, user=user, note="", kind=ticket.kind)
    except ValidationError:
        return False
    return True


def _same_day(ticket: Ticket, events: list[TicketEvent]) -> dict[str, Any]:
    replied = reporting.first_reply_at(events)
    target = reporting.same_day_reply(received_at=ticket.received_at, replied_at=replied, now=timezone.now())
    return {"label": reporting.SAME_DAY_LABELS[target], "target": target, "replied_at": replied}


@login_required
@bounded_upload
@require_POST
def move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make one workflow move (verification with its photos); a refused move is shown in Chinese and changes
    nothing, a refused photo answers 400."""
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    form = MoveForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return detail_response(request, ticket, status=400)
    data = form.cleaned_data
    try:
        photos = uploads.check_uploads(data["photos"], purpose=AttachmentPurpose.VERIFICATION_PHOTO)
    except ValidationError as exc:
        messages.error(request, "整改验收照片" + "；".join(exc.messages))
        return detail_response(request, ticket, status=400)
    try:
        ticket_transition(actor=user, ticket=ticket, move=data["move"], note=data["note"], photos=photos)
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
