"""Rounds: file, approve or pay many households at once from the work queue.

Every household still goes through the same checks — its own engine decision (asked once for a
chunk of the round), ledger entries and audit entry — and a refusal is kept by name with its reason
without stopping the others (`services/many.py`). The round itself is audited, and an approval
round is the one sheet the approver signs (pdf.py).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from niangjia.assistance.choices import RoundKind, RoundOutcome, RoundStatus
from niangjia.assistance.models import Application, Round, RoundItem
from niangjia.assistance.services.many import (
    Outcome,
    Target,
    applications_approve_many,
    applications_file_many,
    applications_pay_many,
)
from niangjia.assistance.workflow import HANDLERS, SUPERVISORS
from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require_action
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import HouseholdMember

ROUND_MAX = 5000
# Rounds up to this many households run in the request; bigger ones in a background task.
INLINE_MAX = 200
CHUNK = 200


def _names(targets: list[Target]) -> dict[Target, str]:
    households = {h for h, _ in targets}
    members = {m for _, m in targets if m}
    heads = dict(
        HouseholdMember.objects.filter(household_id__in=households, relation="head").values_list("household_id", "name")
    )
    named = dict(HouseholdMember.objects.filter(pk__in=members).values_list("pk", "name"))
    return {(h, m): named.get(m, "") if m else heads.get(h, f"家庭 {h}") for h, m in targets}


def round_start(
    *,
    actor: StaffUser,
    kind: str,
    policy_id: str,
    title: str,
    targets: list[Target] | None = None,
    applications: list[Application] | None = None,
    filters: dict[str, object] | None = None,
) -> Round:
    """Open a round over the chosen households (filing) or applications (approval, payment); nothing is done yet."""
    require_action(actor, Action.SENSITIVE)
    if kind not in RoundKind.values:
        raise ValidationError({"kind": "请选择批量办理的类型。"})
    roles = HANDLERS if kind == RoundKind.FILE else SUPERVISORS
    if not (actor.is_superuser or actor.role in roles):
        raise PermissionDenied(f"您的角色不能{RoundKind(kind).label}。")
    total = len(targets or []) if kind == RoundKind.FILE else len(applications or [])
    if total == 0:
        raise ValidationError({"households": "没有符合条件的家庭，请调整筛选条件。"})
    if total > ROUND_MAX:
        raise ValidationError({"households": f"一批最多 {ROUND_MAX} 户，请按区县或状态分批。"})
    if actor.org is None:
        raise PermissionDenied("您不属于任何工会组织，不能批量办理。")
    with transaction.atomic():
        batch = Round.objects.create(
            kind=kind, policy_id=policy_id, title=title.strip()[:100] or RoundKind(kind).label, org=actor.org,
            filters=filters or {}, total=total, actor=actor, created_at=timezone.now(),
        )  # fmt: skip
        if kind == RoundKind.FILE:
            chosen = list(targets or [])
            names = _names(chosen)
            items = [RoundItem(round=batch, household_id=h, member_id=m, name=names[(h, m)], outcome=RoundOutcome.PENDING)
                     for h, m in chosen]  # fmt: skip
        else:
            items = [
                RoundItem(round=batch, household_id=a.household_id, member_id=a.member_id, application=a,
                          amount=a.approved_amount or a.amount, name=a.applicant.name, outcome=RoundOutcome.PENDING)
                for a in applications or []
            ]  # fmt: skip
        RoundItem.objects.bulk_create(items, batch_size=1000)
        audit_record(
            actor=actor, action="assistance.round.run", target=batch,
            new={"kind": kind, "policy_id": policy_id, "total": total, **{k: str(v) for k, v in (filters or {}).items()}},
        )  # fmt: skip
    return batch


def _outcomes(batch: Round, items: list[RoundItem], actor: StaffUser) -> list[Outcome]:
    """Do the round's step for a chunk of its households, in the order of `items`."""
    if batch.kind == RoundKind.FILE:
        return applications_file_many(
            actor=actor, policy_id=batch.policy_id, targets=[(i.household_id, i.member_id) for i in items],
            round_id=batch.pk, note=f"批量办理：{batch.title}",
        )  # fmt: skip
    apps = {
        a.pk: a
        for a in Application.objects.filter(pk__in=[i.application_id for i in items]).select_related("applicant")
    }
    chosen = [apps[i.application_id] for i in items if i.application_id in apps]
    if batch.kind == RoundKind.APPROVE:
        done = applications_approve_many(actor=actor, applications=chosen, note=f"批量审批：{batch.title}")
    else:
        done = applications_pay_many(actor=actor, applications=chosen)
    by_application = {o.application.pk: o for o in done if o.application is not None}
    return [by_application.get(i.application_id or 0) or Outcome(i.household_id, ok=False, message="申请已不存在。")
            for i in items]  # fmt: skip


def round_run(*, round_id: int, actor: StaffUser | None = None) -> Round:
    """Work through a round's pending households chunk by chunk; refusals are kept with their reason."""
    batch = Round.objects.select_related("actor").get(pk=round_id)
    actor = actor or batch.actor
    Round.objects.filter(pk=batch.pk).update(status=RoundStatus.RUNNING)
    while True:
        items = list(RoundItem.objects.filter(round=batch, outcome=RoundOutcome.PENDING).order_by("id")[:CHUNK])
        if not items:
            break
        for item, outcome in zip(items, _outcomes(batch, items, actor), strict=True):
            RoundItem.objects.filter(pk=item.pk).update(
                outcome=RoundOutcome.OK if outcome.ok else RoundOutcome.FAILED, message=outcome.message[:500],
                amount=outcome.amount if outcome.ok else item.amount, application=outcome.application or item.application,
            )  # fmt: skip
            if outcome.ok:
                Round.objects.filter(pk=batch.pk).update(
                    succeeded=F("succeeded") + 1, amount=F("amount") + (outcome.amount or 0)
                )
            else:
                Round.objects.filter(pk=batch.pk).update(failed=F("failed") + 1)
    Round.objects.filter(pk=batch.pk).update(status=RoundStatus.DONE, finished_at=timezone.now())
    return Round.objects.get(pk=batch.pk)
