"""Worker services: one person, one record.

Registering an ID number that is already on file updates that person (and
records what changed) instead of creating a second record. `worker_register` is
`worker_bulk_register` with one row; `worker_update` plans and writes with the same batch.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction

from niangjia.core.audit import audit_record
from niangjia.core.disclosure import disclosure_check
from niangjia.core.identifiers import mask_id_number
from niangjia.core.scoping import Action, can, require
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.identity import id_digest, read_protected, set_protected
from niangjia.registry.models import Employment, HouseholdMember, Worker
from niangjia.registry.services.bulk import NEW, RowOutcome
from niangjia.registry.services.worker_data import (
    PROTECTED,
    WorkerData,
    WorkerRegisteredElsewhere,
    registered_elsewhere,
    worker_apply_data,
)
from niangjia.registry.services.workers_bulk import WorkerBatch, worker_bulk_register

__all__ = [
    "WorkerData",
    "WorkerRegisteredElsewhere",
    "worker_apply_data",
    "worker_bulk_register",
    "worker_found_elsewhere",
    "worker_merge",
    "worker_register",
    "worker_update",
]


def worker_register(
    *, actor: StaffUser | None, data: WorkerData, org: UnionOrg | None = None
) -> tuple[Worker, bool, dict[str, tuple[Any, Any]]]:
    """Register a worker, or update the one already on file with the same ID number.

    Returns (worker, created, changes). The responsible union is the enterprise's,
    else `org`. A number another union holds is a disclosure (`worker_found_elsewhere`).
    """
    with transaction.atomic():
        (outcome,) = worker_bulk_register(actor=actor, rows=[data], org=org).rows
    if outcome.elsewhere and actor is not None:
        worker_found_elsewhere(actor=actor, data=data.cleaned())
    if outcome.error is not None:
        raise outcome.error
    assert outcome.record is not None
    return outcome.record, outcome.status == NEW, outcome.changes


def worker_found_elsewhere(*, actor: StaffUser, data: WorkerData) -> NoReturn:
    """Tell `actor` that the ID number is registered by another union: a disclosure, budgeted and audited.

    Only roles that may register workers get here (the role and the target were checked first),
    and only as often as the hourly disclosure budget allows; everyone else gets the answer they
    would get for a number not on file.
    """
    disclosure_check(actor=actor)
    masked = mask_id_number(data.id_number or "")
    with transaction.atomic():
        audit_record(
            actor=actor, action="registry.worker.found_elsewhere", target_label=f"{data.name}（{masked}）",
            new={"id_number": masked, "enterprise": str(data.enterprise or "")},
        )  # fmt: skip
    raise registered_elsewhere()


def worker_update(
    *, actor: StaffUser | None, worker: Worker, data: WorkerData
) -> tuple[Worker, dict[str, tuple[Any, Any]]]:
    """Change a worker's data; fields left None are kept. Returns the worker and what changed."""
    data = data.cleaned()
    if data.id_number and worker.id_number_hash and worker.id_number_hash != id_digest(data.id_number):
        other = Worker.objects.filter(id_number_hash=id_digest(data.id_number)).exclude(pk=worker.pk).first()
        if other is not None and actor is not None and not can(actor, Action.CHANGE, other):
            require(actor, Action.CHANGE, worker)  # before anything is said about the number
            worker_found_elsewhere(actor=actor, data=data)
        if other is not None:
            raise ValidationError({"id_number": "该身份证号已属于另一名职工；如为同一人，请使用“合并”。"})
    return _update(actor=actor, worker=worker, data=data)


def _update(*, actor: StaffUser | None, worker: Worker, data: WorkerData) -> tuple[Worker, dict[str, tuple[Any, Any]]]:
    if actor is not None:
        require(actor, Action.CHANGE, worker)
        if data.enterprise is not None:
            require(actor, Action.CHANGE, data.enterprise)
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        outcome = RowOutcome[Worker]()
        batch = WorkerBatch()
        batch.load_employments([worker.pk])
        batch.add(worker=worker, data=data, owner=None, outcome=outcome)
        batch.validate()
        if outcome.error is not None:
            raise outcome.error
        batch.write(actor=actor)
    return worker, outcome.changes


def worker_merge(*, actor: StaffUser, keep: Worker, duplicate: Worker) -> Worker:
    """Merge a duplicate record (entered without an ID number) into `keep`.

    Employments and household membership move to `keep`; identifiers missing on
    `keep` are taken from the duplicate; the duplicate stays, marked merged.
    """
    require(actor, Action.CHANGE, keep)
    require(actor, Action.CHANGE, duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError("不能把一条记录合并到它自己。")
    if duplicate.merged_into_id:
        raise ValidationError("该记录已经合并过。")
    if keep.id_number_hash and duplicate.id_number_hash and keep.id_number_hash != duplicate.id_number_hash:
        raise ValidationError("两条记录的身份证号不同，不是同一人，不能合并。")
    with transaction.atomic():
        keep = Worker.objects.select_for_update().get(pk=keep.pk)
        duplicate = Worker.objects.select_for_update().get(pk=duplicate.pk)
        moved = Employment.objects.filter(worker=duplicate).update(worker=keep)
        for name, spec in PROTECTED.items():
            if not getattr(keep, f"{name}_enc") and getattr(duplicate, f"{name}_enc"):
                value = read_protected(duplicate, spec)
                set_protected(duplicate, spec, "")
                if name == "id_number":
                    # Free the unique hash before `keep` takes it.
                    duplicate.save(
                        update_fields=["id_number_enc", "id_number_masked", "id_number_hash", "id_tail_hash"]
                    )
                set_protected(keep, spec, value)
        membership = HouseholdMember.objects.filter(worker=duplicate).first()
        if membership is not None and not HouseholdMember.objects.filter(worker=keep).exists():
            membership.worker = keep
            membership.save(update_fields=["worker"])
        duplicate.merged_into = keep
        duplicate.save()
        keep.save()
        audit_record(
            actor=actor,
            action="registry.worker.merge",
            target=keep,
            old={"duplicate": duplicate.pk},
            new={"employments_moved": moved},
        )
    return keep
