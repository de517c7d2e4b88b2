"""帮扶资金 API, scoped like the pages: pools, allocations, the ledger, commitments, payments, batches, the report.

Commitments are made, and batches built, by the assistance part (an approved application, the payee's bank
details from the registry); here they are read, paid, released, returned and reconciled.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Status, UploadedFile
from pydantic import Field

from niangjia.api_errors import errors
from niangjia.api_fields import Cursor, Id, PageSize
from niangjia.core.scoping import Action
from niangjia.core.tabular.reading import max_bytes
from niangjia.funds import reporting, selectors
from niangjia.funds.api.schemas import (
    AllocationIn,
    AllocationOut,
    BatchImportOut,
    BatchLineOut,
    BatchOut,
    CommitmentOut,
    DisbursementOut,
    LineOut,
    PayIn,
    PoolIn,
    PoolOut,
    ReasonIn,
    ReportOut,
    ReportTableOut,
    TransactionOut,
)
from niangjia.funds.choices import (
    Account,
    BatchStatus,
    CommitmentStatus,
    ExportFormat,
    TxKind,
)
from niangjia.funds.models import Allocation, Commitment, Disbursement, FundPool, PaymentBatch
from niangjia.funds.services import (
    allocation_add,
    allocation_reverse,
    commitment_release,
    disbursement_fail,
    disbursement_pay,
    payment_batch_export,
    payment_batch_import,
    pool_create,
)
from niangjia.orgs.auth import staff_of
from niangjia.orgs.models import UnionOrg

router = Router()

BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "银行代发文件（含完整账号，每次导出记入审计）",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": BINARY,
                "text/csv": BINARY,
            },
        }
    }
}


def _pool(pool: FundPool) -> PoolOut:
    return PoolOut.model_validate(pool, from_attributes=True)


def _allocation(allocation: Allocation) -> AllocationOut:
    return AllocationOut.model_validate(allocation, from_attributes=True)


def _commitment(commitment: Commitment) -> CommitmentOut:
    return CommitmentOut.model_validate(commitment, from_attributes=True)


def _disbursement(disbursement: Disbursement) -> DisbursementOut:
    return DisbursementOut.model_validate(disbursement, from_attributes=True)


def _batch(batch: PaymentBatch) -> BatchOut:
    return BatchOut.model_validate(batch, from_attributes=True)


@router.get(
    "/pools",
    response={200: list[PoolOut], **errors(403)},
    summary="资金池及余额（管辖范围内，新的在前；after_id 翻页）",
)
def pools_list(
    request: HttpRequest, filters: Query[selectors.PoolFilter], after_id: Cursor | None = None, limit: PageSize = 50
) -> list[PoolOut]:
    rows = selectors.pool_list(user=staff_of(request), filters=filters, after_id=after_id, limit=limit)
    return [_pool(p) for p in rows]


@router.post(
    "/pools",
    response={201: PoolOut, **errors(403, 404)},
    summary="新建资金池：每个工会每年每个项目一个（市、区县总工会）",
)
def pools_create(request: HttpRequest, data: PoolIn) -> Status[PoolOut]:
    user = staff_of(request)
    org: UnionOrg = selectors.pool_org_get(user=user, pk=data.org_id)
    pool = pool_create(programme=data.programme, year=data.year, org=org, actor=user, name=data.name, note=data.note)
    return Status(201, _pool(pool))


@router.get("/pools/{pk}", response={200: PoolOut, **errors(403, 404)}, summary="一个资金池及其余额")
def pools_get(request: HttpRequest, pk: Path[Id]) -> PoolOut:
    return _pool(selectors.pool_get(user=staff_of(request), pk=pk))


@router.get(
    "/pools/{pk}/ledger",
    response={200: list[TransactionOut], **errors(403, 404)},
    summary="资金池台账：每笔记录及其分录（合计为零），新的在前；before_id 向前翻页",
)
def pools_ledger(
    request: HttpRequest, pk: Path[Id], before_id: Cursor | None = None, limit: PageSize = 50
) -> list[TransactionOut]:
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pk)
    rows = selectors.pool_ledger(user=user, pool=pool, before_id=before_id, limit=limit)
    return [
        TransactionOut(
            id=tx.pk,
            kind=TxKind(tx.kind),
            at=tx.at,
            reference=tx.reference,
            note=tx.note,
            actor=tx.actor.username if tx.actor else None,
            reverses_id=tx.reverses_id,
            lines=[LineOut(account=Account(e.account), amount=e.amount) for e in tx.entries.all()],
        )
        for tx in rows
    ]


@router.get(
    "/pools/{pk}/allocations",
    response={200: list[AllocationOut], **errors(403, 404)},
    summary="资金池的拨入记录（最近 500 笔）",
)
def pools_allocations(request: HttpRequest, pk: Path[Id], limit: PageSize = 50) -> list[AllocationOut]:
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pk)
    return [_allocation(a) for a in selectors.pool_allocations(user=user, pool=pool, limit=limit)]


@router.post(
    "/pools/{pk}/allocations",
    response={201: AllocationOut, **errors(403, 404)},
    summary="向资金池拨入资金（资金所属工会或上级工会的工作人员）",
)
def pools_allocate(request: HttpRequest, pk: Path[Id], data: AllocationIn) -> Status[AllocationOut]:
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pk, action=Action.CHANGE)
    allocation = allocation_add(pool=pool, amount=data.amount, source=data.source, received_on=data.received_on,
                                note=data.note, actor=user)  # fmt: skip
    return Status(201, _allocation(allocation))


@router.post(
    "/allocations/{pk}/reverse",
    response={200: AllocationOut, **errors(403, 404)},
    summary="冲销一笔拨入：登记相反的台账记录（只能冲销仍可用的部分），原记录不变",
)
def allocations_reverse(request: HttpRequest, pk: Path[Id], data: ReasonIn) -> AllocationOut:
    user = staff_of(request)
    allocation = selectors.allocation_get(user=user, pk=pk, action=Action.CHANGE)
    return _allocation(allocation_reverse(allocation=allocation, reason=data.reason, actor=user))


@router.get(
    "/commitments",
    response={200: list[CommitmentOut], **errors(403, 404)},
    summary="审批占用（管辖范围内，新的在前；before_id 向前翻页）",
)
def commitments_list(
    request: HttpRequest,
    pool_id: Id | None = None,
    status: CommitmentStatus | None = None,
    household_id: Id | None = None,
    before_id: Cursor | None = None,
    limit: PageSize = 50,
) -> list[CommitmentOut]:
    user = staff_of(request)
    pool = selectors.pool_get(user=user, pk=pool_id) if pool_id else None
    rows = selectors.commitment_list(user=user, pool=pool, status=status or "", household_id=household_id,
                                     before_id=before_id, limit=limit)  # fmt: skip
    return [_commitment(c) for c in rows]


@router.get("/commitments/{pk}", response={200: CommitmentOut, **errors(403, 404)}, summary="一笔审批占用")
def commitments_get(request: HttpRequest, pk: Path[Id]) -> CommitmentOut:
    return _commitment(selectors.commitment_get(user=staff_of(request), pk=pk))


@router.post(
    "/commitments/{pk}/release",
    response={200: CommitmentOut, **errors(403, 404)},
    summary="释放一笔待发放的审批占用：资金回到可用余额",
)
def commitments_release(request: HttpRequest, pk: Path[Id], data: ReasonIn) -> CommitmentOut:
    user = staff_of(request)
    commitment = selectors.commitment_get(user=user, pk=pk, action=Action.CHANGE)
    return _commitment(commitment_release(commitment=commitment, reason=data.reason, actor=user))


@router.post(
    "/commitments/{pk}/pay",
    response={200: DisbursementOut, **errors(403, 404)},
    summary="发放：同一幂等键重复提交返回第一次的发放记录；已发放的换新键也不再发放",
)
def commitments_pay(request: HttpRequest, pk: Path[Id], data: PayIn) -> DisbursementOut:
    user = staff_of(request)
    commitment = selectors.commitment_get(user=user, pk=pk, action=Action.CHANGE)
    return _disbursement(disbursement_pay(commitment=commitment, idempotency_key=data.idempotency_key, actor=user))


@router.get("/disbursements/{pk}", response={200: DisbursementOut, **errors(403, 404)}, summary="一笔发放")
def disbursements_get(request: HttpRequest, pk: Path[Id]) -> DisbursementOut:
    return _disbursement(selectors.disbursement_get(user=staff_of(request), pk=pk))


@router.post(
    "/disbursements/{pk}/return",
    response={200: DisbursementOut, **errors(403, 404)},
    summary="登记发放退回（如银行退票）：资金回到资金池可用余额",
)
def disbursements_return(request: HttpRequest, pk: Path[Id], data: ReasonIn) -> DisbursementOut:
    user = staff_of(request)
    disbursement = selectors.disbursement_get(user=user, pk=pk, action=Action.CHANGE)
    return _disbursement(disbursement_fail(disbursement=disbursement, reason=data.reason, actor=user))


@router.get(
    "/batches", response={200: list[BatchOut], **errors(403)}, summary="支付批次（新的在前；before_id 向前翻页）"
)
def batches_list(
    request: HttpRequest, status: BatchStatus | None = None, before_id: Cursor | None = None, limit: PageSize = 50
) -> list[BatchOut]:
    rows = selectors.batch_list(user=staff_of(request), status=status or "", before_id=before_id, limit=limit)
    return [_batch(b) for b in rows]


@router.get("/batches/{pk}", response={200: BatchOut, **errors(403, 404)}, summary="一个支付批次")
def batches_get(request: HttpRequest, pk: Path[Id]) -> BatchOut:
    return _batch(selectors.batch_get(user=staff_of(request), pk=pk))


@router.get(
    "/batches/{pk}/lines",
    response={200: list[BatchLineOut], **errors(403, 404)},
    summary="批次的代发明细（账号脱敏；after_seq 翻页）",
)
def batches_lines(
    request: HttpRequest, pk: Path[Id], after_seq: Annotated[int, Field(ge=0, le=10**6)] = 0, limit: PageSize = 50
) -> list[BatchLineOut]:
    user = staff_of(request)
    batch = selectors.batch_get(user=user, pk=pk)
    lines = selectors.batch_lines(user=user, batch=batch, after_seq=after_seq, limit=limit)
    return [BatchLineOut.model_validate(line, from_attributes=True) for line in lines]


@router.post(
    "/batches/{pk}/export",
    response={**errors(403, 404)},
    openapi_extra=FILE_RESPONSE,
    summary="导出银行代发文件（xlsx 或 csv，含完整账号；每次导出记入审计）",
)
def batches_export(request: HttpRequest, pk: Path[Id], fmt: ExportFormat = ExportFormat.XLSX) -> HttpResponse:
    user = staff_of(request)
    batch = selectors.batch_get(user=user, pk=pk, action=Action.CHANGE)
    name, kind, content = payment_batch_export(batch=batch, fmt=fmt, actor=user)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/batches/{pk}/results",
    response={200: BatchImportOut, **errors(403, 404)},
    summary="导入银行回执（multipart，字段 file；xlsx 或 csv，列：流水号、支付结果，可选金额、失败原因、收款人）："
    "成功的记为发放，失败的资金退回资金池；任何一行有误则整份不导入（422，details 列出行和列）",
)
def batches_results(request: HttpRequest, pk: Path[Id], file: File[UploadedFile]) -> BatchImportOut:
    user = staff_of(request)
    batch = selectors.batch_get(user=user, pk=pk, action=Action.CHANGE)
    if file.size is not None and file.size > max_bytes():
        raise ValidationError({"file": f"文件过大：超过上限 {max_bytes() // 1024 // 1024} MB。"})
    suffix = FilePath(file.name or "").suffix.lower()
    with tempfile.TemporaryDirectory(prefix="funds-result-") as folder:
        path = FilePath(folder) / f"result{suffix if suffix in {'.xlsx', '.xls', '.csv'} else ''}"
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        result = payment_batch_import(batch=batch, path=path, actor=user)
    if not result.ok:
        shown = [f"第 {e.row} 行“{e.column}”：{e.reason}" if e.row else e.reason for e in result.errors[:200]]
        raise ValidationError({"file": shown})
    return BatchImportOut(rows=result.rows, paid=result.paid, failed=result.failed, unchanged=result.unchanged)


@router.get(
    "/report",
    response={200: ReportOut, **errors(403)},
    summary="资金统计：按项目、资金所属工会、月份；少于 5 户的受助户数对无敏感信息权限的角色不显示",
)
def report(request: HttpRequest, filters: Query[reporting.FundReportFilter]) -> ReportOut:
    data = reporting.fund_report(user=staff_of(request), filters=filters)
    tables = [ReportTableOut(title=t.title, key=t.key, header=t.header, rows=t.rows) for t in data["tables"]]
    return ReportOut(**data["total"], households=data["households"], tables=tables)
