"""Rounds: file, approve or pay many households at once from the work queue.

Every household still goes through the single services — its own engine check, ledger entries
and audit entry — each in its own transaction, so one refusal does not stop the others; it is
kept by name with its reason. The round itself is audited, and its approval round is the one
sheet the approver signs (pdf.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from niangjia.assistance.choices import ApplicationStatus, Authorisation, RoundKind, RoundOutcome, RoundStatus
from niangjia.assistance.models import Application, Round, RoundItem
from niangjia.assistance.services.applications import (
    application_approve,
    application_file,
    application_submit,
    missing_papers,
)
from niangjia.assistance.services.funding import application_pay
from niangjia.assistance.workflow import HANDLERS, SUPERVISORS
from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require_action
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Household, HouseholdMember

ROUND_MAX = 5000
# Rounds up to this many households run in the request; bigger ones in a background task.
INLINE_MAX = 200


def _names(household_ids: list[int]) -> dict[int, str]:
    heads = HouseholdMember.objects.filter(household_id__in=household_ids, relation="head")
    return dict(heads.values_list("household_id", "name"))


def round_start(
    *,
    actor: StaffUser,
    kind: str,
    policy_id: str,
    title: str,
    households: list[int] | None = None,
    applications: list[Application] | None = None,
    filters: dict[str, Any] | None = None,
) -> Round:
    """Open a round over the chosen households (filing) or applications (approval, payment); nothing is done yet."""
    require_action(actor, Action.SENSITIVE)
    roles = HANDLERS if kind == RoundKind.FILE else SUPERVISORS
    if not (actor.is_superuser or actor.role in roles):
        raise PermissionDenied(f"您的角色不能{RoundKind(kind).label}。")
    if kind not in RoundKind.values:
        raise ValidationError({"kind": "请选择批量办理的类型。"})
    targets = len(households or []) if kind == RoundKind.FILE else len(applications or [])
    if targets == 0:
        raise ValidationError({"households": "没有符合条件的家庭，请调整筛选条件。"})
    if targets > ROUND_MAX:
        raise ValidationError({"households": f"一批最多 {ROUND_MAX} 户，请按区县或状态分批。"})
    if actor.org is None:
        raise PermissionDenied("您不属于任何工会组织，不能批量办理。")
    now = timezone.now()
    with transaction.atomic():
        batch = Round.objects.create(
            kind=kind, policy_id=policy_id, title=title.strip()[:100] or RoundKind(kind).label, org=actor.org,
            filters=filters or {}, total=targets, actor=actor, created_at=now,
        )  # fmt: skip
        if kind == RoundKind.FILE:
            ids = list(households or [])
            names = _names(ids)
            items = [RoundItem(round=batch, household_id=h, name=names.get(h, f"家庭 {h}"), outcome=RoundOutcome.PENDING)
                     for h in ids]  # fmt: skip
        else:
            apps = list(applications or [])
            names = _names([a.household_id for a in apps])
            items = [
                RoundItem(round=batch, household_id=a.household_id, application=a, amount=a.approved_amount or a.amount,
                          name=a.applicant.name if a.applicant_id else names.get(a.household_id, ""),
                          outcome=RoundOutcome.PENDING)
                for a in apps
            ]  # fmt: skip
        RoundItem.objects.bulk_create(items, batch_size=1000)
        audit_record(
            actor=actor, action="assistance.round.run", target=batch,
            new={"kind": kind, "policy_id": policy_id, "total": targets, **{k: str(v) for k, v in (filters or {}).items()}},
        )  # fmt: skip
    return batch


def _one(batch: Round, item: RoundItem, actor: StaffUser) -> tuple[str, Decimal | None, Application | None]:
    """Do the round's step for one household; return the note, amount and application."""
    if batch.kind == RoundKind.FILE:
        household = Household.objects.get(pk=item.household_id)
        application = application_file(
            actor=actor, household=household, policy_id=batch.policy_id, filed_by_proxy=True,
            authorisation=Authorisation.SIGNED_FORM, authorised_on=timezone.localdate(), round_id=batch.pk,
            note=f"批量办理：{batch.title}",
        )  # fmt: skip
        missing = missing_papers(application)
        if missing:
            return f"已登记，材料待收齐：{'、'.join(missing)}", application.amount, application
        application_submit(actor=actor, application=application, note=f"批量提交：{batch.title}")
        return "已登记并提交审批", application.amount, application
    assert item.application_id is not None
    application = Application.objects.get(pk=item.application_id)
    if batch.kind == RoundKind.APPROVE:
        application = application_approve(actor=actor, application=application, note=f"批量审批：{batch.title}")
        return f"已批准 ¥{application.approved_amount:,.2f}", application.approved_amount, application
    application = application_pay(actor=actor, application=application)
    if application.status != ApplicationStatus.PAID:
        raise ValidationError({"move": "未能发放。"})
    return "已发放", application.approved_amount, application


def round_run(*, round_id: int, actor: StaffUser | None = None) -> Round:
    """Work through a round's pending households; a refusal is recorded with its reason and the rest go on."""
    batch = Round.objects.select_related("actor").get(pk=round_id)
    actor = actor or batch.actor
    Round.objects.filter(pk=batch.pk).update(status=RoundStatus.RUNNING)
    for item in (
        RoundItem.objects.filter(round=batch, outcome=RoundOutcome.PENDING).order_by("id").iterator(chunk_size=500)
    ):
        try:
            note, amount, application = _one(batch, item, actor)
        except (ValidationError, PermissionDenied, Http404) as exc:
            messages = getattr(exc, "messages", None) or [str(exc) or "不在您的管辖范围内"]
            RoundItem.objects.filter(pk=item.pk).update(outcome=RoundOutcome.FAILED, message="；".join(messages)[:500])
            Round.objects.filter(pk=batch.pk).update(failed=F("failed") + 1)
            continue
        RoundItem.objects.filter(pk=item.pk).update(
            outcome=RoundOutcome.OK, message=note[:500], amount=amount, application=application
        )
        Round.objects.filter(pk=batch.pk).update(succeeded=F("succeeded") + 1, amount=F("amount") + (amount or 0))
    Round.objects.filter(pk=batch.pk).update(status=RoundStatus.DONE, finished_at=timezone.now())
    return Round.objects.get(pk=batch.pk)
