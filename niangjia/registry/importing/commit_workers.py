"""The bulk writer of worker imports: plan one chunk of rows, then write it in a few queries.

Field changes are computed by the same code `worker_register` uses (`worker_apply_data`),
so a row means exactly what the service would make of it; only the writing is
batched: bulk_create for new workers and jobs, bulk_update for changed ones, one
`registry.worker.change` audit entry per existing worker whose data changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.choices import EmploymentForm
from niangjia.registry.models import Employment, Household, Worker
from niangjia.registry.services import WorkerData
from niangjia.registry.services.workers import worker_apply_data

BATCH_SIZE = 1000
EMPLOYMENT_FIELDS = ["post", "form", "start_date", "contract_months"]
# The columns behind each name `worker_apply_data` reports as changed.
STORED_FIELDS: dict[str, list[str]] = {
    "name": ["name", "name_initials", "name_pinyin"],
    "id_number": ["id_number_enc", "id_number_masked", "id_number_hash", "id_tail_hash"],
    "phone": ["phone_enc", "phone_masked", "phone_hash", "phone_tail_hash"],
    "address": ["address_enc", "address_masked"],
    "bank_account": ["bank_account_enc", "bank_account_masked"],
}

Changes = dict[str, tuple[Any, Any]]


@dataclass
class WorkerBatch:
    """The writes planned for one chunk of rows."""

    new_workers: list[Worker] = field(default_factory=list)
    new_jobs: list[Employment] = field(default_factory=list)
    changed: list[tuple[Worker, Changes]] = field(default_factory=list)
    changed_jobs: list[Employment] = field(default_factory=list)
    current_jobs: dict[tuple[int, int], Employment] = field(default_factory=dict)

    def load_employments(self, worker_ids: list[int]) -> None:
        """Fetch the current jobs of existing workers, keyed by (worker, enterprise)."""
        jobs = Employment.objects.filter(worker_id__in=worker_ids, end_date__isnull=True)
        self.current_jobs = {(job.worker_id, job.enterprise_id): job for job in jobs}

    def add(self, *, worker: Worker | None, data: WorkerData, owner: UnionOrg | None) -> str:
        """Plan one cleaned row; return "new", "updated" or "unchanged"."""
        created = worker is None
        if worker is None:
            assert owner is not None
            worker = Worker(org=owner, name="")
        changes = worker_apply_data(worker, data)
        if data.enterprise is not None:
            self._plan_job(worker, data, changes, created)
        if created:
            self.new_workers.append(worker)
            return "new"
        if changes:
            self.changed.append((worker, changes))
            return "updated"
        return "unchanged"

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

    def write(self, *, actor: StaffUser | None) -> None:
        """Write the planned rows: a handful of bulk queries plus one audit entry per changed worker."""
        Worker.objects.bulk_create(self.new_workers, batch_size=BATCH_SIZE)
        Employment.objects.bulk_create(self.new_jobs, batch_size=BATCH_SIZE)
        if self.changed_jobs:
            Employment.objects.bulk_update(self.changed_jobs, EMPLOYMENT_FIELDS, batch_size=BATCH_SIZE)
        if not self.changed:
            return
        now = timezone.now()
        columns = {"updated_at"}
        for worker, changes in self.changed:
            worker.updated_at = now
            for name in changes:
                if not name.startswith("employment"):
                    columns.update(STORED_FIELDS.get(name, [name]))
        Worker.objects.bulk_update([worker for worker, _ in self.changed], sorted(columns), batch_size=BATCH_SIZE)
        changed_ids = [worker.pk for worker, _ in self.changed]
        Household.objects.filter(members__worker_id__in=changed_ids).update(facts_changed_at=now)
        for worker, changes in self.changed:
            audit_record(
                actor=actor, action="registry.worker.change", target=worker,
                old={k: v[0] for k, v in changes.items()}, new={k: v[1] for k, v in changes.items()},
            )  # fmt: skip
