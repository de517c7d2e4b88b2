"""Ticket reads, each starting from the scoping chokepoint (or, for the public page, from a tracking code)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Enterprise
from niangjia.tickets.choices import OPEN_STATUSES, Channel, EventKind, Kind, Status
from niangjia.tickets.models import Ticket, TicketEvent
from niangjia.tickets.services import code_hash

PAGE_SIZE = 50


def ticket_list(
    *, user: Any, open_only: bool = True, after_id: int | None = None, limit: int = PAGE_SIZE
) -> list[Ticket]:
    """Tickets in the user's scope, due soonest first (my queue)."""
    qs = restrict(Ticket.objects.select_related("org", "handler"), user, Action.VIEW)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if after_id is not None:
        qs = qs.filter(pk__gt=after_id)
    return list(qs.order_by("due_at", "id")[:limit])


def ticket_get(*, user: Any, pk: int) -> Ticket:
    """One ticket in scope, with its people; Http404 when out of scope or missing."""
    related = ("org", "handler", "worker", "enterprise", "hazard_enterprise")
    qs = restrict(Ticket.objects.select_related(*related), user, Action.VIEW)
    ticket = qs.filter(pk=pk).first()
    if ticket is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return ticket


def ticket_events(*, user: Any, ticket: Ticket) -> QuerySet[TicketEvent]:
    """A ticket's timeline, oldest first (the ticket already read through `ticket_get`)."""
    qs = restrict(TicketEvent.objects.select_related("actor", "from_org", "to_org"), user, Action.VIEW)
    return qs.filter(ticket=ticket).order_by("at", "id")


def handler_choices(*, user: Any) -> list[StaffUser]:
    """Staff the user may assign a ticket to: active staff in their subtree (a cadre: themselves)."""
    return list(restrict(StaffUser.objects.filter(is_active=True), user, Action.VIEW).order_by("username")[:500])


def ticket_by_code(*, code: str) -> Ticket | None:
    """The ticket a tracking code names (for the requester's own rating), or None."""
    if not code or len(code) > 64:
        return None
    return Ticket.objects.filter(code_hash=code_hash(code)).first()


def ticket_public_status(*, code: str) -> dict[str, Any] | None:
    """What a requester may see by tracking code: kind, status and dates; nothing personal, no names."""
    ticket = ticket_by_code(code=code)
    if ticket is None:
        return None
    steps = (
        TicketEvent.objects.filter(ticket=ticket)
        .exclude(kind=EventKind.RATED)
        .order_by("at", "id")
        .values_list("at", "kind", "to_status")
    )
    return {
        "kind": ticket.get_kind_display(),
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "received_at": ticket.received_at,
        "due_at": ticket.due_at,
        "closed": ticket.closed_at,
        "rated": ticket.satisfaction is not None,
        "can_rate": ticket.status == Status.RESOLVED and ticket.satisfaction is None,
        "steps": [(at, EventKind(kind).label, to_status) for at, kind, to_status in steps],
    }


def enterprise_find(*, user: Any, text: str) -> Enterprise | None:
    """The enterprise in the user's scope with this credit code or exact name, or None."""
    text = text.strip()
    if not text:
        return None
    qs = restrict(Enterprise.objects.all(), user, Action.VIEW)
    return qs.filter(Q(uscc=text.upper()) | Q(name=text)).order_by("pk").first()


def org_get(*, user: Any, pk: int, action: Action = Action.VIEW) -> UnionOrg:
    """A union organization the user may `action` (a ticket's handling org); Http404 otherwise."""
    org = restrict(UnionOrg.objects.all(), user, action).filter(pk=pk).first()
    if org is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return org


def handler_get(*, user: Any, pk: int) -> StaffUser:
    """An active staff user in the user's scope, to handle a ticket; Http404 otherwise."""
    found = restrict(StaffUser.objects.filter(is_active=True), user, Action.VIEW).filter(pk=pk).first()
    if found is None:
        raise Http404("记录不存在或不在您的管辖范围内。")
    return found


# Reports. A count under SMALL_COUNT can name a person in a small organization: withheld from roles
# without Action.SENSITIVE, as in screening's work list summary.
SMALL_COUNT = 5
REPORT_GROUPS = (("channel", "渠道"), ("kind", "类型"), ("org", "承办组织"))


def _metrics(now: datetime) -> dict[str, Any]:
    return {
        "received": Count("id"),
        "closed": Count("id", filter=Q(status=Status.CLOSED)),
        "overdue": Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now) | Q(resolved_at__gt=F("due_at"))),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        "on_time": Count("id", filter=Q(resolved_at__lte=F("due_at"))),
        "rated": Count("satisfaction"),
        "satisfaction": Avg("satisfaction"),
    }


