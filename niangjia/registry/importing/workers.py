"""Importing workers: map each row to `WorkerData`, find its employer, and register it with the bulk service.

One person, one record: a row whose ID number is on file updates that worker
(`worker_bulk_register` decides, checks, writes and audits; this module reports).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.identifiers import validate_id_number, validate_uscc
from niangjia.core.tabular.rows import Header, Row, chunked, missing_columns_error
from niangjia.orgs.models import UnionOrg
from niangjia.registry.importing.columns import EMPLOYER_KEYS, WORKER_COLUMNS
from niangjia.registry.importing.context import ImportContext
from niangjia.registry.importing.result import validation_messages
from niangjia.registry.importing.run import CHUNK_ROWS, ImportRun
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.services import WorkerData, worker_bulk_register
from niangjia.registry.services.bulk import RowOutcome
from niangjia.registry.services.workers_bulk import OWNER_MISSING

DATA_FIELDS = ["name", "id_number", "phone", "sex", "ethnicity", "address", "bank_account", "union_member",
               "member_since", "is_migrant", "lives_in_city", "post", "form", "start_date", "contract_months"]  # fmt: skip
# Where WorkerData's error keys point in the file.
ERROR_COLUMNS = {"birth_date": "id_number", "enterprise": "enterprise_name"}


def check_employer_columns(header: Header, org: UnionOrg | None) -> None:
    """Refuse a file that cannot say where its workers work: no employer column, and no --org to fall back on.

    Without this, a roster whose employer column was spelled in a way not recognised would register
    every worker under the importer's own union, with no job: a required fact silently left empty.
    """
    if org is None and not any(key in header.positions for key in EMPLOYER_KEYS):
        missing = [column for column in WORKER_COLUMNS if column.key in EMPLOYER_KEYS]
        raise missing_columns_error(missing, header.ignored, what="工作单位列（以下两列至少要有一列）")


def import_workers(rows: Iterator[Row], run: ImportRun) -> None:
    """Map every row to WorkerData and hand each chunk to `worker_bulk_register`; report row by row."""
    employers = EmployerLookup(run.ctx)
    for chunk in chunked(rows, CHUNK_ROWS):
        mapped = [(row, _data(row, run)) for row in chunk]
        employers.load([row for row, _ in mapped])
        prepared: list[tuple[Row, WorkerData]] = []
        for row, data in mapped:
            data.enterprise = employers.find(row, run)
            if row.errors:
                _report_cleaning(row, data, run)  # the row is refused already; tell every bad cell at once
                run.settle(row)
            elif not _first_seen(row, data, run):
                run.settle(row)
            else:
                prepared.append((row, data))
        outcome = worker_bulk_register(
            actor=run.ctx.user, rows=[data for _, data in prepared], org=run.ctx.fallback_org, write=run.writing
        )
        for (row, _), result in zip(prepared, outcome, strict=True):
            _report(row, result, run)
            if run.settle(row):
                setattr(run.result, result.status, getattr(run.result, result.status) + 1)


def _data(row: Row, run: ImportRun) -> WorkerData:
    """The row as WorkerData (the service cleans it); an empty ID number is this file's error."""
    values: dict[str, Any] = {name: row.values.get(name) for name in DATA_FIELDS}
    if not values["id_number"]:
        run.reject(row, "id_number", "身份证号码不能为空，请填写 18 位身份证号码。")
    return WorkerData(**{**values, "name": values["name"] or ""})


def _report_cleaning(row: Row, data: WorkerData, run: ImportRun) -> None:
    try:
        data.cleaned(every_error=True)
    except ValidationError as error:
        _report(row, RowOutcome(error=error), run)


def _first_seen(row: Row, data: WorkerData, run: ImportRun) -> bool:
    """Refuse the second row with the same ID number (a bad number is left for the service to report)."""
    try:
        number = validate_id_number(data.id_number or "")
    except ValidationError:
        return True
    return run.first_seen(row, "id_number", f"id:{number}", "身份证号", name=data.name)


def _report(row: Row, result: RowOutcome[Worker], run: ImportRun) -> None:
    """Put the service's refusal of a row on the row, in the file's terms."""
    if result.elsewhere:
        run.found_elsewhere(row, result.elsewhere)
    elif isinstance(result.error, PermissionDenied):
        # The employer's scope was checked when it was found: what is refused is the fallback union.
        owner = run.ctx.fallback_org
        run.reject(row, "enterprise_name", f"您无权在“{owner.name if owner else ''}”名下登记新职工。")
    elif result.error is not None:
        for name, message in validation_messages(result.error).items():
            if _code(result.error, name) == OWNER_MISSING:
                if row.has_error(*EMPLOYER_KEYS):
                    continue  # the employer cell given is wrong, and said so: one wrong cell, one error
                message = "请填写工作单位，以确定该职工的负责工会。"
            run.reject(row, ERROR_COLUMNS.get(name, name if name in DATA_FIELDS else "name"), message)


def _code(error: ValidationError, name: str) -> str | None:
    errors = getattr(error, "error_dict", {}).get(name) or []
    return errors[0].code if errors else None


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
