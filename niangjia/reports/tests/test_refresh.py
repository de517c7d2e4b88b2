"""The pre-aggregated counts: computed from the records, each subject once on its first day, per cadre."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.outreach.models import Pairing
from niangjia.reports.models import IndicatorCount, Refresh
from niangjia.reports.services import campaign_refresh, refresh_request
from niangjia.reports.tests.conftest import at, ticket
from niangjia.tickets.choices import Kind

pytestmark = pytest.mark.django_db


def counts(campaign, code, **filters):  # type: ignore[no-untyped-def]
    return {
        (row["day"], row["org_path"], row["cadre_id"]): row["value"]
        for row in IndicatorCount.objects.filter(campaign=campaign, indicator=code, **filters).values(
            "day", "org_path", "cadre_id", "value"
        )
    }


def test_tickets_count_on_their_days_under_their_organization_and_handler(tree, campaign) -> None:  # type: ignore[no-untyped-def]
    ticket(
        tree.yanliang_street,
        Kind.HAZARD,
        received=date(2026, 3, 3),
        resolved=date(2026, 3, 5),
        handler=tree.yanliang_cadre,
    )
    ticket(tree.yanliang_street, Kind.HAZARD, received=date(2026, 3, 3), resolved=date(2026, 3, 20), late=True)
    ticket(tree.yanta, Kind.HAZARD, received=date(2026, 3, 4))
    ticket(tree.yanta, Kind.HAZARD, received=date(2026, 3, 1))  # before the campaign
    ticket(tree.yanta, Kind.HAZARD, received=date(2026, 6, 1))  # after it
    ticket(tree.yanta, Kind.HAZARD, received=date(2026, 4, 1), resolved=date(2026, 4, 9), verified=date(2026, 4, 8))
    refresh = campaign_refresh(campaign=campaign)
    assert refresh.status == "done" and refresh.rows == IndicatorCount.objects.count()
    street, yanta = tree.yanliang_street.path, tree.yanta.path
    assert counts(campaign, "hazards_reported", day__isnull=False) == {
        (date(2026, 3, 3), street, None): 2,
        (date(2026, 3, 4), yanta, None): 1,
        (date(2026, 4, 1), yanta, None): 1,
    }
    assert counts(campaign, "hazards_reported", day__isnull=True) == {
        (None, street, None): 2,
        (None, yanta, None): 2,
        (None, street, tree.yanliang_cadre.pk): 1,
    }
    assert counts(campaign, "tickets_resolved", day__isnull=False) == {
        (date(2026, 3, 5), street, None): 1,
        (date(2026, 3, 20), street, None): 1,
        (date(2026, 4, 9), yanta, None): 1,
    }
    # 雁塔's was resolved on day 8 of its 5.
    assert counts(campaign, "tickets_on_time", day__isnull=True, cadre__isnull=True) == {(None, street, None): 1}
    assert counts(campaign, "hazards_rectified", day__isnull=False) == {(date(2026, 4, 8), yanta, None): 1}


def test_a_subject_counts_once_on_its_first_day(tree, registry, campaign) -> None:  # type: ignore[no-untyped-def]
    # cadres_paired counts each cadre once; yanliang_cadre paired twice, on two days.
    Pairing.objects.create(campaign=campaign, cadre=tree.yanliang_cadre, enterprise=registry.yt_enterprise)
    Pairing.objects.filter(campaign=campaign).update(created_at=at(date(2026, 3, 10)))
    Pairing.objects.filter(enterprise=registry.yt_enterprise).update(created_at=at(date(2026, 3, 12)))
    campaign_refresh(campaign=campaign)
    street = tree.yanliang_street.path
    assert counts(campaign, "cadres_paired", day__isnull=False) == {(date(2026, 3, 10), street, None): 2}
    assert counts(campaign, "enterprises_paired", day__isnull=False) == {
        (date(2026, 3, 10), street, None): 2,
        (date(2026, 3, 12), tree.yanta_street.path, None): 1,
    }
    # Per cadre: yanliang_cadre's enterprises in two districts, counted under each.
    assert counts(campaign, "enterprises_paired", cadre=tree.yanliang_cadre) == {
        (None, street, tree.yanliang_cadre.pk): 1,
        (None, tree.yanta_street.path, tree.yanliang_cadre.pk): 1,
    }


def test_refreshing_again_replaces_the_counts(tree, campaign) -> None:  # type: ignore[no-untyped-def]
    ticket(tree.yanliang_street, Kind.HAZARD, received=date(2026, 3, 3))
    campaign_refresh(campaign=campaign)
    ticket(tree.yanliang_street, Kind.HAZARD, received=date(2026, 3, 4))
    campaign_refresh(campaign=campaign)
    total = IndicatorCount.objects.filter(campaign=campaign, indicator="hazards_reported", day__isnull=True, cadre=None)
    assert total.aggregate(n=Sum("value"))["n"] == 2
    assert Refresh.objects.filter(campaign=campaign, status="done").count() == 2


def test_an_enterprise_unions_records_count_under_the_organization_above_it(tree, campaign) -> None:  # type: ignore[no-untyped-def]
    from niangjia.orgs.choices import OrgLevel
    from niangjia.orgs.services import org_create

    union = org_create(
        name="阎良餐饮企业工会", level=OrgLevel.ENTERPRISE, area=tree.yanliang_street.area, parent=tree.yanliang_street
    )
    inner = org_create(name="分公司工会", level=OrgLevel.ENTERPRISE, area=tree.yanliang_street.area, parent=union)
    ticket(union, Kind.HAZARD, received=date(2026, 3, 3))
    ticket(inner, Kind.HAZARD, received=date(2026, 3, 3))
    campaign_refresh(campaign=campaign)
    assert counts(campaign, "hazards_reported", day__isnull=True) == {(None, tree.yanliang_street.path, None): 2}


def test_staff_ask_for_a_refresh_which_is_queued_audited_and_not_repeated_at_once(  # type: ignore[no-untyped-def]
    tree, campaign, django_capture_on_commit_callbacks
) -> None:
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        refresh = refresh_request(campaign=campaign, actor=tree.yanliang_staff, now=now)
    assert len(queued) == 1 and queued[0].keywords == {"refresh_id": refresh.pk}
    assert refresh.status == "queued"
    assert AuditEntry.objects.filter(action="reports.refresh", actor_id=tree.yanliang_staff.pk).count() == 1
    with pytest.raises(ValidationError, match="正在刷新"):
        refresh_request(campaign=campaign, actor=tree.city_admin, now=now)
    Refresh.objects.filter(pk=refresh.pk).update(status="done")
    with pytest.raises(ValidationError, match="2 分钟"):
        refresh_request(campaign=campaign, actor=tree.city_admin, now=now + timedelta(seconds=30))
    assert Refresh.objects.count() == 1
    refresh_request(campaign=campaign, actor=tree.city_admin, now=now + timedelta(minutes=3))
    assert Refresh.objects.count() == 2


@pytest.mark.parametrize("who", ["city_leader", "yanliang_cadre", "yanliang_leader"])
def test_leaders_and_cadres_may_not_refresh_and_nothing_is_written(tree, campaign, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        refresh_request(campaign=campaign, actor=getattr(tree, who))
    assert not Refresh.objects.exists() and not AuditEntry.objects.filter(action="reports.refresh").exists()


def test_the_task_runs_a_queued_refresh(tree, campaign) -> None:  # type: ignore[no-untyped-def]
    from niangjia.reports.tasks import refresh_campaign

    ticket(tree.yanliang_street, Kind.HAZARD, received=date(2026, 3, 3))
    queued = Refresh.objects.create(campaign=campaign, requested_at=timezone.now(), actor=tree.city_admin)
    result = refresh_campaign.call(refresh_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == "done" and result["rows"] == queued.rows > 0


def test_the_refresh_command_refreshes_active_campaigns_and_names_an_unknown_one(tree, campaign) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.management import CommandError, call_command

    from niangjia.outreach.models import Campaign

    draft = Campaign.objects.create(
        name="筹备中的活动",
        org=tree.city,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 10, 31),
        created_by=tree.city_admin,
    )
    out = io.StringIO()
    call_command("reports_refresh", stdout=out)
    assert set(Refresh.objects.values_list("campaign_id", flat=True)) == {campaign.pk}
    assert campaign.name in out.getvalue() and draft.name not in out.getvalue()
    call_command("reports_refresh", str(draft.pk), stdout=io.StringIO())
    assert Refresh.objects.filter(campaign=draft, status="done").count() == 1
    with pytest.raises(CommandError, match="找不到走访活动“不存在的活动”"):
        call_command("reports_refresh", "不存在的活动")
