"""The demo's assistance: archives, contact households, applications filed by proxy, approved by another user from the
city's and districts' pools and paid, all through the services (small preset)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from niangjia.assistance.choices import ApplicationStatus, ArchiveStatus
from niangjia.assistance.models import Application, ContactHousehold, HardshipArchive, QueueItem
from niangjia.core.models import AuditEntry
from niangjia.demo.assistance import assistance_seed
from niangjia.demo.funds import funds_seed
from niangjia.demo.orgs import tree_seed
from niangjia.demo.registry import registry_seed
from niangjia.demo.screening import screening_seed
from niangjia.funds.models import Disbursement, FundPool
from niangjia.registry.models import Household, ReceivedAid
from niangjia.screening.models import ScreeningResult

WORKERS = 2000


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        tree = tree_seed(seed=5)
        registry_seed(tree=tree, seed=5, workers=WORKERS, stdout=out, today=timezone.localdate())
        screening_seed(stdout=out)
        funds_seed(tree=tree, seed=5, stdout=out)
        assistance_seed(tree=tree, seed=5, workers=WORKERS, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def in_season(day: date) -> bool:
    return day.month >= 11 or day.month <= 2


@pytest.mark.django_db
def test_the_archive_holds_every_archived_household_and_some_new_ones(demo: str) -> None:
    archived = set(Household.objects.exclude(archive_level="").values_list("pk", flat=True))
    in_archive = set(
        HardshipArchive.objects.filter(status__in=["archived", "under_review"]).values_list("household_id", flat=True)
    )
    assert in_archive == archived
    for archive in HardshipArchive.objects.filter(status="archived").select_related("household")[:200]:
        assert archive.household.archive_level == archive.level
    statuses = set(HardshipArchive.objects.values_list("status", flat=True))
    assert {ArchiveStatus.SUSPECTED, ArchiveStatus.VERIFIED, ArchiveStatus.ARCHIVED} <= statuses
    assert HardshipArchive.objects.filter(source="screening", status="archived").exists()
    assert f"困难职工档案 {HardshipArchive.objects.count()} 份" in demo


@pytest.mark.django_db
def test_contact_households_some_due_some_logged(demo: str) -> None:
    contacts = ContactHousehold.objects.filter(active=True)
    assert contacts.count() > 0 and f"一对一联系户 {contacts.count()} 户" in demo
    assert contacts.filter(next_due_on__lt=timezone.localdate()).exists()
    assert contacts.filter(last_contact_on__isnull=False).exists()


@pytest.mark.django_db
def test_applications_filed_by_proxy_approved_by_another_and_paid_once(demo: str) -> None:
    paid = Application.objects.filter(status=ApplicationStatus.PAID)
    assert paid.filter(policy_id="emergency_relief").exists()
    assert Application.objects.filter(filed_by_proxy=True).count() == Application.objects.count()
    assert Application.objects.exclude(authorisation="").count() == Application.objects.count()
    assert not paid.filter(decided_by=F("filed_by")).exists() and not paid.filter(decided_by=F("submitted_by")).exists()
    assert Disbursement.objects.count() == paid.count()
    assert (
        ReceivedAid.objects.filter(source__startswith="application:").values("source").distinct().count()
        == paid.count()
    )
    assert set(paid.values_list("decisions__stage", flat=True)) == {"filed", "approval", "payment"}
    open_states = set(Application.objects.exclude(status=ApplicationStatus.PAID).values_list("status", flat=True))
    assert {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED} <= open_states
    assert AuditEntry.objects.filter(action="assistance.application.pay").count() == paid.count()


@pytest.mark.django_db
def test_paid_households_are_no_longer_proposed_and_pools_balance(demo: str) -> None:
    paid = Application.objects.filter(status=ApplicationStatus.PAID)
    still = ScreeningResult.objects.filter(
        is_current=True, household_id__in=paid.values("household_id"), policy_id__in=["warmth", "emergency_relief"]
    ).filter(policy_id__in=paid.values("policy_id"))
    proposed = {(r.household_id, r.policy_id) for r in still}
    assert not proposed & set(paid.values_list("household_id", "policy_id"))
    assert not QueueItem.objects.filter(status="done", proposed=True).exists()
    total = paid.aggregate(total=Sum("approved_amount"))["total"] or Decimal(0)
    pools = FundPool.objects.aggregate(paid=Sum("paid"), committed=Sum("committed"))
    assert pools["paid"] == total and pools["committed"] == Decimal(0)
    for pool in FundPool.objects.all():
        assert pool.allocated == pool.committed + pool.paid + pool.available and pool.available >= 0
    if in_season(timezone.localdate()):
        assert paid.filter(policy_id="warmth", commitment__pool__level="city").exists()
        assert paid.filter(policy_id="warmth", commitment__pool__level="district").exists()
