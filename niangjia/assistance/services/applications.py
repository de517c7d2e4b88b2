"""Application writes: file (by the worker or on their behalf), submit, approve, reject, withdraw (papers: papers.py).

The engine's decision is kept at filing and checked again, on that day's facts, at approval (and
at payment, `payments.py`). Approval is by amount: district staff up to
ASSISTANCE_DISTRICT_APPROVAL_MAX, the city above it; who filed or submitted cannot approve. An
approval reserves the money in a fund pool (`funds.services.commitment_create`) in the same
transaction, so a refused reservation leaves the application as it was.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.assistance import decisions
from niangjia.assistance.choices import (
    OPEN_APPLICATION,
    ApplicationStatus,
    ApprovalLevel,
    Authorisation,
    DecisionStage,
    ItemStatus,
    PaperStatus,
)
from niangjia.assistance.models import Application, ApplicationEvent, Decision, Paper
from niangjia.assistance.services.queue import queue_items_mark
from niangjia.assistance.workflow import APPLICATION_MOVES, ApplicationMove, Transition, check
from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require, require_action
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Document, Household, HouseholdMember
from niangjia.rules import ELIGIBLE, NOT_ELIGIBLE

DEFAULT_DISTRICT_MAX = Decimal("5000")


def district_approval_max() -> Decimal:
    """The largest amount district staff may approve (setting ASSISTANCE_DISTRICT_APPROVAL_MAX)."""
    return Decimal(str(getattr(settings, "ASSISTANCE_DISTRICT_APPROVAL_MAX", DEFAULT_DISTRICT_MAX)))


def approval_level(amount: Decimal) -> str:
    return ApprovalLevel.DISTRICT if amount <= district_approval_max() else ApprovalLevel.CITY


def event_write(application: Application, *, actor: StaffUser | None, move: str, old: str, note: str = "") -> None:
    # Every value is the service's own (moves and statuses from the tables, the note bounded): no query to validate.
    event = ApplicationEvent(
        application=application, actor=actor, at=timezone.now(), move=move[:24], from_status=old,
        to_status=application.status, note=note[:500],
    )  # fmt: skip
    event.save()


def decision_keep(
    application: Application, result: dict[str, Any], *, stage: str, as_of: date, actor: StaffUser | None
) -> Decision:
    """Keep the engine's outcome with the application (policy version, hashes, reasons, amount)."""
    decision = Decision(
        application=application, stage=stage, as_of=as_of, policy_version=result["policy_version"],
        content_hash=result["content_hash"], parameters_hash=result["parameters_hash"] or "",
        status=str(result["status"]), level=result["level"] or "", level_label=result["level_label"] or "",
        amount=result["amount"], reasons=result["reasons"] or "", hint=result["hint"] or "",
        missing_facts=list(result["missing_facts"] or []), missing_documents=list(result["missing_documents"] or []),
        checked_at=timezone.now(), checked_by=actor,
    )  # fmt: skip
    decision.save()
    return decision


def _head(household: Household) -> HouseholdMember:
    head = HouseholdMember.objects.filter(household=household, relation="head").first()
    if head is None:
        raise ValidationError({"household": "该家庭没有登记户主，请先在名册中补全。"})
    return head


def _on_file(household: Household, member: HouseholdMember | None) -> set[str]:
    """Kinds of paper the registry holds for the household (a household paper counts for every member)."""
    docs = Document.objects.filter(household=household)
    if member is None:
        docs = docs.filter(member__isnull=True)
    else:
        docs = docs.filter(member__isnull=True) | docs.filter(member=member)
    return set(docs.values_list("kind", flat=True))


def _proxy_fields(
    filed_by_proxy: bool, authorisation: str, authorised_on: date | None, today: date
) -> tuple[str, date | None]:
    if not filed_by_proxy:
        return "", None
    if authorisation not in Authorisation.values:
        raise ValidationError({"authorisation": "代办须登记职工的委托方式（书面委托书、签字确认、口头委托或监护人）。"})
    if authorised_on is None:
        raise ValidationError({"authorised_on": "代办须填写委托日期。"})
    if authorised_on > today:
        raise ValidationError({"authorised_on": "委托日期不能晚于今天。"})
    return authorisation, authorised_on


def _refusal(result: dict[str, Any] | None, when: str) -> ValidationError:
    reasons = (result or {}).get("reasons") or "该家庭（成员）不在该政策的适用范围内"
    return ValidationError({"policy_id": f"按{when}的情况不符合该政策：{reasons}。"})


