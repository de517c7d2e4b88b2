"""The bulk forms of filing, approving and paying: many households at once, each still on its own.

A round of a season's warmth (thousands of households) and the demo go through these. The engine is
asked once for the whole batch; every household still gets its own decision kept, its own checklist,
its own ledger entries (the funds services, one commitment or disbursement each) and its own audit
entry; a refusal is returned by household with its reason and does not stop the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.assistance import decisions
from niangjia.assistance.choices import (
    OPEN_APPLICATION,
    ApplicationStatus,
    Authorisation,
    DecisionStage,
    ItemStatus,
    PaperStatus,
)
from niangjia.assistance.models import Application, ApplicationEvent, Decision, Paper, QueueItem
from niangjia.assistance.services.applications import application_approve, approval_level
from niangjia.assistance.services.queue import entries_write
from niangjia.core.audit import audit_entry, audit_records
from niangjia.core.inserting import insert_records
from niangjia.core.scoping import Action, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Document, Household, HouseholdMember
from niangjia.rules import NOT_ELIGIBLE

CHUNK = 500
Target = tuple[int, int | None]  # (household, member or None)


@dataclass
class Outcome:
    """What happened to one household (or member) of a batch."""

    household_id: int
    member_id: int | None = None
    application: Application | None = None
    amount: Decimal | None = None
    message: str = ""
    ok: bool = True


def _refused(target: Target, message: str) -> Outcome:
    return Outcome(household_id=target[0], member_id=target[1], message=message, ok=False)


def _decision(application: Application, result: dict[str, Any], stage: str, as_of: date, actor: Any) -> Decision:
    return Decision(
        application=application, stage=stage, as_of=as_of, policy_version=result["policy_version"],
        content_hash=result["content_hash"], parameters_hash=result["parameters_hash"] or "",
        status=str(result["status"]), level=result["level"] or "", level_label=result["level_label"] or "",
        amount=result["amount"], reasons=result["reasons"] or "", hint=result["hint"] or "",
        missing_facts=list(result["missing_facts"] or []), missing_documents=list(result["missing_documents"] or []),
        checked_at=timezone.now(), checked_by=actor,
    )  # fmt: skip


def applications_file_many(
    *,
    actor: StaffUser,
    policy_id: str,
    targets: Sequence[Target],
    today: date | None = None,
    round_id: int | None = None,
    note: str = "",
    authorisation: str = Authorisation.SIGNED_FORM,
    submit: bool = True,
) -> list[Outcome]:
    """File (and, when every paper is in, submit) one application per target, on the worker's behalf.

    The same checks as `application_file` — scope, the engine's decision today, one application in
    progress — decided for the whole batch in one evaluation; each application, decision, checklist and
    audit entry is its own record.
    """
    require_action(actor, Action.SENSITIVE)
    require_action(actor, Action.CHANGE)
    today = today or timezone.localdate()
    policy = decisions.payable_policy(policy_id)
    person = policy.entity == "person"
    outcomes: list[Outcome] = []
    for start in range(0, len(targets), CHUNK):
        outcomes += _file_chunk(actor, policy, person, list(targets[start : start + CHUNK]), today, round_id, note,
                                authorisation, submit)  # fmt: skip
    return outcomes


def _file_chunk(
    actor: StaffUser, policy: Any, person: bool, targets: list[Target], today: date, round_id: int | None,
    note: str, authorisation: str, submit: bool,
) -> list[Outcome]:  # fmt: skip
    ids = sorted({h for h, _ in targets})
    allowed = {
        h.pk: h for h in restrict(Household.objects.filter(pk__in=ids), actor, Action.CHANGE).select_related("org")
    }
    busy: set[Target] = set(
        Application.objects.filter(household_id__in=ids, policy_id=policy.id, status__in=OPEN_APPLICATION).values_list(
            "household_id", "member_id"
        )
    )
    results = decisions.evaluate_many(household_ids=list(allowed), policy=policy, as_of=today)
    required = decisions.evaluate_many(household_ids=list(allowed), policy=policy, as_of=today, without_documents=True)
    heads = dict(
        HouseholdMember.objects.filter(household_id__in=ids, relation="head").values_list("household_id", "pk")
    )
    on_file: dict[int, set[tuple[str, int | None]]] = defaultdict(set)
    for doc in Document.objects.filter(household_id__in=ids).only("household_id", "kind", "member_id"):
        on_file[doc.household_id].add((doc.kind, doc.member_id))
    now = timezone.now()
    outcomes: list[Outcome] = []
    planned: list[tuple[Outcome, Application, dict[str, Any], list[str]]] = []
    for target in targets:
        household_id, member_id = target
        household = allowed.get(household_id)
        if household is None:
            outcomes.append(_refused(target, "不在您的管辖范围内，或没有这个家庭。"))
            continue
        if person != (member_id is not None):
            outcomes.append(_refused(target, f"“{policy.name}”{'按人' if person else '按户'}申请。"))
            continue
        if target in busy:
            outcomes.append(_refused(target, f"已有一份进行中的“{policy.name}”申请。"))
            continue
        result = results.get(target)
        if result is None or result["status"] == NOT_ELIGIBLE:
            reasons = (result or {}).get("reasons") or "该家庭（成员）不在该政策的适用范围内"
            outcomes.append(_refused(target, f"按今天的情况不符合该政策：{reasons}。"))
            continue
        if member_id is None and household_id not in heads:
            outcomes.append(_refused(target, "该家庭没有登记户主，请先在名册中补全。"))
            continue
        amount = result["amount"] if result["amount"] is not None else Decimal(0)
        papers = list((required.get(target) or {}).get("missing_documents") or [])
        application = Application(
            household_id=household_id, member_id=member_id, applicant_id=member_id or heads[household_id],
            policy_id=policy.id, policy_name=policy.name, org_id=household.org_id, level=result["level"] or "",
            level_label=result["level_label"] or "", amount=amount, period=decisions.period_of(policy.id, today),
            filed_by_proxy=True, authorisation=authorisation, authorised_on=today, note=note[:1000], filed_by=actor,
            filed_at=now, round_id=round_id,
        )  # fmt: skip
        outcome = Outcome(household_id=household_id, member_id=member_id, application=application, amount=amount)
        busy.add(target)
        planned.append((outcome, application, result, papers))
        outcomes.append(outcome)
    if not planned:
        return outcomes
    with transaction.atomic():
        insert_records([p[1] for p in planned])
        records: list[Any] = []
        paper_rows: list[Paper] = []
        events: list[ApplicationEvent] = []
        audits = []
        marks: dict[ItemStatus, list[Target]] = defaultdict(list)
        for outcome, application, result, papers in planned:
            records.append(_decision(application, result, DecisionStage.FILED, today, actor))
            files = on_file[application.household_id]
            missing = [k for k in papers if (k, None) not in files and (k, application.member_id) not in files]
            paper_rows += [Paper(application=application, kind=k, status=PaperStatus.MISSING if k in missing
                                 else PaperStatus.ON_FILE) for k in papers]  # fmt: skip
            events.append(ApplicationEvent(application=application, actor=actor, at=now, move="登记申请", from_status="",
                                           to_status=ApplicationStatus.DRAFT, note="干部代办（批量）"))  # fmt: skip
            audits.append(audit_entry(actor=actor, action="assistance.application.file", target=application,
                                      new={"household": application.household_id, "policy_id": policy.id,
                                           "member": application.member_id, "amount": application.amount,
                                           "filed_by_proxy": True, "round": round_id}))  # fmt: skip
            if submit and not missing:
                application.status = ApplicationStatus.SUBMITTED
                application.submitted_at, application.submitted_by = now, actor
                application.approval_level = approval_level(application.amount)
                events.append(ApplicationEvent(application=application, actor=actor, at=now, move="提交审批",
                                               from_status=ApplicationStatus.DRAFT, to_status=ApplicationStatus.SUBMITTED))  # fmt: skip
                audits.append(audit_entry(actor=actor, action="assistance.application.submit", target=application,
                                          new={"status": application.status, "approval_level": application.approval_level}))  # fmt: skip
                marks[ItemStatus.APPLIED].append((application.household_id, application.member_id))
                outcome.message = "已登记并提交审批"
            else:
                marks[ItemStatus.COLLECTING].append((application.household_id, application.member_id))
                outcome.message = f"已登记，材料待收齐：{'、'.join(missing)}" if missing else "已登记"
        submitted = [p[1] for p in planned if p[1].status == ApplicationStatus.SUBMITTED]
        Application.objects.bulk_update(
            submitted, ["status", "submitted_at", "submitted_by", "approval_level"], batch_size=CHUNK
        )
        insert_records(records)
        insert_records(paper_rows)
        insert_records(events)
        for status, marked in marks.items():
            _mark(policy.id, marked, status, today)
        entries_write(sorted({p[1].household_id for p in planned}))
        audit_records(audits)
    return outcomes


def _mark(policy_id: str, targets: list[Target], status: str, today: date) -> None:
    """Move the queue items of these targets to `status` (creating those the queue did not have)."""
    households = {h for h, _ in targets}
    wanted = set(targets)
    items = {
        (i.household_id, i.member_id): i
        for i in QueueItem.objects.filter(household_id__in=households, policy_id=policy_id)
    }
    now = timezone.now()
    changed = []
    for target in wanted:
        item = items.get(target)
        if item is None:
            QueueItem.objects.create(household_id=target[0], member_id=target[1], policy_id=policy_id, status=status,
                                     proposed=False, first_seen=today, status_changed_at=now)  # fmt: skip
            continue
        item.status, item.reason, item.status_changed_at = status, "", now
        changed.append(item)
    QueueItem.objects.bulk_update(changed, ["status", "reason", "status_changed_at"], batch_size=CHUNK)


def _checked(applications: Sequence[Application], stage: str, today: date) -> dict[int, dict[str, Any] | None]:
    """The engine's outcome today for each application (one evaluation per policy of the batch)."""
    by_policy: dict[str, list[Application]] = defaultdict(list)
    for application in applications:
        by_policy[application.policy_id].append(application)
    found: dict[int, dict[str, Any] | None] = {}
    for policy_id, group in by_policy.items():
        policy = decisions.payable_policy(policy_id)
        results = decisions.evaluate_many(
            household_ids=sorted({a.household_id for a in group}), policy=policy, as_of=today
        )
        for application in group:
            found[application.pk] = results.get((application.household_id, application.member_id))
    return found


