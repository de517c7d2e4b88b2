"""The reports part's only writes: refreshing a campaign's pre-aggregated counts.

`campaign_refresh` recomputes every stored indicator of one campaign from the records, in SQL (INSERT …
SELECT … GROUP BY over the indicator's own queryset, compiled by Django), replacing the campaign's rows
in one transaction: readers see the old counts until the new ones commit. Each subject counted once
(an enterprise visited, a household found) counts on the day of its first record, so daily counts add up
over days and organizations; per cadre it counts once per cadre.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Min, QuerySet, Sum, Value
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, allows
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign
from niangjia.reports import indicators
from niangjia.reports.choices import RefreshStatus
from niangjia.reports.indicators.base import Indicator, day_of, rollup
from niangjia.reports.models import IndicatorCount, Refresh
from niangjia.reports.selectors.campaigns import campaign_list

# A staff member's refresh waits this long after the last one asked for the same campaign.
REFRESH_INTERVAL = timedelta(minutes=2)

_COLUMNS = "campaign_id, indicator, day, org_id, org_path, cadre_id, value, total"


def may_refresh(user: Any) -> bool:
    """Whether the user may ask for a refresh: city and district staff, who may start a city- or
    district-wide computation (the role test is `Action.SCREEN`, which exactly they hold)."""
    return allows(user, Action.SCREEN)


def refresh_request(*, campaign: Campaign, actor: StaffUser, now: datetime | None = None) -> Refresh:
    """Queue a refresh of the campaign's counts (run by the task after commit); audited.

    Refused to roles other than city and district staff, for a campaign out of the actor's scope, and
    while a refresh of the campaign is queued or was asked for within REFRESH_INTERVAL.
    """
    from niangjia.reports import tasks

    now = now or timezone.now()
    if not may_refresh(actor) or not campaign_list(user=actor).filter(pk=campaign.pk).exists():
        raise PermissionDenied("只有市、区县总工会工作人员可以刷新本辖区活动的统计数据。")
    with transaction.atomic():
        recent = Refresh.objects.select_for_update().filter(campaign=campaign)
        if recent.filter(status__in=[RefreshStatus.QUEUED, RefreshStatus.RUNNING]).exists():
            raise ValidationError({"campaign": "该活动的统计正在刷新，请稍候再看。"})
        if recent.filter(requested_at__gt=now - REFRESH_INTERVAL).exists():
            raise ValidationError({"campaign": "刚刚刷新过，请 2 分钟后再试。"})
        refresh = Refresh(campaign=campaign, status=RefreshStatus.QUEUED, requested_at=now, actor=actor)
        refresh.full_clean()
        refresh.save()
        audit_record(actor=actor, action="reports.refresh", target=campaign, new={"refresh": refresh.pk})
        transaction.on_commit(partial(tasks.refresh_campaign.enqueue, refresh_id=refresh.pk))
    return refresh


def campaign_refresh(*, campaign: Campaign, refresh: Refresh | None = None, actor: StaffUser | None = None) -> Refresh:
    """Recompute the campaign's pre-aggregated counts from the records; return the finished refresh."""
    started = time.monotonic()
    if refresh is None:
        refresh = Refresh.objects.create(campaign=campaign, requested_at=timezone.now(), actor=actor)
    Refresh.objects.filter(pk=refresh.pk).update(status=RefreshStatus.RUNNING, started_at=timezone.now())
    try:
        with transaction.atomic():
            IndicatorCount.objects.filter(campaign=campaign).delete()
            for item in indicators.stored():
                _insert_daily(campaign, item)
                if item.source is not None and item.source.cadre:
                    _insert_cadres(campaign, item)
            _insert_to_date(campaign)
            rows = IndicatorCount.objects.filter(campaign=campaign).count()
    except Exception as exc:
        Refresh.objects.filter(pk=refresh.pk).update(
            status=RefreshStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        raise
    Refresh.objects.filter(pk=refresh.pk).update(
        status=RefreshStatus.DONE, finished_at=timezone.now(), rows=rows, seconds=time.monotonic() - started
    )
    refresh.refresh_from_db()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_indicatorcount")
    return refresh


def _grouped(item: Indicator, campaign: Campaign, *, by_cadre: bool) -> tuple[str, list[Any]]:
    """The SQL of the indicator's records grouped by organization and day (or cadre), and its parameters.

    Columns: rorg, rkey (the day, or the cadre), n, total.
    """
    source = item.source
    assert source is not None
    records: QuerySet[Any] = source.records(campaign).order_by()
    model = records.model
    key = source.cadre if by_cadre else None
    records = records.annotate(rorg=rollup(source.org))
    if key is None:
        records = records.annotate(rkey=day_of(model, source.day))
    else:
        records = records.filter(**{f"{key}__isnull": False}).annotate(rkey=F(key))
    if source.subject is None:
        total = Sum(source.amount) if source.amount else Value(None, output_field=DecimalField())
        grouped = records.values("rorg", "rkey").annotate(n=Count("pk"), total=total)
        sql, params = grouped.query.sql_with_params()
        return f"SELECT rorg, rkey, n, total FROM ({sql}) grouped", list(params)  # noqa: S608 - compiled by Django
    # Counted once per subject: on its first day, under its organization (and once per cadre).
    if key is None:
        inner = records.values(source.subject, "rorg").annotate(rfirst=Min("rkey"))
        group = "rfirst"
    else:
        inner = records.values(source.subject, "rorg", "rkey").annotate(rfirst=Min("pk"))
        group = "rkey"
    sql, params = inner.query.sql_with_params()
    return (
        f"SELECT rorg, {group} AS rkey, COUNT(*) AS n, NULL AS total FROM ({sql}) firsts GROUP BY rorg, {group}",  # noqa: S608
        list(params),
    )


def _insert_daily(campaign: Campaign, item: Indicator) -> None:
    sql, params = _grouped(item, campaign, by_cadre=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reports_indicatorcount ({_COLUMNS}) "  # noqa: S608 - compiled by Django, values as parameters
            f"SELECT %s, %s, g.rkey, g.rorg, o.path, NULL, g.n, CAST(g.total AS NUMERIC) FROM ({sql}) g "
            "JOIN orgs_unionorg o ON o.id = g.rorg WHERE g.rkey IS NOT NULL",
            [campaign.pk, item.code, *params],
        )


def _insert_cadres(campaign: Campaign, item: Indicator) -> None:
    sql, params = _grouped(item, campaign, by_cadre=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reports_indicatorcount ({_COLUMNS}) "  # noqa: S608 - compiled by Django, values as parameters
            f"SELECT %s, %s, NULL, g.rorg, o.path, g.rkey, SUM(g.n), SUM(CAST(g.total AS NUMERIC)) FROM ({sql}) g "
            "JOIN orgs_unionorg o ON o.id = g.rorg GROUP BY g.rorg, o.path, g.rkey",
            [campaign.pk, item.code, *params],
        )


def _insert_to_date(campaign: Campaign) -> None:
    """The campaign to date per organization: the daily rows summed (subjects already count once)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reports_indicatorcount ({_COLUMNS}) "  # noqa: S608 - constant SQL, values as parameters
            "SELECT campaign_id, indicator, NULL, org_id, org_path, NULL, SUM(value), SUM(total) "
            "FROM reports_indicatorcount WHERE campaign_id = %s AND day IS NOT NULL "
            "GROUP BY campaign_id, indicator, org_id, org_path",
            [campaign.pk],
        )