def application_file(
    *,
    actor: StaffUser,
    household: Household,
    policy_id: str,
    member: HouseholdMember | None = None,
    filed_by_proxy: bool = False,
    authorisation: str = "",
    authorised_on: date | None = None,
    authorisation_note: str = "",
    note: str = "",
    today: date | None = None,
    round_id: int | None = None,
) -> Application:
    """File an application for a household (or member) as the engine decides it today; a draft with its checklist.

    The checklist is every paper the policy asks of this household; those the registry already
    holds are 已在档. Refused when the engine finds the household not eligible, or an application
    for the same policy and person is already in progress.
    """
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, household)
    today = today or timezone.localdate()
    policy = decisions.payable_policy(policy_id)
    if policy.entity == "person":
        if member is None:
            raise ValidationError({"member_id": f"“{policy.name}”按人申请，请选择受助的家庭成员。"})
        if member.household_id != household.pk:
            raise ValidationError({"member_id": "该成员不属于这个家庭。"})
    elif member is not None:
        raise ValidationError({"member_id": f"“{policy.name}”按户申请，不选家庭成员。"})
    authorisation, authorised_on = _proxy_fields(filed_by_proxy, authorisation, authorised_on, today)
    busy = Application.objects.filter(
        household=household, policy_id=policy_id, member=member, status__in=OPEN_APPLICATION
    ).first()
    if busy is not None:
        raise ValidationError(
            {"policy_id": f"该家庭已有一份进行中的“{policy.name}”申请（#{busy.pk}），请继续办理那一份。"}
        )
    member_id = member.pk if member else None
    result = decisions.evaluate(household_id=household.pk, policy=policy, member_id=member_id, as_of=today)
    if result is None or result["status"] == NOT_ELIGIBLE:
        raise _refusal(result, "今天")
    required = decisions.papers_required(household_id=household.pk, policy=policy, member_id=member_id, as_of=today)
    on_file = _on_file(household, member)
    amount = result["amount"] if result["amount"] is not None else Decimal(0)
    application = Application(
        household=household, member=member, applicant=member or _head(household), policy_id=policy.id,
        policy_name=policy.name, org=household.org, level=result["level"] or "",
        level_label=result["level_label"] or "", amount=amount, period=decisions.period_of(policy.id, today),
        filed_by_proxy=filed_by_proxy, authorisation=authorisation, authorised_on=authorised_on,
        authorisation_note=authorisation_note.strip(), note=note.strip(), filed_by=actor, filed_at=timezone.now(),
        round_id=round_id,
    )  # fmt: skip
    application.full_clean(exclude=["round"])
    with transaction.atomic():
        application.save()
        decision_keep(application, result, stage=DecisionStage.FILED, as_of=today, actor=actor)
        for kind in required:
            status = PaperStatus.ON_FILE if kind in on_file else PaperStatus.MISSING
            Paper.objects.create(application=application, kind=kind, status=status)
        event_write(application, actor=actor, move="登记申请", old="",
                    note="干部代办" if filed_by_proxy else "职工本人申请")  # fmt: skip
        queue_items_mark(
            household_id=household.pk, policy_id=policy.id, member_id=member_id, status=ItemStatus.COLLECTING
        )
        audit_record(
            actor=actor, action="assistance.application.file", target=application, org_path=household.org.path,
            new={"household": household.pk, "policy_id": policy.id, "member": member_id, "amount": amount,
                 "filed_by_proxy": filed_by_proxy, "authorisation": authorisation, "status": str(result["status"])},
        )  # fmt: skip
    return application


def missing_papers(application: Application) -> list[str]:
    """The papers of the checklist not in yet (the completeness check)."""
    return list(application.papers.filter(status=PaperStatus.MISSING).values_list("kind", flat=True))


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("household", "org").get(pk=application.pk)


def _transition(actor: StaffUser, application: Application, move: str, note: str) -> Transition:
    return check(
        APPLICATION_MOVES, status=application.status, move=move, user=actor, note=note, labels=ApplicationStatus
    )


def application_submit(*, actor: StaffUser, application: Application, note: str = "") -> Application:
    """提交审批 (or resubmit after 退回): every paper of the checklist must be in."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, application)
    with transaction.atomic():
        application = _locked(application)
        move = ApplicationMove.RESUBMIT if application.status == ApplicationStatus.REJECTED else ApplicationMove.SUBMIT
        transition = _transition(actor, application, move, note)
        missing = missing_papers(application)
        if missing:
            raise ValidationError({"papers": f"材料不齐，还缺：{'、'.join(missing)}。收齐后再提交。"})
        old = application.status
        application.status, application.submitted_at, application.submitted_by = (
            transition.target,
            timezone.now(),
            actor,
        )
        application.approval_level = approval_level(application.amount)
        application.save(update_fields=["status", "submitted_at", "submitted_by", "approval_level"])
        event_write(application, actor=actor, move=transition.label, old=old, note=note)
        queue_items_mark(household_id=application.household_id, policy_id=application.policy_id,
                         member_id=application.member_id, status=ItemStatus.APPLIED)  # fmt: skip
        audit_record(actor=actor, action="assistance.application.submit", target=application,
                     old={"status": old}, new={"status": application.status, "approval_level": application.approval_level})  # fmt: skip
    return application


def recheck(application: Application, today: date) -> dict[str, Any] | None:
    """The engine's outcome for the application's household (or member) and policy on today's facts."""
    policy = decisions.payable_policy(application.policy_id)
    return decisions.evaluate(
        household_id=application.household_id, policy=policy, member_id=application.member_id, as_of=today
    )


