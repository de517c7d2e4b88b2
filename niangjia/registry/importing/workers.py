"""Importing workers: validate each row with `WorkerData.cleaned()`, resolve the employer, plan, write.

One person, one record: a row whose ID number is on file updates that worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError

from niangjia.core.identifiers import validate_uscc
from niangjia.registry.identity import id_digest
from niangjia.registry.importing.commit_workers import WorkerBatch
from niangjia.registry.importing.context import ImportContext
from niangjia.registry.importing.result import validation_messages
from niangjia.registry.importing.rows import Row, chunked
from niangjia.registry.importing.run import CHUNK_ROWS, ImportRun
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.services import WorkerData

DATA_FIELDS = ["name", "id_number", "phone", "sex", "ethnicity", "address", "bank_account", "union_member",
               "member_since", "is_migrant", "lives_in_city", "post", "form", "start_date", "contract_months"]  # fmt: skip
# Where WorkerData's error keys point in the file.
ERROR_COLUMNS = {"birth_date": "id_number", "enterprise": "enterprise_name"}


def import_workers(rows: Iterator[Row], run: ImportRun) -> None:
    """Validate and (when writing) create or update every good row, chunk by chunk."""
    employers = EmployerLookup(run.ctx)
    for chunk in chunked(rows, CHUNK_ROWS):
        prepared = [(row, data) for row in chunk if (data := _prepare(row, run)) is not None]
        employers.load([row for row, _ in prepared])
        hashes = [id_digest(data.id_number or "") for _, data in prepared]
        existing = {w.id_number_hash: w for w in Worker.objects.filter(id_number_hash__in=hashes)}
        allowed = set(run.ctx.changeable(Worker.objects.filter(pk__in=[w.pk for w in existing.values()]))
                      .values_list("pk", flat=True))  # fmt: skip
        batch = WorkerBatch()
        batch.load_employments([w.pk for w in existing.values() if w.pk in allowed])
        for (row, data), digest in zip(prepared, hashes, strict=True):
            data.enterprise = employers.find(row, run)
            worker = existing.get(digest)
            owner = _owner(row, run, data, worker, allowed)
            if not run.settle(row):
                continue
            # A new worker needs no planning unless it is to be written (encrypting is the costly part).
            outcome = batch.add(worker=worker, data=data, owner=owner) if worker or run.writing else "new"
            setattr(run.result, outcome, getattr(run.result, outcome) + 1)
        if run.writing:
            batch.write(actor=run.ctx.user)


def _prepare(row: Row, run: ImportRun) -> WorkerData | None:
    """Build and clean the row's WorkerData; reject the row's bad cells."""
    values: dict[str, Any] = {name: row.values.get(name) for name in DATA_FIELDS}
    if not values["id_number"]:
        run.reject(row, "id_number", "身份证号码不能为空，请填写 18 位身份证号码。")
    data = WorkerData(**{**values, "name": values["name"] or ""})
    # cleaned() stops at the first problem; drop each bad value and clean again so
    # that every bad cell of the row is reported at once.
    for _ in DATA_FIELDS:
        try:
            data = data.cleaned()
            break
        except ValidationError as exc:
            for name, message in validation_messages(exc).items():
                run.reject(row, ERROR_COLUMNS.get(name, name or "name"), message)
                setattr(data, name or "name", "-" if name in ("name", "") else None)
    if row.errors:
        run.settle(row)
        return None
    if not run.first_seen(row, "id_number", f"id:{data.id_number}", "身份证号"):
        run.settle(row)
        return None
    return data


def _owner(row: Row, run: ImportRun, data: WorkerData, worker: Worker | None, allowed: set[int]) -> Any:
    """The union a new worker is registered under; reject rows the user may not write."""
    if worker is not None:
        if worker.pk not in allowed:
            run.found_elsewhere(row, f"worker:{worker.pk}")
        return None  # an existing worker keeps the union responsible for them
    owner = data.enterprise.org if data.enterprise is not None else run.ctx.fallback_org
    if owner is None:
        run.reject(row, "enterprise_name", "请填写工作单位，以确定该职工的负责工会。")
    elif not run.ctx.may_change_org(owner):
        run.reject(row, "enterprise_name", f"您无权在“{owner.name}”名下登记新职工。")
    return owner


class EmployerLookup:
    """Finds the enterprise of a row by 统一社会信用代码, else by exact name within scope."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.by_uscc: dict[str, Enterprise | None] = {}
        self.by_name: dict[str, list[Enterprise]] = {}
        self.allowed: set[int] = set()

    def load(self, rows: list[Row]) -> None:
        """Fetch, in two queries, the enterprises the rows name that are not cached yet."""
        usccs = set()
        for row in rows:
            try:
                usccs.add(validate_uscc(row.values.get("enterprise_uscc") or ""))
            except ValidationError:
                continue
        names = {name for row in rows if (name := row.values.get("enterprise_name"))} - set(self.by_name)
        usccs -= set(self.by_uscc)
        found = list(Enterprise.objects.filter(uscc__in=usccs).select_related("org")) if usccs else []
        self.by_uscc.update(dict.fromkeys(usccs))
        self.by_uscc.update({e.uscc: e for e in found if e.uscc})
        named = list(Enterprise.objects.filter(name__in=names).select_related("org")) if names else []
        for name in names:
            self.by_name[name] = [e for e in named if e.name == name]
        candidates = [e.pk for e in (*found, *named)]
        self.allowed |= set(
            self.ctx.changeable(Enterprise.objects.filter(pk__in=candidates)).values_list("pk", flat=True)
        )

    def find(self, row: Row, run: ImportRun) -> Enterprise | None:
        """The row's enterprise, or None (no employer given, or a rejected cell)."""
        if row.values.get("enterprise_uscc"):
            try:
                uscc = validate_uscc(row.values["enterprise_uscc"])
            except ValidationError as exc:
                run.reject(row, "enterprise_uscc", exc.messages[0])
                return None
            enterprise = self.by_uscc.get(uscc)
            if enterprise is None:
                run.reject(row, "enterprise_uscc", f"未找到统一社会信用代码为 {uscc} 的企业，请先导入企业名册。")
                return None
            return self._in_scope(row, run, enterprise, "enterprise_uscc")
        name = row.values.get("enterprise_name")
        if not name:
            return None
        matches = self.by_name.get(name, [])
        inside = [e for e in matches if e.pk in self.allowed]
        if len(inside) > 1:
            run.reject(
                row, "enterprise_name", f"有 {len(inside)} 家企业名为“{name}”，请增加“统一社会信用代码”列以区分。"
            )
            return None
        if not matches:
            run.reject(row, "enterprise_name", f"未找到名为“{name}”的企业，请先导入企业名册，或填写统一社会信用代码。")
            return None
        return self._in_scope(row, run, inside[0] if inside else matches[0], "enterprise_name")

    def _in_scope(self, row: Row, run: ImportRun, enterprise: Enterprise, key: str) -> Enterprise | None:
        if enterprise.pk in self.allowed:
            return enterprise
        run.reject(row, key, f"工作单位“{enterprise.name}”不在您的管辖范围内，不能为其导入职工。")
        return None
