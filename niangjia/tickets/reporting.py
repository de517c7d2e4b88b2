"""The ticket report: its filter (declared once: page, export and API), its figures, and its tables.

Received / closed / overdue by channel, kind and organization, the on-time rate, satisfaction, the median days
to close, enterprise problems solved through a partner, and women workers' consultations against the same-day
first-reply target — aggregated in SQL within the user's scope. `report_tables` turns the figures into the
rows a person reads; the page and the xlsx export both print those rows, so they hold the same values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from pydantic import Field, ValidationInfo, field_validator

from niangjia.api_fields import Day, Id
from niangjia.core.filtering import Choices, ListFilter
from niangjia.core.scoping import Action, allows, restrict
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import UnionOrg
from niangjia.tickets.choices import OPEN_STATUSES, Channel, EventKind, Kind, Status
from niangjia.tickets.models import Cooperation, Ticket, TicketEvent

# A count under SMALL_COUNT can name a person in a small organization: withheld from roles without
# Action.SENSITIVE, as in screening's work list summary.
SMALL_COUNT = 5
REPORT_GROUPS = (("channel", "渠道"), ("kind", "类型"), ("org", "承办组织"))
ORG_CHOICES_MAX = 300
WOMEN_DAYS = 30
# Events that are not an answer to the requester: registering it, and adding a paper to it.
NOT_A_REPLY = (EventKind.CREATED, EventKind.ATTACHED)


class TicketReportFilter(ListFilter):
    """The report's filter: the period the tickets were received in (Beijing dates), and an organization with
    its subtree (one in the user's scope)."""

    received_from: Day | None = Field(None, title="收到日期自")
    received_to: Day | None = Field(None, title="收到日期至")
    org: Id | None = Field(None, title="承办组织")

    @field_validator("received_to")
    @classmethod
    def _not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("received_from")
        if value is not None and start is not None and value < start:
            raise ValueError("截止日期不能早于起始日期")
        return value

    def apply(self, qs: QuerySet[Ticket], *, user: Any) -> QuerySet[Ticket]:
        """The filter applied to an already scoped queryset."""
        if self.received_from is not None:
            qs = qs.filter(received_at__gte=_day_start(self.received_from))
        if self.received_to is not None:
            qs = qs.filter(received_at__lt=_day_start(self.received_to + timedelta(days=1)))
        if self.org is not None:
            path = restrict(UnionOrg.objects.filter(pk=self.org), user, Action.VIEW).values_list("path", flat=True)
            found = path.first()
            qs = qs.filter(org__path__startswith=found) if found else qs.none()
        return qs


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def report_choices(*, user: Any) -> dict[str, Choices]:
    """The organization filter's options: the city, district and street unions in the user's scope."""
    levels = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET)
    orgs = restrict(UnionOrg.objects.filter(level__in=levels), user, Action.VIEW).order_by("path")
    return {"org": [(str(pk), name) for pk, name in orgs.values_list("pk", "name")[:ORG_CHOICES_MAX]]}


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
    row.setdefault("few", False)
    if row["rated"] < SMALL_COUNT and not sensitive:
        row["satisfaction"] = None
    if not sensitive and 0 < row["received"] < SMALL_COUNT:
        row.update({k: None for k in ("received", "closed", "overdue", "on_time_rate", "satisfaction")}, few=True)
    return row


def report_queryset(*, user: Any, filters: TicketReportFilter) -> QuerySet[Ticket]:
    """The tickets the report counts: in the user's scope, as filtered."""
    return filters.apply(restrict(Ticket.objects.all(), user, Action.VIEW), user=user)


def ticket_report(*, user: Any, now: datetime, filters: TicketReportFilter | None = None) -> dict[str, Any]:
    """Received, closed and overdue tickets by channel, kind and organization, with the on-time rate and
    average satisfaction, the median days to close and enterprise problems solved through a partner."""
    filters = filters or TicketReportFilter()
    qs = report_queryset(user=user, filters=filters)
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
    return {
        "as_of": now,
        "groups": groups,
        "total": total,
        "median_days": _median_days_to_close(qs),
        "partner": _partner_counts(qs, sensitive=sensitive),
    }