def may_approve(actor: Any, application: Application, amount: Decimal | None = None) -> str:
    """Why `actor` may not approve this application ("" when they may): role, amount and maker–checker."""
    amount = application.amount if amount is None else amount
    if actor.pk in (application.filed_by_id, application.submitted_by_id):
        return "登记或提交申请的人不能审批自己经办的申请（审批须由另一人进行）。"
    role = getattr(actor, "role", None)
    if actor.is_superuser or role == Role.CITY_ADMIN:
        return ""
    if role == Role.DISTRICT_STAFF:
        limit = district_approval_max()
        if amount > limit:
            return f"金额 ¥{amount:,.2f} 超过区县审批限额 ¥{limit:,.2f}，须由市总工会审批。"
        return ""
    return "您的角色不能审批申请。"


ASK = object()  # no outcome given: ask the engine


def application_approve(
    *, actor: StaffUser, application: Application, note: str = "", today: date | None = None, checked: Any = ASK
) -> Application:
    """批准: the engine decides again on today's facts; the amount is today's; a fund pool reserves it.

    Refused, with nothing written, when the engine no longer finds the household eligible (or a
    fact is missing), when a paper is missing, when the amount is above the approver's limit,
    when the approver filed or submitted it, or when the pool cannot cover it. `checked` is the
    engine's outcome today when the caller already has it (a round asks once for all).
    """
    from niangjia.assistance.services.funding import commit

    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, application)
    today = today or timezone.localdate()
    with transaction.atomic():
        application = _locked(application)
        transition = _transition(actor, application, ApplicationMove.APPROVE, note)
        result = recheck(application, today) if checked is ASK else checked
        if result is None or result["status"] != ELIGIBLE:
            if result is not None and result["status"] != NOT_ELIGIBLE:
                facts = "、".join(result["missing_facts"] or []) or "部分情况"
                raise ValidationError({"move": f"按今天的情况还不能确定是否符合：缺少{facts}，请补全后再审批。"})
            raise _refusal(result, "今天")
        amount = result["amount"] if result["amount"] is not None else Decimal(0)
        refusal = may_approve(actor, application, amount)
        if refusal:
            raise ValidationError({"move": refusal})
        missing = missing_papers(application)
        if missing:
            raise ValidationError({"papers": f"材料不齐，还缺：{'、'.join(missing)}。"})
        decision_keep(application, result, stage=DecisionStage.APPROVAL, as_of=today, actor=actor)
        old = application.status
        application.status, application.approved_amount = transition.target, amount
        application.approval_level = approval_level(amount)
        application.decided_at, application.decided_by = timezone.now(), actor
        application.level, application.level_label = result["level"] or "", result["level_label"] or ""
        application.clean_fields(exclude=[f.name for f in Application._meta.fields if f.name != "approved_amount"])
        application.save(update_fields=["status", "approved_amount", "approval_level", "decided_at", "decided_by",
                                        "level", "level_label"])  # fmt: skip
        commit(actor=actor, application=application)
        changed = "" if amount == application.amount else f"（申请时 ¥{application.amount:,.2f}，按今日情况核定）"
        event_write(
            application,
            actor=actor,
            move=transition.label,
            old=old,
            note=f"批准 ¥{amount:,.2f}{changed} {note}".strip(),
        )
        audit_record(
            actor=actor, action="assistance.application.approve", target=application,
            old={"status": old, "amount": application.amount},
            new={"status": application.status, "approved_amount": amount, "policy_version": result["policy_version"],
                 "content_hash": result["content_hash"]},
        )  # fmt: skip
    return application


def application_reject(*, actor: StaffUser, application: Application, reason: str) -> Application:
    """退回 with the reason; the application can be corrected and resubmitted."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, application)
    with transaction.atomic():
        application = _locked(application)
        transition = _transition(actor, application, ApplicationMove.REJECT, reason)
        if actor.pk in (application.filed_by_id, application.submitted_by_id):
            raise ValidationError({"move": "登记或提交申请的人不能审批自己经办的申请（审批须由另一人进行）。"})
        old = application.status
        application.status, application.reject_reason = transition.target, reason.strip()[:500]
        application.decided_at, application.decided_by = timezone.now(), actor
        application.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
        event_write(application, actor=actor, move=transition.label, old=old, note=reason)
        audit_record(actor=actor, action="assistance.application.reject", target=application,
                     old={"status": old}, new={"status": application.status, "reason": reason[:200]})  # fmt: skip
    return application


def application_withdraw(*, actor: StaffUser, application: Application, reason: str) -> Application:
    """撤回: the worker no longer applies; the work queue shows 不申请 with the reason."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, application)
    with transaction.atomic():
        application = _locked(application)
        transition = _transition(actor, application, ApplicationMove.WITHDRAW, reason)
        old = application.status
        application.status = transition.target
        application.save(update_fields=["status"])
        event_write(application, actor=actor, move=transition.label, old=old, note=reason)
        queue_items_mark(household_id=application.household_id, policy_id=application.policy_id,
                         member_id=application.member_id, status=ItemStatus.DECLINED, reason=f"撤回申请：{reason.strip()}")  # fmt: skip
        audit_record(actor=actor, action="assistance.application.withdraw", target=application,
                     old={"status": old}, new={"status": application.status, "reason": reason[:200]})  # fmt: skip
    return application