def applications_approve_many(
    *, actor: StaffUser, applications: Sequence[Application], today: date | None = None, note: str = ""
) -> list[Outcome]:
    """Approve each application as `application_approve` does (the engine asked once for the batch; each its own
    transaction, commitment and audit entry); refusals are returned with their reason."""
    require_action(actor, Action.SENSITIVE)
    today = today or timezone.localdate()
    checked = _checked(applications, DecisionStage.APPROVAL, today)
    outcomes = []
    for application in applications:
        outcome = Outcome(
            household_id=application.household_id, member_id=application.member_id, application=application
        )
        try:
            approved = application_approve(actor=actor, application=application, note=note, today=today,
                                           checked=checked.get(application.pk))  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            outcome.ok, outcome.message = False, "；".join(getattr(exc, "messages", None) or [str(exc)])
        else:
            outcome.application, outcome.amount = approved, approved.approved_amount
            outcome.message = f"已批准 ¥{approved.approved_amount:,.2f}"
        outcomes.append(outcome)
    return outcomes


@dataclass
class Later:
    """What payments in a batch leave for its end: households to screen again, queue items to move."""

    households: list[int]
    marks: list[tuple[str, int, int | None, str]]


_deferred: ContextVar[Later | None] = ContextVar("assistance_deferred", default=None)


