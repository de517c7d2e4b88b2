"""The work queue kept in step with screening, and what users change on it (status, assignment).

`queue_refresh` copies a household's current screening results into its items and card;
`queue_follow` does so for households screened since it last ran (a task, like `screen --follow`);
`queue_rebuild` for every household with results (after a full screening, or nightly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from niangjia.assistance.choices import ITEM_PROGRESS, SETTABLE, ItemStatus, Rank
from niangjia.assistance.models import QueueEntry, QueueItem, QueueWatermark
from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, can, require, require_action
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Household
from niangjia.screening.models import HouseholdScreenState, ScreeningResult

CHUNK = 1000
# A screening stamps `screened_at` before its transaction commits; the follower takes in only
# households stamped at least this long ago, so a long run's households are never skipped.
FOLLOW_LAG = timedelta(minutes=2)
FOLLOW_BATCH = 5000
ITEM_SNAPSHOT = ["proposed", "outcome", "level_label", "amount", "missing_documents", "missing_facts", "result",
                 "status", "reason", "first_seen"]  # fmt: skip


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _snapshot(item: QueueItem, result: ScreeningResult) -> None:
    item.outcome, item.level_label, item.amount = result.status, result.level_label, result.amount
    # A fact missing for several members is named once on the card (the household page names each member).
    item.missing_documents, item.missing_facts = (
        list(result.missing_documents),
        list(dict.fromkeys(result.missing_facts)),
    )
    item.result = result


def queue_refresh(*, household_ids: Iterable[int], today: date | None = None) -> int:
    """Bring the items and cards of these households in line with their current screening results.

    A new proposal starts at 待核实; one that comes back after it had gone (a new season) starts
    there again unless an application is in progress. Returns how many households were looked at.
    """
    today = today or timezone.localdate()
    ids = sorted(set(household_ids))
    for chunk in _chunks(ids):
        with transaction.atomic():
            _refresh_items(chunk, today)
            entries_write(chunk)
    return len(ids)


def _refresh_items(chunk: list[int], today: date) -> None:
    results = ScreeningResult.objects.filter(household_id__in=chunk, is_current=True)
    items = {(i.household_id, i.policy_id, i.member_id): i for i in QueueItem.objects.filter(household_id__in=chunk)}
    seen: set[tuple[int, str, int | None]] = set()
    new, changed = [], []
    for result in results:
        key = (result.household_id, result.policy_id, result.member_id)
        seen.add(key)
        item = items.get(key)
        if item is None:
            item = QueueItem(household_id=key[0], policy_id=key[1], member_id=key[2], first_seen=today)
            _snapshot(item, result)
            new.append(item)
            continue
        if not item.proposed and item.status != ItemStatus.APPLIED:
            item.status, item.reason, item.first_seen = ItemStatus.PENDING, "", today
        item.proposed = True
        _snapshot(item, result)
        changed.append(item)
    for key, item in items.items():
        if key not in seen and item.proposed:
            item.proposed = False
            changed.append(item)
    QueueItem.objects.bulk_create(new, batch_size=CHUNK)
    QueueItem.objects.bulk_update(changed, ITEM_SNAPSHOT, batch_size=CHUNK)


def _joined(values: Iterable[str]) -> str:
    unique = sorted({v for v in values if v})
    return f"|{'|'.join(unique)}|" if unique else ""


def _rank(item: QueueItem) -> int:
    if item.outcome == "eligible":
        return Rank.ELIGIBLE_AMOUNT if item.amount else Rank.ELIGIBLE
    return Rank.POSSIBLY


def entries_write(household_ids: list[int]) -> None:
    """Recompute the cards of these households from their items (inside the caller's transaction)."""
    now = timezone.now()
    places = {
        pk: (path, code)
        for pk, path, code in Household.objects.filter(pk__in=household_ids).values_list(
            "pk", "org__path", "area__code"
        )
    }
    by_household: dict[int, list[QueueItem]] = {}
    for item in QueueItem.objects.filter(household_id__in=household_ids):
        by_household.setdefault(item.household_id, []).append(item)
    rows, closed = [], []
    for pk in household_ids:
        open_items = [i for i in by_household.get(pk, []) if i.is_open]
        if not open_items or pk not in places:
            closed.append(pk)
            continue
        progress = [ITEM_PROGRESS.index(ItemStatus(i.status)) for i in open_items]
        rows.append(
            QueueEntry(
                household_id=pk,
                org_path=places[pk][0],
                area_code=places[pk][1],
                is_open=True,
                rank=min(_rank(i) for i in open_items),
                since=min(i.first_seen for i in open_items),
                amount=sum((i.amount or Decimal(0) for i in open_items if i.outcome == "eligible"), Decimal(0)),
                status=ITEM_PROGRESS[min(progress)],
                policies=_joined(i.policy_id for i in open_items),
                papers=_joined(d for i in open_items if i.status != ItemStatus.APPLIED for d in i.missing_documents),
                statuses=_joined(i.status for i in open_items),
                synced_at=now,
            )
        )
    fields = ["org_path", "area_code", "is_open", "rank", "since", "amount", "status", "policies", "papers",
              "statuses", "synced_at"]  # fmt: skip
    QueueEntry.objects.bulk_create(
        rows, batch_size=CHUNK, update_conflicts=True, unique_fields=["household"], update_fields=fields
    )
    if closed:
        QueueEntry.objects.filter(household_id__in=closed, is_open=True).update(is_open=False, synced_at=now)


def queue_follow(*, now: datetime | None = None, limit: int = FOLLOW_BATCH) -> int:
    """Refresh the households screened since the last call (at least FOLLOW_LAG ago); return how many.

    The watermark is a keyset (screened_at, household), so a full run's thousands of households
    stamped at one instant are taken in batch after batch, none skipped.
    """
    now = now or timezone.now()
    mark, _ = QueueWatermark.objects.get_or_create(pk=1)
    rows = HouseholdScreenState.objects.filter(screened_at__lte=now - FOLLOW_LAG)
    if mark.screened_until is not None:
        rows = rows.filter(
            Q(screened_at__gt=mark.screened_until)
            | Q(screened_at=mark.screened_until, household_id__gt=mark.household_after)
        )
    batch = list(rows.order_by("screened_at", "household_id").values_list("household_id", "screened_at")[:limit])
    if not batch:
        return 0
    queue_refresh(household_ids=[h for h, _ in batch])
    QueueWatermark.objects.filter(pk=1).update(screened_until=batch[-1][1], household_after=batch[-1][0])
    return len(batch)


def queue_rebuild(*, today: date | None = None) -> int:
    """Refresh every household with a current result or an open card (after a full screening)."""
    with_results = ScreeningResult.objects.filter(is_current=True).values_list("household_id", flat=True).distinct()
    ids = set(with_results) | set(QueueEntry.objects.filter(is_open=True).values_list("household_id", flat=True))
    total = queue_refresh(household_ids=ids, today=today)
    latest = HouseholdScreenState.objects.order_by("-screened_at").values_list("screened_at", flat=True).first()
    QueueWatermark.objects.update_or_create(pk=1, defaults={"screened_until": latest, "household_after": 0})
    return total


def queue_item_set_status(*, actor: StaffUser, item: QueueItem, status: str, reason: str = "") -> QueueItem:
    """Set where a household stands with a proposed policy (待核实 / 已联系 / 材料收集中 / 不申请 with a reason)."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, item)
    if status not in SETTABLE:
        raise ValidationError({"status": "“已申请”“已办结”由申请自动更新，不能手动设置。"})
    if item.status in (ItemStatus.APPLIED, ItemStatus.DONE):
        raise ValidationError({"status": f"该政策已{item.get_status_display()}，请在申请中办理。"})
    reason = reason.strip()
    if status == ItemStatus.DECLINED and not reason:
        raise ValidationError({"reason": "选择“不申请”须填写原因。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "原因不能超过 200 字。"})
    old = item.status
    with transaction.atomic():
        locked = QueueItem.objects.select_for_update().get(pk=item.pk)
        locked.status, locked.reason = status, reason if status == ItemStatus.DECLINED else ""
        locked.status_changed_at, locked.status_changed_by = timezone.now(), actor
        locked.save(update_fields=["status", "reason", "status_changed_at", "status_changed_by"])
        entries_write([locked.household_id])
        audit_record(
            actor=actor, action="assistance.queue.status", target=locked,
            old={"status": old}, new={"status": status, "reason": locked.reason, "policy_id": locked.policy_id},
        )  # fmt: skip
    return locked


def queue_items_mark(
    *, household_id: int, policy_id: str, member_id: int | None, status: str, reason: str = ""
) -> None:
    """Move an item as its application moves (filed, submitted, paid, withdrawn); inside the caller's transaction."""
    item, _ = QueueItem.objects.get_or_create(
        household_id=household_id,
        policy_id=policy_id,
        member_id=member_id,
        defaults={"first_seen": timezone.localdate(), "proposed": False},
    )
    item.status, item.reason, item.status_changed_at = status, reason[:200], timezone.now()
    item.save(update_fields=["status", "reason", "status_changed_at"])
    entries_write([household_id])


def queue_assign(*, actor: StaffUser, entry: QueueEntry, assignee: StaffUser | None) -> QueueEntry:
    """Give a household's card to a cadre (who must be able to work on the household), or take it back."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, entry)
    if assignee is not None:
        if assignee.role != Role.CADRE or not assignee.is_active:
            raise ValidationError({"assignee": "只能分派给在职的工会干部。"})
        household = Household.objects.get(pk=entry.household_id)
        if not can(assignee, Action.CHANGE, household):
            raise ValidationError(
                {"assignee": f"{assignee.display_name or assignee.username} 不联系该家庭所在企业，不能分派。"}
            )
    old = entry.assignee_id
    with transaction.atomic():
        QueueEntry.objects.filter(pk=entry.pk).update(assignee=assignee)
        entry.assignee = assignee
        audit_record(
            actor=actor, action="assistance.queue.assign", target=entry,
            old={"assignee": old}, new={"assignee": assignee.pk if assignee else None},
        )  # fmt: skip
    return entry
