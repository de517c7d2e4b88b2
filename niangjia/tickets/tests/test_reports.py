"""Ticket reports: counts by channel, kind and organization, rates, median days, small counts withheld;
the women workers' same-day first-reply target."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from niangjia.tickets.choices import Channel, Kind
from niangjia.tickets.followups import followup_record
from niangjia.tickets.reporting import same_day_reply, ticket_report, women_reply_report
from niangjia.tickets.services import ticket_create, ticket_transition

NOW = timezone.make_aware(datetime(2026, 6, 10, 15, 0))


def _make(tree, n: int, *, kind=Kind.NEED, channel=Channel.WINDOW, days_ago: int = 20, org=None, public: bool = False):  # type: ignore[no-untyped-def]
    return [
        ticket_create(
            actor=None if public else tree.yanliang_staff,
            channel=channel,
            kind=kind,
            title="求职登记",
            org=org or tree.yanliang_street,
            now=NOW - timedelta(days=days_ago),
        )[0]
        for _ in range(n)
    ]


def _close(tree, ticket, *, after_days: int, rating: int | None = None):  # type: ignore[no-untyped-def]
    staff, at = tree.yanliang_staff, ticket.received_at + timedelta(days=after_days)
    ticket_transition(actor=staff, ticket=ticket, move="accept", now=at)
    ticket_transition(actor=staff, ticket=ticket, move="resolve", note="已办", now=at)
    if rating:
        followup_record(actor=staff, ticket=ticket, called_at=at, reached=True, satisfaction=rating, close=True, now=at)
    else:
        ticket_transition(actor=staff, ticket=ticket, move="close", now=at)


@pytest.mark.django_db
def test_the_report_counts_rates_and_median_within_scope(tree) -> None:  # type: ignore[no-untyped-def]
    window = _make(tree, 6)
    _make(tree, 2, channel=Channel.PHONE, kind=Kind.COMPLAINT)
    for ticket, days, rating in zip(window, (1, 2, 3, 10), (5, 4, 4, 3), strict=False):
        _close(tree, ticket, after_days=days, rating=rating)
    _make(tree, 3, org=tree.yanta, public=True)
    report = ticket_report(user=tree.yanliang_staff, now=NOW)
    total = report["total"]
    assert (total["received"], total["closed"], total["overdue"]) == (8, 4, 5)  # 3 open past due, 1 closed late…
    assert total["on_time_rate"] == 75.0 and total["satisfaction"] == 4.0
    assert report["median_days"] == 2.5
    by_channel = {r["channel"]: r for r in report["groups"]["channel"]}
    assert by_channel["window"]["received"] == 6 and by_channel["window"]["label"] == "一窗通办"
    assert by_channel["phone_12351"]["received"] == 2  # district staff see small counts
    assert [r["label"] for r in report["groups"]["org"]] == ["阎良街道工会"]


@pytest.mark.django_db
def test_small_counts_are_withheld_from_a_leader_and_the_page_is_flat_in_queries(tree) -> None:  # type: ignore[no-untyped-def]
    _make(tree, 6)
    _make(tree, 2, kind=Kind.COMPLAINT)
    report = ticket_report(user=tree.yanliang_leader, now=NOW)
    by_kind = {r["kind"]: r for r in report["groups"]["kind"]}
    assert by_kind["complaint"]["few"] and by_kind["complaint"]["received"] is None
    assert by_kind["need"]["received"] == 6 and by_kind["need"]["satisfaction"] is None
    client = Client()
    client.force_login(tree.yanliang_leader)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/tickets/report/").content.decode()
    assert "少于 5 件，不显示" in html and "按期办结率" in html
    _make(tree, 20, channel=Channel.VISIT, kind=Kind.SUGGESTION)
    with CaptureQueriesContext(connection) as many:
        client.get("/tickets/report/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_women_consultations_have_a_same_day_first_reply_target(tree) -> None:  # type: ignore[no-untyped-def]
    morning = NOW.replace(hour=9)
    met, missed, _pending = (
        ticket_create(actor=tree.yanliang_staff, channel=Channel.PHONE, kind=Kind.WOMEN_CONSULTATION,
                      title="产假工资咨询", org=tree.yanliang_street, now=at)[0]
        for at in (morning - timedelta(days=2), morning - timedelta(days=1), morning)
    )  # fmt: skip
    ticket_transition(actor=tree.yanliang_staff, ticket=met, move="accept", now=morning - timedelta(days=2, hours=-3))
    ticket_transition(actor=tree.yanliang_staff, ticket=missed, move="accept", now=morning)
    report = women_reply_report(user=tree.yanliang_staff, now=NOW)
    assert report["counts"] == {"met": 1, "missed": 1, "pending": 1}
    assert [r["target"] for r in report["rows"]] == ["pending", "missed", "met"]
    assert women_reply_report(user=tree.yanliang_leader, now=NOW)["rows"] == []
    assert same_day_reply(received_at=morning, replied_at=None, now=NOW + timedelta(days=1)) == "missed"
    client = Client()
    client.force_login(tree.yanliang_staff)
    assert "已达成" in client.get(f"/tickets/{met.pk}/").content.decode()


@pytest.mark.django_db
def test_the_report_page_on_the_demo_reads_as_chinese_for_every_role() -> None:
    # The page crawler skips URLs with "/report" (the import reports' downloads), so this page is checked here.
    import io

    from niangjia.demo.orgs import tree_seed
    from niangjia.demo.tickets import tickets_seed
    from niangjia.orgs.models import StaffUser
    from niangjia.web.tests.test_every_page import _raw_codes, problems

    tickets_seed(tree=tree_seed(seed=11), seed=11, stdout=io.StringIO())
    raw = _raw_codes()
    for role in ("city_admin", "district_staff", "cadre", "leader"):
        client = Client()
        client.force_login(StaffUser.objects.filter(role=role).order_by("pk").first())
        response = client.get("/tickets/report/")
        assert response.status_code == 200
        assert problems(response.content.decode(), raw) == [], role
