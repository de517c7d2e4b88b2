"""The work queue follows screening: one card per household, statuses, assignment, scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from niangjia.assistance.choices import ItemStatus, Rank
from niangjia.assistance.models import QueueEntry, QueueItem
from niangjia.assistance.selectors.queue import QueueFilter, queue_entry_get, queue_page
from niangjia.assistance.services import queue_assign, queue_item_set_status, queue_rebuild, queue_refresh
from niangjia.assistance.tests.conftest import accident
from niangjia.core.models import AuditEntry
from niangjia.screening.models import ScreeningResult
from niangjia.screening.services import household_rescreen

pytestmark = pytest.mark.django_db


def test_a_screened_household_gets_one_card_with_its_policies(tree, relief) -> None:
    assert queue_rebuild() >= 1
    entry = QueueEntry.objects.get(household=relief.yl_household)
    items = QueueItem.objects.filter(household=relief.yl_household)
    assert [
        (i.policy_id, i.outcome, i.amount, i.missing_documents) for i in items.filter(policy_id="emergency_relief")
    ] == [("emergency_relief", "eligible", Decimal("2000.00"), ["事故证明"])]
    assert entry.is_open and entry.rank == Rank.ELIGIBLE_AMOUNT
    assert entry.amount == Decimal("2000.00")
    assert "|emergency_relief|" in entry.policies and "|事故证明|" in entry.papers
    assert entry.status == ItemStatus.PENDING
    assert entry.org_path == relief.yl_household.org.path


def test_cards_sorted_by_amount_then_possibly_then_oldest_and_paged_by_keyset(tree, relief) -> None:
    accident(relief.yt_household, severity=1)
    household_rescreen(household_id=relief.yt_household.pk)
    queue_rebuild()
    cards, cursor = queue_page(user=tree.city_admin, filters=QueueFilter(), limit=1)
    assert len(cards) == 1 and cursor
    rest, end = queue_page(user=tree.city_admin, filters=QueueFilter(), after=cursor, limit=10)
    shown = [c.household_id for c in cards + rest]
    assert sorted(shown) == sorted({relief.yl_household.pk, relief.yt_household.pk})
    ranks = [(c.entry.rank, c.entry.since, c.household_id) for c in cards + rest]
    assert ranks == sorted(ranks)
    assert end == ""


def test_scope_district_sees_its_households_only_and_cadre_those_of_their_enterprises(tree, relief) -> None:
    accident(relief.yt_household)
    household_rescreen(household_id=relief.yt_household.pk)
    queue_rebuild()
    yl = [c.household_id for c in queue_page(user=tree.yanliang_staff, filters=QueueFilter())[0]]
    yt = [c.household_id for c in queue_page(user=tree.yanta_staff, filters=QueueFilter())[0]]
    cadre = [c.household_id for c in queue_page(user=tree.yanliang_cadre, filters=QueueFilter())[0]]
    other = [c.household_id for c in queue_page(user=tree.yanliang_cadre2, filters=QueueFilter())[0]]
    assert yl == [relief.yl_household.pk] and yt == [relief.yt_household.pk]
    assert cadre == [relief.yl_household.pk] and other == []
    with pytest.raises(PermissionDenied):
        queue_page(user=tree.yanliang_leader, filters=QueueFilter())
    with pytest.raises(Http404):
        queue_entry_get(user=tree.yanta_staff, household_id=relief.yl_household.pk)


def test_filters_policy_paper_status_area(tree, relief) -> None:
    queue_rebuild()
    hid = relief.yl_household.pk

    def ids(**chosen: object) -> list[int]:
        return [c.household_id for c in queue_page(user=tree.city_admin, filters=QueueFilter(**chosen))[0]]

    assert ids(policy_id="emergency_relief") == [hid]
    assert ids(policy_id="warmth") == [hid]  # possibly: a fact is missing
    assert ids(policy_id="school_aid") == []
    assert ids(paper="事故证明") == [hid]
    assert ids(paper="录取通知书") == []
    assert ids(area="610114") == [hid] and ids(area="610113") == []
    assert ids(not_applied=True) == [hid] and ids(not_applied=False) == []
    assert ids(status=ItemStatus.PENDING) == [hid] and ids(status=ItemStatus.CONTACTED) == []


def test_status_per_policy_with_a_reason_to_decline(tree, relief) -> None:
    queue_rebuild()
    item = QueueItem.objects.get(household=relief.yl_household, policy_id="emergency_relief")
    queue_item_set_status(actor=tree.yanliang_cadre, item=item, status=ItemStatus.CONTACTED)
    item.refresh_from_db()
    assert item.status == ItemStatus.CONTACTED
    # The card's status is the least advanced of its open policies (two others are still 待核实).
    assert QueueEntry.objects.get(household=relief.yl_household).status == ItemStatus.PENDING
    assert "|contacted|" in QueueEntry.objects.get(household=relief.yl_household).statuses
    with pytest.raises(ValidationError) as refused:
        queue_item_set_status(actor=tree.yanliang_cadre, item=item, status=ItemStatus.DECLINED)
    assert "须填写原因" in str(refused.value)
    with pytest.raises(ValidationError):
        queue_item_set_status(actor=tree.yanliang_cadre, item=item, status=ItemStatus.DONE)
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        queue_item_set_status(actor=tree.yanta_staff, item=item, status=ItemStatus.COLLECTING)
    assert AuditEntry.objects.count() == before
    queue_item_set_status(actor=tree.yanliang_cadre, item=item, status=ItemStatus.DECLINED, reason="本人表示暂不需要")
    item.refresh_from_db()
    assert (item.status, item.reason) == (ItemStatus.DECLINED, "本人表示暂不需要")
    entry = QueueEntry.objects.get(household=relief.yl_household)
    others = QueueItem.objects.filter(household=relief.yl_household, proposed=True).exclude(pk=item.pk)
    assert entry.is_open == others.exclude(status=ItemStatus.DECLINED).exists()


def test_a_proposal_that_comes_back_starts_again(tree, relief) -> None:
    queue_rebuild()
    item = QueueItem.objects.get(household=relief.yl_household, policy_id="emergency_relief")
    queue_item_set_status(actor=tree.yanliang_cadre, item=item, status=ItemStatus.DECLINED, reason="不需要")
    ScreeningResult.objects.filter(household=relief.yl_household, policy_id="emergency_relief").update(is_current=False)
    queue_refresh(household_ids=[relief.yl_household.pk])
    item.refresh_from_db()
    assert item.proposed is False
    household_rescreen(household_id=relief.yl_household.pk)
    queue_refresh(household_ids=[relief.yl_household.pk])
    item.refresh_from_db()
    assert (item.proposed, item.status, item.reason) == (True, ItemStatus.PENDING, "")


def test_assign_to_a_cadre_who_works_on_the_household(tree, relief) -> None:
    queue_rebuild()
    entry = QueueEntry.objects.get(household=relief.yl_household)
    queue_assign(actor=tree.yanliang_staff, entry=entry, assignee=tree.yanliang_cadre)
    assert QueueEntry.objects.get(pk=entry.pk).assignee == tree.yanliang_cadre
    mine = queue_page(user=tree.yanliang_cadre, filters=QueueFilter(assigned="mine"))[0]
    assert [c.household_id for c in mine] == [relief.yl_household.pk]
    with pytest.raises(ValidationError) as refused:
        queue_assign(actor=tree.yanliang_staff, entry=entry, assignee=tree.yanliang_cadre2)
    assert "不联系该家庭所在企业" in str(refused.value)
    with pytest.raises(ValidationError):
        queue_assign(actor=tree.yanliang_staff, entry=entry, assignee=tree.yanliang_staff)
    queue_assign(actor=tree.yanliang_staff, entry=entry, assignee=None)
    assert QueueEntry.objects.get(pk=entry.pk).assignee is None


def test_a_cadres_cards_by_enterprise_are_the_scoping_chokepoints_own(tree, relief) -> None:
    from niangjia.assistance.selectors.queue import scoped
    from niangjia.core.scoping import Action, restrict

    accident(relief.yt_household)
    household_rescreen(household_id=relief.yt_household.pk)
    queue_rebuild()
    for user in (tree.yanliang_cadre, tree.yanliang_cadre2, tree.yanliang_staff, tree.city_admin):
        fast = set(scoped(QueueEntry.objects.all(), user).values_list("pk", flat=True))
        chokepoint = set(restrict(QueueEntry.objects.all(), user, Action.VIEW).values_list("pk", flat=True))
        assert fast == chokepoint
    assert set(scoped(QueueEntry.objects.all(), tree.yanliang_cadre).values_list("pk", flat=True)) == {
        relief.yl_household.pk
    }
