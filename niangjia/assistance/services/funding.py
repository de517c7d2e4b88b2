"""Applications and the funds part: a commitment on approval, a disbursement on payment, and what a payment leaves.

Funds knows households by id and applications by reference (`application:<id>`). A payment, by
`application_pay` or by a bank result file, calls `payment_heard` inside funds' transaction
(`funds.listeners`): the application is marked paid and the registry gets its `ReceivedAid` rows —
the engine's `payments` — so the household is not proposed again for that period. A returned
payment removes them and sends the application back for approval.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.assistance import decisions
from niangjia.assistance.choices import ApplicationStatus, ApprovalLevel, DecisionStage, ItemStatus
from niangjia.assistance.models import Application
from niangjia.assistance.services.applications import ASK, _refusal, decision_keep, event_write, recheck
from niangjia.assistance.services.queue import queue_items_mark, queue_refresh
from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require, require_action
from niangjia.funds.choices import PoolLevel, Programme
from niangjia.funds.models import Commitment, Disbursement, FundPool
from niangjia.funds.services.commitments import commitment_create, commitment_pool_lock, commitment_release
from niangjia.funds.services.disbursements import disbursement_pay
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import LifeEvent, ReceivedAid
from niangjia.registry.services.evidence import aid_record, aid_remove
from niangjia.rules import ELIGIBLE

PROGRAMMES = {
    "emergency_relief": Programme.EMERGENCY,
    "warmth": Programme.WARMTH,
    "school_aid": Programme.SCHOOL_AID,
    "medical_aid": Programme.MEDICAL,
    "inpatient_mutual_aid": Programme.MEDICAL,
    "gig_training_subsidy": Programme.OTHER,
}
# Once per household and period in funds' own check too (school aid and training are per person, so not here).
ONCE_PER_HOUSEHOLD = {"warmth"}
REFERENCE = "application:"


def programme_of(policy_id: str) -> str:
    return PROGRAMMES.get(policy_id, Programme.OTHER)


def period_label(application: Application) -> str:
    return f"{application.period}-冬" if application.policy_id == decisions.WARMTH else str(application.period)


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return [f"/{'/'.join(parts[: i + 1])}/" for i in range(len(parts))]


def pool_for(application: Application, *, actor: StaffUser, year: int) -> FundPool:
    """The pool that pays this application (市、区两级统筹): the approver's own — the city's pool when the city
    approves (above the district limit, or from its share), else the district's — of the programme and year,
    nearest the household."""
    city = actor.is_superuser or actor.role == Role.CITY_ADMIN or application.approval_level == ApprovalLevel.CITY
    level = PoolLevel.CITY if city else PoolLevel.DISTRICT
    programme = programme_of(application.policy_id)
    pool = (
        FundPool.objects.filter(
            programme=programme, year=year, level=level, org__path__in=_ancestors(application.org.path)
        )
        .order_by("-org__path")
        .first()
    )
    if pool is None:
        raise ValidationError(
            {
                "pool": f"没有 {year} 年{Programme(programme).label}的{PoolLevel(level).label}资金池，"
                "请先由管理员建立资金池并拨入资金。"
            }
        )
    return pool


def commit(*, actor: StaffUser, application: Application) -> Commitment:
    """Reserve the approved amount in the pool (inside the approval's transaction)."""
    amount = application.approved_amount or Decimal(0)
    if amount <= 0:
        raise ValidationError({"amount": "核定金额为 0，无需审批发放。"})
    pool = pool_for(application, actor=actor, year=timezone.localdate().year)
    commitment = commitment_create(
        pool=pool, amount=amount, household_id=application.household_id,
        beneficiary_ref=f"member:{application.member_id}" if application.member_id else f"household:{application.household_id}",
        period=period_label(application), reference=f"{REFERENCE}{application.pk}", actor=actor,
        once_per_period=application.policy_id in ONCE_PER_HOUSEHOLD, note=application.policy_name,
    )  # fmt: skip
    Application.objects.filter(pk=application.pk).update(commitment=commitment)
    application.commitment = commitment
    return commitment


def application_pay(
    *, actor: StaffUser, application: Application, today: date | None = None, checked: Any = ASK
) -> Application:
    """发放: the engine checks again on today's facts (once-per-period rules), then funds pays the commitment once.

    The idempotency key is the application's own, so a retried payment returns the first one. The
    application is marked paid and the registry's aid recorded by `payment_heard`, in the same transaction.
    """
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, application)
    today = today or timezone.localdate()
    if application.status == ApplicationStatus.PAID:
        return application
    with transaction.atomic():
        if application.commitment_id is not None:
            commitment_pool_lock(commitment_id=application.commitment_id)  # funds' lock order: the pool first
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("commitment").get(pk=application.pk)
        )
        if application.status == ApplicationStatus.PAID:
            return application
        if application.status != ApplicationStatus.APPROVED or application.commitment is None:
            raise ValidationError({"move": f"申请{application.get_status_display()}，只有已批准的申请才能发放。"})
        result = recheck(application, today) if checked is ASK else checked
        if result is None or result["status"] != ELIGIBLE:
            raise _refusal(result, "今天（发放日）")
        decision_keep(application, result, stage=DecisionStage.PAYMENT, as_of=today, actor=actor)
        disbursement_pay(commitment=application.commitment, idempotency_key=f"{REFERENCE}{application.pk}", actor=actor)
    application.refresh_from_db()
    return application