@contextmanager
def rescreen_later() -> Iterator[Later]:
    """Collect what each payment would do one by one (re-screen, move its queue item); the caller does it once."""
    later = Later(households=[], marks=[])
    token = _deferred.set(later)
    try:
        yield later
    finally:
        _deferred.reset(token)


def deferred() -> Later | None:
    return _deferred.get()


def applications_pay_many(
    *, actor: StaffUser, applications: Sequence[Application], today: date | None = None, rescreen: bool = True
) -> list[Outcome]:
    """Pay each approved application as `application_pay` does (the engine asked once for the batch, then one
    disbursement each with the application's own idempotency key); the paid households are screened once at the
    end (`rescreen=False`: the caller screens them, e.g. after several batches)."""
    from niangjia.assistance.services.funding import application_pay, rescreen_households

    require_action(actor, Action.SENSITIVE)
    today = today or timezone.localdate()
    checked = _checked(applications, DecisionStage.PAYMENT, today)
    outcomes = []
    started = timezone.now()
    with rescreen_later() as later:
        for application in applications:
            outcome = Outcome(
                household_id=application.household_id, member_id=application.member_id, application=application
            )
            try:
                paid = application_pay(
                    actor=actor, application=application, today=today, checked=checked.get(application.pk)
                )
            except (ValidationError, PermissionDenied) as exc:
                outcome.ok, outcome.message = False, "；".join(getattr(exc, "messages", None) or [str(exc)])
            else:
                outcome.application, outcome.amount, outcome.message = paid, paid.approved_amount, "已发放"
            outcomes.append(outcome)
    groups: dict[tuple[str, str], list[Target]] = defaultdict(list)
    for policy_id, household_id, member_id, status in later.marks:
        groups[(policy_id, status)].append((household_id, member_id))
    with transaction.atomic():
        for (policy_id, status), targets in groups.items():
            _mark(policy_id, targets, status, today)
    if rescreen:
        rescreen_households(sorted(set(later.households)), since=started)
    return outcomes
