"""The periodic job (`niangjia tickets_tick`): escalation once per period, and the public counters pruned."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from niangjia.tickets.choices import Channel, EventKind, Kind
from niangjia.tickets.models import PublicHit, TicketEvent
from niangjia.tickets.services import ticket_create
from niangjia.tickets.tasks import tickets_tick

pytestmark = pytest.mark.django_db


def test_pruning_deletes_only_counters_older_than_a_day() -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for hours, address in ((0, "a"), (23, "b"), (24, "c"), (25, "d"), (24 * 30, "e")):
        PublicHit.objects.create(address_hash=address, bucket="submit", hour=now - timedelta(hours=hours), count=3)
    assert tickets_tick(now) == {"escalated": 0, "pruned": 2}
    assert sorted(PublicHit.objects.values_list("address_hash", flat=True)) == ["a", "b", "c"]
    assert tickets_tick(now) == {"escalated": 0, "pruned": 0}


def test_running_the_tick_twice_escalates_an_overdue_ticket_once(tree) -> None:  # type: ignore[no-untyped-def]
    long_ago = timezone.now() - timedelta(days=6)
    overdue, _ = ticket_create(actor=tree.yanliang_staff, channel=Channel.PHONE, kind=Kind.NEED, title="求助",
                               org=tree.yanliang_street, now=long_ago)  # fmt: skip
    ticket_create(
        actor=tree.yanliang_staff, channel=Channel.PHONE, kind=Kind.NEED, title="新近", org=tree.yanliang_street
    )
    out = io.StringIO()
    call_command("tickets_tick", stdout=out)
    call_command("tickets_tick", stdout=out)
    assert out.getvalue() == "超期上提 1 件；删除过期访问计数 0 条。\n超期上提 0 件；删除过期访问计数 0 条。\n"
    overdue.refresh_from_db()
    assert (overdue.org, overdue.escalations) == (tree.yanliang, 1)
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).count() == 1