def application_release(*, actor: StaffUser, application: Application, reason: str) -> Application:
    """Give an approved, unpaid application's money back to its pool; the application returns to 待审批."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, application)
    with transaction.atomic():
        if application.commitment_id is not None:
            commitment_pool_lock(commitment_id=application.commitment_id)  # funds' lock order: the pool first
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("commitment").get(pk=application.pk)
        )
        if application.status != ApplicationStatus.APPROVED or application.commitment is None:
            raise ValidationError({"move": "只有已批准、未发放的申请才能撤销审批。"})
        commitment_release(commitment=application.commitment, reason=reason, actor=actor)
        old = application.status
        application.status, application.commitment, application.approved_amount = (
            ApplicationStatus.SUBMITTED,
            None,
            None,
        )
        application.save(update_fields=["status", "commitment", "approved_amount"])
        event_write(application, actor=actor, move="撤销审批", old=old, note=reason)
        audit_record(actor=actor, action="assistance.application.release", target=application,
                     old={"status": old}, new={"status": application.status, "reason": reason[:200]})  # fmt: skip
    return application


def _medical_bills(application: Application, on: date) -> list[LifeEvent]:
    settled = ReceivedAid.objects.filter(household_id=application.household_id, event__isnull=False).values("event_id")
    return list(
        LifeEvent.objects.filter(household_id=application.household_id, kind="medical_bill", date__year=on.year)
        .exclude(pk__in=settled)
        .order_by("date", "id")
    )


def _aid_rows(application: Application, amount: Decimal, on: date) -> list[tuple[Decimal, LifeEvent | None]]:
    """How the payment is recorded: medical aid one row per bill it settles (the engine's `settled`), else one row."""
    if application.policy_id != "medical_aid":
        return [(amount, None)]
    bills = _medical_bills(application, on)
    rows: list[tuple[Decimal, LifeEvent | None]] = []
    left = amount
    for i, bill in enumerate(bills):
        share = left if i == len(bills) - 1 else min(left, bill.amount or Decimal(0))
        rows.append((share, bill))
        left -= share
    return rows or [(amount, None)]


def payment_heard(disbursement: Disbursement, event: str) -> None:
    """Funds' listener: a payment of an application was made ("paid") or came back ("returned")."""
    reference = disbursement.commitment.reference
    if not reference.startswith(REFERENCE):
        return
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("household")
        .get(pk=int(reference[len(REFERENCE) :]))
    )
    actor = disbursement.paid_by
    if event == "paid":
        if application.status == ApplicationStatus.PAID:
            return
        paid_on = timezone.localtime(disbursement.paid_at).date()
        for share, bill in _aid_rows(application, disbursement.amount, paid_on):
            aid_record(
                actor=None, household=application.household, policy_id=application.policy_id, paid_on=paid_on,
                amount=share, period=application.period, member=application.member, event=bill,
                source=f"{REFERENCE}{application.pk}",
            )  # fmt: skip
        old, application.status = application.status, ApplicationStatus.PAID
        application.paid_on, application.paid_by, application.disbursement = paid_on, actor, disbursement
        application.save(update_fields=["status", "paid_on", "paid_by", "disbursement"])
        event_write(application, actor=actor, move="发放", old=old, note=f"¥{disbursement.amount:,.2f}")
        _queue_mark(application, ItemStatus.DONE)
        audit_record(actor=actor, action="assistance.application.pay", target=application,
                     old={"status": old}, new={"status": application.status, "amount": disbursement.amount})  # fmt: skip
    elif event == "returned":
        for aid in ReceivedAid.objects.filter(
            household_id=application.household_id, source=f"{REFERENCE}{application.pk}"
        ):
            aid_remove(actor=None, aid=aid, reason=disbursement.return_reason or "发放退回")
        old, application.status = application.status, ApplicationStatus.SUBMITTED
        application.commitment, application.disbursement, application.approved_amount = None, None, None
        application.save(update_fields=["status", "commitment", "disbursement", "approved_amount"])
        event_write(application, actor=actor, move="发放退回", old=old, note=disbursement.return_reason)
        _queue_mark(application, ItemStatus.APPLIED)
        audit_record(actor=actor, action="assistance.application.returned", target=application,
                     old={"status": old}, new={"status": application.status})  # fmt: skip
    else:
        return
    from niangjia.assistance.services.many import deferred

    later = deferred()
    if later is not None:
        later.households.append(application.household_id)
    else:
        transaction.on_commit(partial(household_rescreen_and_refresh, household_id=application.household_id))


def _queue_mark(application: Application, status: str) -> None:
    """Move the application's queue item now, or at the end of a batch of payments."""
    from niangjia.assistance.services.many import deferred

    later = deferred()
    if later is not None:
        later.marks.append((application.policy_id, application.household_id, application.member_id, status))
    else:
        queue_items_mark(household_id=application.household_id, policy_id=application.policy_id,
                         member_id=application.member_id, status=status)  # fmt: skip


def household_rescreen_and_refresh(*, household_id: int) -> None:
    """After a payment: screen the household again on its new facts and bring its card in line."""
    from niangjia.screening.services import household_rescreen

    household_rescreen(household_id=household_id)
    queue_refresh(household_ids=[household_id])


RESCREEN_ROUNDS_MAX = 50


def rescreen_households(household_ids: list[int], *, since: datetime) -> None:
    """After many payments from `since` on: screen the households whose facts changed since then (these among
    them; an indexed range, never the whole registry) and refresh their cards."""
    from niangjia.screening.services import changed_rescreen

    if not household_ids:
        return
    for _ in range(RESCREEN_ROUNDS_MAX):
        if changed_rescreen(since=since, limit=max(2000, 2 * len(household_ids))) is None:
            break
    queue_refresh(household_ids=household_ids)
