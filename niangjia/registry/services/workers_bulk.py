"""Registering many workers at once: the same checks as `worker_register`, written in a few queries.

`worker_register` is this with one row; the Excel import calls it a chunk at a time. Steps:
clean every row (`WorkerData.cleaned`, every bad field reported), check scope (one `restrict`
query for the enterprises, one for the existing workers), plan each row with the same code the
single services use (`worker_apply_data`), validate each record's changed fields, then write:
`insert_records` (COPY on PostgreSQL) for new workers and jobs, `bulk_update` for changed ones, and one audit entry per
created or changed worker, all in one transaction.

Validation per record is the model's `clean_fields` on the columns the row sets (lengths,
choices, ranges); uniqueness of the ID number is the hash lookup below, and the foreign keys
come from scoped lookups, so `full_clean`'s per-row queries (unique checks, foreign keys) are
not repeated for each of thousands of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from niangjia.core.audit import audit_entry, audit_records
from niangjia.core.inserting import insert_records
from niangjia.core.scoping import Action, require, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.choices import EmploymentForm
from niangjia.registry.identity import id_digest
from niangjia.registry.models import Employment, Enterprise, Household, HouseholdMember, Worker
from niangjia.registry.services.bulk import (
    BATCH_SIZE,
    ERROR,
    NEW,
    UNCHANGED,
    UPDATED,
    BulkOutcome,
    Changes,
    RowOutcome,
)
from niangjia.registry.services.worker_data import WorkerData, registered_elsewhere, worker_apply_data

EMPLOYMENT_FIELDS = ["post", "form", "start_date", "contract_months"]
# The columns behind each name `worker_apply_data` reports as changed.
STORED_FIELDS: dict[str, list[str]] = {
    "name": ["name", "name_initials", "name_pinyin"],
    "id_number": ["id_number_enc", "id_number_masked", "id_number_hash", "id_tail_hash"],
    "phone": ["phone_enc", "phone_masked", "phone_hash", "phone_tail_hash"],
    "address": ["address_enc", "address_masked"],
    "bank_account": ["bank_account_enc", "bank_account_masked"],
}
# Checked by `clean_fields` on a new worker or job (the rest are defaults, hashes or keys).
_WORKER_CHECKED = ["name", "sex", "birth_date", "ethnicity", "member_since", "mutual_aid_year",
                   "id_number_masked", "phone_masked", "address_masked", "bank_account_masked"]  # fmt: skip
OWNER_MISSING = "owner_missing"


def worker_bulk_register(
    *, actor: StaffUser | None, rows: Sequence[WorkerData], org: UnionOrg | None = None, write: bool = True
) -> BulkOutcome[Worker]:
    """Register each row's worker, or update the one on file with its ID number; one outcome per row.

    As `worker_register`: the responsible union of a new worker is the row's enterprise's, else
    `org`; the actor must be allowed to change that enterprise or union (checked before the ID
    number is looked up); a person another union holds is refused with `elsewhere` set. With
    `write=False` the rows are checked and counted and nothing is written (new workers are not
    even planned: encrypting their identifiers is the costly part).
    """
    outcomes: list[RowOutcome[Worker]] = [RowOutcome() for _ in rows]
    cleaned = [_cleaned(data, outcome) for data, outcome in zip(rows, outcomes, strict=True)]
    _check_owners(actor, cleaned, outcomes, org)
    existing, allowed = _existing(actor, cleaned, outcomes)
    batch = WorkerBatch()
    batch.load_employments(sorted(allowed) if actor is not None else [w.pk for w in existing.values()])
    for data, outcome in zip(cleaned, outcomes, strict=True):
        if data is None or not outcome.ok:
            continue
        worker = existing.get(id_digest(data.id_number)) if data.id_number else None
        owner = data.enterprise.org if data.enterprise is not None else org
        if worker is not None and actor is not None and worker.pk not in allowed:
            if owner is not None:
                outcome.refuse(registered_elsewhere(), elsewhere=f"worker:{worker.pk}")
                continue
            worker = None  # answered as for a number not on file: the owner is missing
        if worker is None and owner is None:
            missing = ValidationError("请指定所在企业或负责工会。", code=OWNER_MISSING)
            outcome.refuse(ValidationError({"enterprise": missing}))
            continue
        if worker is None and not write:
            continue  # counted as new
        batch.add(worker=worker, data=data, owner=owner, outcome=outcome)
    batch.validate()
    if write:
        with transaction.atomic():
            batch.write(actor=actor)
    return BulkOutcome(outcomes)


def _cleaned(data: WorkerData, outcome: RowOutcome[Worker]) -> WorkerData | None:
    try:
        return data.cleaned(every_error=True)
    except ValidationError as error:
        outcome.refuse(error)
        return None


def _check_owners(
    actor: StaffUser | None, rows: list[WorkerData | None], outcomes: list[RowOutcome[Worker]], org: UnionOrg | None
) -> None:
    """Refuse rows whose enterprise (or, without one, `org`) the actor may not change: one query."""
    if actor is None:
        return
    enterprises = {data.enterprise.pk: data.enterprise for data in rows if data and data.enterprise is not None}
    allowed = set(
        restrict(Enterprise.objects.filter(pk__in=list(enterprises)), actor, Action.CHANGE).values_list("pk", flat=True)
    )
    without_enterprise = any(data is not None and data.enterprise is None for data in rows)
    org_allowed = org is None or not without_enterprise or _may(actor, org)
    denied: dict[object, PermissionDenied] = {}
    for data, outcome in zip(rows, outcomes, strict=True):
        if data is None:
            continue
        target: models.Model | None = data.enterprise if data.enterprise is not None else org
        if target is None or (target.pk in allowed if isinstance(target, Enterprise) else org_allowed):
            continue
        key = (type(target), target.pk)
        if key not in denied:
            denied[key] = _denial(actor, target)
        outcome.refuse(denied[key])


def _may(actor: StaffUser, org: UnionOrg) -> bool:
    return restrict(UnionOrg.objects.filter(pk=org.pk), actor, Action.CHANGE).exists()


def _denial(actor: StaffUser, target: models.Model) -> PermissionDenied:
    """The error `require` gives for `target` (only asked for targets already found out of scope)."""
    try:
        require(actor, Action.CHANGE, target)
    except PermissionDenied as error:
        return error
    return PermissionDenied("无权修改该记录。")


def _existing(
    actor: StaffUser | None, rows: list[WorkerData | None], outcomes: list[RowOutcome[Worker]]
) -> tuple[dict[str, Worker], set[int]]:
    """The workers on file with the rows' ID numbers (locked), and those the actor may change."""
    digests: dict[str, RowOutcome[Worker]] = {}
    for data, outcome in zip(rows, outcomes, strict=True):
        if data is None or not outcome.ok or not data.id_number:
            continue
        digest = id_digest(data.id_number)
        if digest in digests:
            outcome.refuse(ValidationError({"id_number": "同一身份证号在本次登记中出现了两次。"}))
            continue
        digests[digest] = outcome
    if not digests:
        return {}, set()
    found = Worker.objects.filter(id_number_hash__in=list(digests))
    if transaction.get_connection().in_atomic_block:
        found = found.select_for_update()
    existing = {w.id_number_hash or "": w for w in found}
    if actor is None:
        return existing, {w.pk for w in existing.values()}
    ids = [w.pk for w in existing.values()]
    allowed = set(restrict(Worker.objects.filter(pk__in=ids), actor, Action.CHANGE).values_list("pk", flat=True))
    return existing, allowed


