"""One-to-one contact households: the cadre, the frequency, due and overdue, contacts logged (a visit once)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from niangjia.assistance.models import ContactLog
from niangjia.assistance.selectors.contacts import ContactFilter, contact_list
from niangjia.assistance.services import contact_end, contact_log, contact_start, contact_update
from niangjia.assistance.tests.conftest import today

pytestmark = pytest.mark.django_db


def _at(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today() - timedelta(days=days_ago), time(10)))


def test_start_due_overdue_and_log(tree, registry) -> None:
    started = today() - timedelta(days=40)
    contact = contact_start(actor=tree.yanliang_staff, household=registry.yl_household, cadre=tree.yanliang_cadre,
                            frequency="monthly", reason="家有听力残疾成员", started_on=started)  # fmt: skip
    assert contact.next_due_on == started + timedelta(days=30)

    def listed(user, **chosen):  # type: ignore[no-untyped-def]
        return [c.pk for c in contact_list(user=user, filters=ContactFilter(**chosen), today=today())]

    assert listed(tree.yanliang_cadre, due="overdue") == [contact.pk]
    assert listed(tree.yanliang_cadre2) == [] and listed(tree.yanta_staff) == []
    log = contact_log(household=registry.yl_household, cadre=tree.yanliang_cadre, at=_at(2), note="电话问候，药费已报销",
                      channel="phone")  # fmt: skip
    assert log is not None and log.channel == "phone"
    contact.refresh_from_db()
    assert (contact.last_contact_on, contact.next_due_on) == (today() - timedelta(days=2), today() + timedelta(days=28))
    assert listed(tree.yanliang_cadre, due="overdue") == [] and listed(tree.yanliang_cadre, due="soon") == []


def test_a_campaign_visit_counts_once(tree, registry) -> None:
    contact_start(actor=tree.yanliang_staff, household=registry.yl_household, cadre=tree.yanliang_cadre,
                  frequency="quarterly", reason="困难建档户")  # fmt: skip
    first = contact_log(household=registry.yl_household, cadre=tree.yanliang_cadre, at=_at(1), via_visit_id=77,
                        note="大走访入户")  # fmt: skip
    again = contact_log(household=registry.yl_household, cadre=tree.yanliang_cadre, at=_at(1), via_visit_id=77,
                        note="大走访入户")  # fmt: skip
    assert first == again and first is not None and first.channel == "campaign_visit"
    assert ContactLog.objects.count() == 1
    assert contact_log(household=registry.yt_household, cadre=tree.yanta_staff, at=_at(1), via_visit_id=78) is None


def test_a_campaign_home_visit_recorded_in_outreach_is_the_contact(tree, registry) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from niangjia.outreach.services.visits import VisitData, visit_record
    from niangjia.outreach.services.visits_bulk import VisitRow, visits_bulk_record
    from niangjia.outreach.tests.visits_fixtures import make_campaign

    contact = contact_start(actor=tree.yanliang_staff, household=registry.yl_household, cadre=tree.yanliang_cadre,
                            frequency="monthly", reason="残疾")  # fmt: skip
    campaign = make_campaign(tree, registry)
    day = today() - timedelta(days=3)
    data = VisitData(campaign=campaign, kind="home", date=day, household=registry.yl_household, people_met=1,
                     basic_clear=True, satisfaction=5, recorded_at=timezone.now())  # fmt: skip
    client_id = uuid.uuid4()
    visit, _ = visit_record(actor=tree.yanliang_cadre, client_id=client_id, data=data)
    visit_record(actor=tree.yanliang_cadre, client_id=client_id, data=data)  # the phone retries: still one contact
    log = ContactLog.objects.get()
    assert (log.via_visit_id, log.channel, log.cadre_id) == (visit.pk, "campaign_visit", tree.yanliang_cadre.pk)
    assert timezone.localtime(log.at).date() == day  # the visit's day, not the day it synced
    contact.refresh_from_db()
    assert (contact.last_contact_on, contact.next_due_on) == (day, day + timedelta(days=30))
    # The bulk service (the demo's) logs its home visits too; a visit to a household without a contact logs nothing.
    later = VisitData(campaign=campaign, kind="home", date=today(), household=registry.yl_household, people_met=1)
    other = VisitData(campaign=campaign, kind="home", date=today(), household=registry.yt_household, people_met=1)
    rows = [VisitRow(actor=tree.yanliang_cadre, client_id=uuid.uuid4(), data=later),
            VisitRow(actor=tree.city_admin, client_id=uuid.uuid4(), data=other)]  # fmt: skip
    assert visits_bulk_record(rows=rows) == 2
    assert ContactLog.objects.count() == 2
    contact.refresh_from_db()
    assert contact.last_contact_on == today()


def test_cadre_must_work_on_the_household_and_change_and_end(tree, registry) -> None:
    with pytest.raises(ValidationError) as other:
        contact_start(actor=tree.yanliang_staff, household=registry.yl_household, cadre=tree.yanliang_cadre2,
                      frequency="monthly", reason="x")  # fmt: skip
    assert "不联系该家庭所在企业" in str(other.value)
    contact = contact_start(actor=tree.yanliang_staff, household=registry.yl_household, cadre=tree.yanliang_cadre,
                            frequency="monthly", reason="残疾")  # fmt: skip
    with pytest.raises(ValidationError):
        contact_start(actor=tree.yanliang_staff, household=registry.yl_household, cadre=tree.yanliang_cadre,
                      frequency="monthly", reason="残疾")  # fmt: skip
    changed = contact_update(actor=tree.yanliang_staff, contact=contact, cadre=tree.yanliang_cadre, frequency="weekly")
    assert changed.next_due_on == contact.started_on + timedelta(days=7)
    with pytest.raises(ValidationError):
        contact_end(actor=tree.yanliang_staff, contact=changed, reason="")
    ended = contact_end(actor=tree.yanliang_staff, contact=changed, reason="已脱困")
    assert (ended.active, ended.end_reason) == (False, "已脱困")
    with pytest.raises(ValidationError):
        contact_log(household=registry.yl_household, cadre=tree.yanliang_cadre, at=timezone.now() + timedelta(days=1))
