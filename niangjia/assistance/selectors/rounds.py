"""Reads for rounds: who a round would take (from the work queue's filter), the rounds, one round's sheet."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from niangjia.assistance.choices import NOT_APPLIED, ApplicationStatus, RoundKind
from niangjia.assistance.models import Application, QueueItem, Round, RoundItem
from niangjia.assistance.selectors.queue import QueueFilter, queue_queryset
from niangjia.core.scoping import Action, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry.selectors import area_prefix

WAITING = {RoundKind.APPROVE: ApplicationStatus.SUBMITTED, RoundKind.PAY: ApplicationStatus.APPROVED}


def round_targets(*, user: StaffUser, filters: QueueFilter, limit: int) -> list[tuple[int, int | None]]:
    """Who a filing round takes: of the queue's cards with the policy, each household (or member, for a
    policy by person) the screening proposes it for and no one has applied for yet; the queue's order."""
    chosen = filters.model_copy(update={"not_applied": True})
    qs = queue_queryset(user=user, filters=chosen).order_by("rank", "since", "household_id")
    households = list(qs.values_list("household_id", flat=True)[:limit])
    items = QueueItem.objects.filter(household_id__in=households, policy_id=filters.policy_id, proposed=True,
                                     status__in=list(NOT_APPLIED))  # fmt: skip
    found = {(i.household_id, i.member_id) for i in items.only("household_id", "member_id")}
    order = {h: n for n, h in enumerate(households)}
    return sorted(found, key=lambda t: (order[t[0]], t[1] or 0))[:limit]


def round_applications(*, user: StaffUser, kind: str, filters: QueueFilter, limit: int) -> list[Application]:
    """Applications an approval or payment round takes: of the policy, waiting for that step, in the filter's area and level."""
    require_action(user, Action.SENSITIVE)
    qs: QuerySet[Application] = restrict(Application.objects.all(), user, Action.CHANGE).filter(
        status=WAITING[RoundKind(kind)], policy_id=filters.policy_id
    )
    if filters.area:
        qs = qs.filter(household__area__code__startswith=area_prefix(filters.area))
    if filters.level is not None:
        qs = qs.filter(household__archive_level=filters.level.value)
    return list(qs.select_related("applicant").order_by("id")[:limit])


def round_list(*, user: StaffUser, limit: int = 50) -> list[Round]:
    require_action(user, Action.SENSITIVE)
    return list(restrict(Round.objects.all(), user).select_related("actor")[:limit])


def round_get(*, user: StaffUser, pk: int) -> Round:
    require_action(user, Action.SENSITIVE)
    found = restrict(Round.objects.select_related("actor", "org"), user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def round_items(*, user: StaffUser, batch: Round, outcome: str = "") -> list[RoundItem]:
    """A round's households (failures first when asked), up to the round's bound."""
    qs = restrict(RoundItem.objects.filter(round=batch), user)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return list(qs.select_related("application").order_by("id")[:5000])


def round_summary(batch: Round) -> dict[str, Any]:
    return {"pending": batch.total - batch.succeeded - batch.failed}
