"""Transfers: a union asks the union holding a worker's record to let the worker move to its enterprise.

Asking confirms that an ID number is on file elsewhere, so a request is a disclosure
(budgeted and audited, core/disclosure.py) and only roles that may register workers at the
target enterprise can make one. The holding union decides; on approval the worker's current
jobs under that union end and the new job begins, in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.disclosure import disclosure_check
from niangjia.core.identifiers import mask_id_number
from niangjia.core.scoping import Action, can, require
from niangjia.orgs.models import StaffUser
from niangjia.registry.choices import EmploymentForm, TransferStatus
from niangjia.registry.identity import id_digest
from niangjia.registry.models import Employment, Household, HouseholdMember, Worker, WorkerTransfer
from niangjia.registry.services.workers import WorkerData


def transfer_request(*, actor: StaffUser, data: WorkerData) -> WorkerTransfer:
    """Ask the union holding the worker with `data.id_number` to let them move to `data.enterprise`."""
    enterprise = data.enterprise
    if enterprise is None:
        raise ValidationError({"enterprise": "请指定调入单位。"})
    require(actor, Action.CHANGE, enterprise)
    data = data.cleaned()
    if not data.id_number:
        raise ValidationError({"id_number": "请填写要调入职工的身份证号。"})
    disclosure_check(actor=actor)
    worker = Worker.objects.filter(id_number_hash=id_digest(data.id_number), merged_into__isnull=True).first()
    masked = mask_id_number(data.id_number)
    if worker is None or can(actor, Action.CHANGE, worker):
        with transaction.atomic():
            audit_record(
                actor=actor, action="registry.worker.found_elsewhere", target_label=f"{data.name}（{masked}）",
                new={"id_number": masked, "found": False},
            )  # fmt: skip
        raise ValidationError({"id_number": "其他工会没有登记该身份证号的职工，无需调动，请直接登记。"})
    transfer = WorkerTransfer(
        worker=worker, name=data.name, id_number_masked=masked, from_org=worker.org,
        to_enterprise=enterprise, to_org=enterprise.org, post=data.post or "",
        form=data.form or EmploymentForm.STANDARD, start_date=data.start_date, requested_by=actor,
    )  # fmt: skip
    transfer.full_clean(exclude=["worker", "requested_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            transfer.save()
            audit_record(
                actor=actor, action="registry.transfer.request", target=transfer,
                target_label=f"{data.name}（{masked}）调入{enterprise.name}",
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"id_number": "已经为该职工提交过调入本单位的申请，正在等待原负责工会确认。"}) from None
    return transfer


def transfer_decide(*, actor: StaffUser, transfer: WorkerTransfer, approve: bool, note: str = "") -> WorkerTransfer:
    """Approve (the worker moves) or reject a pending transfer; the holding union decides."""
    require(actor, Action.CHANGE, transfer)
    note = note.strip()[:200]
    if not approve and not note:
        raise ValidationError({"note": "退回申请时请写明原因，便于对方核实。"})
    with transaction.atomic():
        transfer = WorkerTransfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status != TransferStatus.PENDING:
            raise ValidationError(f"该申请已处理（{transfer.get_status_display()}），不能再次处理。")
        transfer.status = TransferStatus.APPROVED if approve else TransferStatus.REJECTED
        transfer.decided_by, transfer.decided_at, transfer.note = actor, timezone.now(), note
        transfer.save()
        if approve:
            _move(transfer)
        audit_record(
            actor=actor, action="registry.transfer.approve" if approve else "registry.transfer.reject",
            target=transfer, new={"status": transfer.status, "note": note},
        )  # fmt: skip
    return transfer


def _move(transfer: WorkerTransfer) -> None:
    """End the worker's current jobs under the releasing union; start the new one; change the holder."""
    worker = Worker.objects.select_for_update().get(pk=transfer.worker_id)
    today = timezone.localdate()
    Employment.objects.filter(
        worker=worker, end_date__isnull=True, enterprise__org__path__startswith=transfer.from_org.path
    ).update(end_date=today)
    job = Employment(
        worker=worker, enterprise=transfer.to_enterprise, post=transfer.post, form=transfer.form,
        start_date=transfer.start_date or today,
    )  # fmt: skip
    job.full_clean()
    job.save()
    Worker.objects.filter(pk=worker.pk).update(org=transfer.to_org, updated_at=timezone.now())
    # The member's household ids straight from the member index, not a join of both tables (a join in
    # an UPDATE's subquery planned badly on PostgreSQL tables without statistics: minutes on the demo).
    households = HouseholdMember.objects.filter(worker=worker).values("household_id")
    Household.objects.filter(pk__in=households).update(facts_changed_at=timezone.now())