def _finish(row: dict[str, Any], *, sensitive: bool) -> dict[str, Any]:
    """Add the on-time rate; withhold small counts from roles without SENSITIVE."""
    row["on_time_rate"] = 100 * row["on_time"] / row["resolved"] if row["resolved"] else None
    if row["rated"] < SMALL_COUNT and not sensitive:
        row["satisfaction"] = None
    if not sensitive and 0 < row["received"] < SMALL_COUNT:
        row.update({k: None for k in ("received", "closed", "overdue", "on_time_rate", "satisfaction")}, few=True)
    return row


def ticket_report(*, user: Any, now: datetime, since: datetime | None = None) -> dict[str, Any]:
    """Received, closed and overdue tickets by channel, kind and organization, with the on-time rate and
    average satisfaction, and the median days to close; aggregated in SQL within the user's scope."""
    qs = restrict(Ticket.objects.all(), user, Action.VIEW)
    if since is not None:
        qs = qs.filter(received_at__gte=since)
    sensitive = allows(user, Action.SENSITIVE)
    metrics = _metrics(now)
    labels = {"channel": dict(Channel.choices), "kind": dict(Kind.choices)}
    groups: dict[str, list[dict[str, Any]]] = {}
    for field, _label in REPORT_GROUPS[:2]:
        rows = qs.values(field).annotate(**metrics).order_by(field)
        groups[field] = [_finish({**r, "label": labels[field][r[field]]}, sensitive=sensitive) for r in rows]
    org_rows = qs.values("org_id", "org__name", "org__path").annotate(**metrics).order_by("org__path")[:200]
    groups["org"] = [_finish({**r, "label": r["org__name"]}, sensitive=sensitive) for r in org_rows]
    total = _finish(qs.aggregate(**metrics), sensitive=sensitive)
    return {"groups": groups, "total": total, "median_days": _median_days_to_close(qs)}


def _median_days_to_close(qs: QuerySet[Ticket]) -> float | None:
    """The median days from receipt to close of the closed tickets (two queries, any database)."""
    closed = qs.filter(closed_at__isnull=False).annotate(
        took=ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())
    )
    n = closed.count()
    if not n:
        return None
    ordered = closed.order_by("took").values_list("took", flat=True)
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    seconds: float = sum(d.total_seconds() for d in middle)
    return seconds / len(middle) / 86400


def first_reply_at(events: Iterable[TicketEvent]) -> datetime | None:
    """When staff first acted on a ticket after registering it (a move, transfer or note), or None."""
    return next((e.at for e in events if e.actor_id is not None and e.kind != EventKind.CREATED), None)


def same_day_reply(*, received_at: datetime, replied_at: datetime | None, now: datetime) -> str:
    """The women workers' same-day first-reply target: "met", "missed" or "pending" (still today)."""
    day = timezone.localdate(received_at)
    if replied_at is not None:
        return "met" if timezone.localdate(replied_at) == day else "missed"
    return "pending" if timezone.localdate(now) == day else "missed"


SAME_DAY_LABELS = {"met": "已达成", "missed": "未达成", "pending": "今日内待答复"}


def women_reply_report(*, user: Any, now: datetime, days: int = 30, limit: int = 50) -> dict[str, Any]:
    """Women workers' consultations of the last `days` days and whether each had a first reply the same day."""
    first = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), actor__isnull=False)
        .exclude(kind=EventKind.CREATED)
        .order_by("at", "id")
        .values("at")[:1]
    )
    qs = restrict(Ticket.objects.filter(kind=Kind.WOMEN_CONSULTATION), user, Action.VIEW)
    qs = qs.filter(received_at__gte=now - timedelta(days=days)).annotate(first_reply=Subquery(first))
    rows = list(qs.order_by("-received_at", "-id").values("pk", "received_at", "first_reply", "status")[:limit])
    counts: dict[str, int | None] = {"met": 0, "missed": 0, "pending": 0}
    for row in rows:
        row["target"] = same_day_reply(received_at=row["received_at"], replied_at=row["first_reply"], now=now)
        row["target_label"] = SAME_DAY_LABELS[row["target"]]
        row["status_label"] = Status(row["status"]).label
        counts[row["target"]] = (counts[row["target"]] or 0) + 1
    if not allows(user, Action.SENSITIVE):
        rows = []  # the list names single consultations; the counts stay
        counts = {k: (v if not v or v >= SMALL_COUNT else None) for k, v in counts.items()}
    return {"rows": rows, "counts": counts, "days": days}