def _partner_counts(qs: QuerySet[Ticket], *, sensitive: bool) -> dict[str, int | None]:
    """Enterprise problems, those resolved, and those resolved with a finished cooperation (对接合作)."""
    finished = Cooperation.objects.filter(ticket=OuterRef("pk"), finished_on__isnull=False)
    solved = Q(resolved_at__isnull=False)
    counts: dict[str, int | None] = qs.filter(kind=Kind.ENTERPRISE_PROBLEM).aggregate(
        problems=Count("id"),
        solved=Count("id", filter=solved),
        via_partner=Count("id", filter=solved & Q(Exists(finished))),
    )
    if not sensitive:
        counts = {k: (v if not v or v >= SMALL_COUNT else None) for k, v in counts.items()}
    return counts


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
    """When staff first acted on a ticket after registering it (a move, transfer, note or call), or None."""
    return next((e.at for e in events if e.actor_id is not None and e.kind not in NOT_A_REPLY), None)


def same_day_reply(*, received_at: datetime, replied_at: datetime | None, now: datetime) -> str:
    """The women workers' same-day first-reply target: "met", "missed" or "pending" (still today)."""
    day = timezone.localdate(received_at)
    if replied_at is not None:
        return "met" if timezone.localdate(replied_at) == day else "missed"
    return "pending" if timezone.localdate(now) == day else "missed"


SAME_DAY_LABELS = {"met": "已达成", "missed": "未达成", "pending": "今日内待答复"}


def women_reply_report(
    *, user: Any, now: datetime, filters: TicketReportFilter | None = None, limit: int = 50
) -> dict[str, Any]:
    """Women workers' consultations of the period (the last 30 days when none is chosen) and whether each had
    a first reply the same day."""
    filters = filters or TicketReportFilter()
    first = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), actor__isnull=False)
        .exclude(kind__in=NOT_A_REPLY)
        .order_by("at", "id")
        .values("at")[:1]
    )
    qs = report_queryset(user=user, filters=filters).filter(kind=Kind.WOMEN_CONSULTATION)
    if filters.received_from is None and filters.received_to is None:
        qs = qs.filter(received_at__gte=now - timedelta(days=WOMEN_DAYS))
    qs = qs.annotate(first_reply=Subquery(first))
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
    period = "所选期间" if filters.received_from or filters.received_to else f"近 {WOMEN_DAYS} 天"
    return {"rows": rows, "counts": counts, "period": period}


# The rows a person reads: the page and the export print exactly these.
WITHHELD = "少于 5 件，不显示"
Cell = str | int


@dataclass(frozen=True)
class Table:
    title: str
    field: str
    header: list[str]
    rows: list[list[Cell]]


def _count(value: int | None) -> Cell:
    return "少于 5" if value is None else value


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} 分"


def _row_cells(row: dict[str, Any]) -> list[Cell]:
    if row["few"]:
        return [row["label"], WITHHELD, "", "", "", ""]
    return [row["label"], row["received"], row["closed"], row["overdue"], _rate(row["on_time_rate"]),
            _score(row["satisfaction"])]  # fmt: skip


def report_summary(report: dict[str, Any], women: dict[str, Any]) -> list[tuple[str, Cell]]:
    """The headline figures, as (label, value shown)."""
    total, partner, counts = report["total"], report["partner"], women["counts"]
    median = report["median_days"]
    return [
        ("收到", "少于 5 件" if total["few"] else total["received"]),
        ("结案", _count(total["closed"]) if not total["few"] else "—"),
        ("超期", _count(total["overdue"]) if not total["few"] else "—"),
        ("按期办结率", _rate(total["on_time_rate"])),
        ("平均满意度", _score(total["satisfaction"])),
        ("结案用时中位数", "—" if median is None else f"{median:.1f} 天"),
        ("企业问题", _count(partner["problems"])),
        ("其中已办结", _count(partner["solved"])),
        ("其中经对接合作解决", _count(partner["via_partner"])),
        (f"女职工咨询当日首次答复已达成（{women['period']}）", _count(counts["met"])),
        ("女职工咨询当日首次答复未达成", _count(counts["missed"])),
        ("女职工咨询今日内待首次答复", _count(counts["pending"])),
    ]


def report_tables(report: dict[str, Any]) -> list[Table]:
    """The tables by channel, kind and organization."""
    header = ["收到", "结案", "超期", "按期办结率", "平均满意度"]
    return [
        Table(
            title=f"按{label}",
            field=field,
            header=[label, *header],
            rows=[_row_cells(row) for row in report["groups"][field]],
        )
        for field, label in REPORT_GROUPS
    ]