@dataclass
class WorkerBatch:
    """The writes planned for a set of rows."""

    new_workers: list[tuple[Worker, RowOutcome[Worker]]] = field(default_factory=list)
    new_jobs: list[Employment] = field(default_factory=list)
    changed: list[tuple[Worker, RowOutcome[Worker]]] = field(default_factory=list)
    changed_jobs: list[Employment] = field(default_factory=list)
    current_jobs: dict[tuple[int, int], Employment] = field(default_factory=dict)

    def load_employments(self, worker_ids: list[int]) -> None:
        """Fetch the current jobs of existing workers, keyed by (worker, enterprise)."""
        if worker_ids:
            jobs = Employment.objects.filter(worker_id__in=worker_ids, end_date__isnull=True)
            self.current_jobs = {(job.worker_id, job.enterprise_id): job for job in jobs}

    def add(
        self, *, worker: Worker | None, data: WorkerData, owner: UnionOrg | None, outcome: RowOutcome[Worker]
    ) -> None:
        """Plan one cleaned row; set its outcome's status, record and changes."""
        created = worker is None
        if worker is None:
            assert owner is not None
            worker = Worker(org=owner, name="")
        outcome.record = worker
        outcome.changes = worker_apply_data(worker, data)
        if data.enterprise is not None:
            self._plan_job(worker, data, outcome.changes, created)
        if created:
            self.new_workers.append((worker, outcome))
            outcome.status = NEW
        elif outcome.changes:
            self.changed.append((worker, outcome))
            outcome.status = UPDATED
        else:
            outcome.status = UNCHANGED

    def _plan_job(self, worker: Worker, data: WorkerData, changes: Changes, created: bool) -> None:
        assert data.enterprise is not None
        job = None if created else self.current_jobs.get((worker.pk, data.enterprise.pk))
        if job is None:
            self.new_jobs.append(
                Employment(
                    worker=worker, enterprise=data.enterprise, post=data.post or "",
                    form=data.form or EmploymentForm.STANDARD, start_date=data.start_date,
                    contract_months=data.contract_months,
                )
            )  # fmt: skip
            changes["employment"] = ("", data.enterprise.name)
            return
        before = len(changes)
        for name in EMPLOYMENT_FIELDS:
            value = getattr(data, name)
            if value is not None and getattr(job, name) != value:
                changes[f"employment.{name}"] = (getattr(job, name), value)
                setattr(job, name, value)
        if len(changes) > before:
            self.changed_jobs.append(job)

    def validate(self) -> None:
        """Check each planned record's fields; a row that fails is refused and not written."""
        refused: set[int] = set()
        # Only the fields a row sets (for a new worker, every field given): the rest hold defaults.
        for worker, outcome in (*self.new_workers, *self.changed):
            names = [c for name in outcome.changes if "." not in name for c in STORED_FIELDS.get(name, [name])]
            _clean_fields(worker, [n for n in names if n in _WORKER_CHECKED], outcome, refused)
        outcomes = {id(w): o for w, o in (*self.new_workers, *self.changed)}
        for job in (*self.new_jobs, *self.changed_jobs):
            if id(job.worker) in outcomes:
                names = [name for name in EMPLOYMENT_FIELDS if getattr(job, name) not in (None, "")]
                _clean_fields(job, names, outcomes[id(job.worker)], refused)
        if refused:
            self.new_workers = [(w, o) for w, o in self.new_workers if id(w) not in refused]
            self.changed = [(w, o) for w, o in self.changed if id(w) not in refused]
            self.new_jobs = [j for j in self.new_jobs if id(j.worker) not in refused]
            self.changed_jobs = [j for j in self.changed_jobs if id(j.worker) not in refused]

    def write(self, *, actor: StaffUser | None) -> None:
        """Write the planned rows: a handful of bulk queries plus one audit entry per written worker."""
        now = timezone.now()
        insert_records([w for w, _ in self.new_workers])
        insert_records(self.new_jobs)
        if self.changed_jobs:
            Employment.objects.bulk_update(self.changed_jobs, EMPLOYMENT_FIELDS, batch_size=BATCH_SIZE)
        if self.changed:
            columns = {"updated_at"}
            for worker, outcome in self.changed:
                worker.updated_at = now
                for name in outcome.changes:
                    if not name.startswith("employment"):
                        columns.update(STORED_FIELDS.get(name, [name]))
            Worker.objects.bulk_update([w for w, _ in self.changed], sorted(columns), batch_size=BATCH_SIZE)
            changed_ids = [worker.pk for worker, _ in self.changed]
            members = HouseholdMember.objects.filter(worker_id__in=changed_ids).values("household_id")
            Household.objects.filter(pk__in=members).update(facts_changed_at=now)
        audit_records(
            [
                audit_entry(actor=actor, action="registry.worker.create", target=w,
                            new={k: v[1] for k, v in o.changes.items()})
                for w, o in self.new_workers
            ]
            + [
                audit_entry(actor=actor, action="registry.worker.change", target=w,
                            old={k: v[0] for k, v in o.changes.items()}, new={k: v[1] for k, v in o.changes.items()})
                for w, o in self.changed
            ]
        )  # fmt: skip


def _clean_fields(record: models.Model, names: list[str], outcome: RowOutcome[Worker], refused: set[int]) -> None:
    if not outcome.ok:
        return
    if not names:
        return
    exclude = [f.name for f in record._meta.concrete_fields if f.name not in names]
    try:
        record.clean_fields(exclude=exclude)
    except ValidationError as error:
        outcome.refuse(error)
        outcome.status = ERROR
        refused.add(id(record if isinstance(record, Worker) else record.worker))  # type: ignore[attr-defined]
