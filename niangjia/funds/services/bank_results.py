"""Importing the bank's result file of a batch: each line paid or failed, then reconciled.

Paid → a disbursement (idempotency key "batch-line:<id>", so importing the same file twice pays once);
failed → the commitment is released and its money returns to the pool's available balance. The file
is read with the bounded readers of core/tabular. Every row is checked first; one bad row refuses the
whole file (each bad row named with its field), so nothing is half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.ranges import MONEY_MAX
from niangjia.core.scoping import Action, require
from niangjia.core.tabular.cells import CellError, as_text, decimal, fold, text
from niangjia.core.tabular.columns import Column
from niangjia.core.tabular.errors import ImportFileError, RowError, errors_in_order
from niangjia.core.tabular.reading import read_rows
from niangjia.core.tabular.rows import find_header, parse_rows
from niangjia.funds.choices import BatchStatus, LineStatus
from niangjia.funds.models import Commitment, FundPool, PaymentBatch, PaymentLine
from niangjia.funds.models.fields import CENT
from niangjia.funds.services.commitments import release
from niangjia.funds.services.disbursements import pay
from niangjia.funds.services.ledger import lock_pool, lock_tally

# The bank answers 成功 or 失败, in its own words.
_RESULTS = {
    "已支付": LineStatus.PAID, "支付成功": LineStatus.PAID, "交易成功": LineStatus.PAID, "成功": LineStatus.PAID,
    "已入账": LineStatus.PAID, "success": LineStatus.PAID, "ok": LineStatus.PAID,
    "失败": LineStatus.FAILED, "支付失败": LineStatus.FAILED, "交易失败": LineStatus.FAILED, "退回": LineStatus.FAILED,
    "已退回": LineStatus.FAILED, "fail": LineStatus.FAILED, "failed": LineStatus.FAILED,
}  # fmt: skip


def _result(value: Any) -> str:
    shown = as_text(value)
    found = _RESULTS.get(fold(shown).lower())
    if found is None:
        raise CellError(f"“{shown}”不是支付结果，请填写“成功”或“失败”。")
    return found


COLUMNS = (
    Column(
        "reference", "流水号", text(40), ("交易流水号", "客户流水号", "业务流水号", "参考号", "业务编号"), required=True
    ),
    Column(
        "result",
        "支付结果",
        _result,
        ("结果", "交易结果", "处理结果", "交易状态", "状态", "代发结果"),
        required=True,
    ),
    Column(
        "amount",
        "金额（元）",
        decimal(places=2, minimum=CENT, maximum=MONEY_MAX, example="1234.50"),
        ("金额", "交易金额", "实发金额", "代发金额"),
    ),
    Column("reason", "失败原因", text(200), ("原因", "失败说明", "错误信息", "备注", "处理说明")),
    Column("name", "收款人", text(64), ("户名", "姓名", "收款人姓名", "收款户名")),
)


@dataclass
class BatchImportResult:
    """What an import found and did; `errors` non-empty means nothing was written."""

    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Planned:
    line: PaymentLine
    result: str
    reason: str


def _read(path: Path) -> tuple[list[Any], list[RowError]]:
    rows = read_rows(path)
    header = find_header(rows, COLUMNS, advice="请使用本批次导出的代发文件填写结果，或下载银行回执后对照列名。")
    parsed, errors = [], []
    for row in parse_rows(rows, header, COLUMNS):
        errors += row.errors
        parsed.append((row, header.titles))
    return parsed, errors


def _plan(batch: PaymentBatch, parsed: list[Any], errors: list[RowError]) -> list[_Planned]:
    """Match each row to its line and check it against the line; errors name row and field."""
    refs = [row.values.get("reference") for row, _ in parsed if row.values.get("reference")]
    lines = {line.reference: line for line in PaymentLine.objects.filter(batch=batch, reference__in=refs)}
    seen: dict[str, int] = {}
    planned = []
    for row, titles in parsed:
        if row.errors:
            continue

        def bad(key: str, reason: str, row: Any = row, titles: dict[str, str] = titles) -> None:
            errors.append(RowError(row.number, titles.get(key, key), row.raw.get(key, ""), reason))

        reference, result = row.values.get("reference"), row.values.get("result")
        if reference is None:
            bad("reference", "请填写流水号（导出的代发文件中的“流水号”）。")
            continue
        if result is None or result == LineStatus.PENDING:
            bad("result", "请填写支付结果：成功或失败。")
            continue
        line = lines.get(reference)
        if line is None:
            bad("reference", f"不是本批次 {batch.code} 的流水号，请核对是否选错了批次。")
            continue
        if reference in seen:
            bad("reference", f"与第 {seen[reference]} 行重复。")
            continue
        seen[reference] = row.number
        if row.values.get("amount") is not None and row.values["amount"] != line.amount:
            bad("amount", f"金额与代发文件不符（应为 {line.amount}）。")
            continue
        if row.values.get("name") and row.values["name"] != line.payee_name:
            bad("name", "收款人与代发文件不符。")
            continue
        if line.status != LineStatus.PENDING and line.status != result:
            bad("result", f"该笔已登记为“{line.get_status_display()}”，不能改为“{LineStatus(result).label}”；"
                "如款项被银行退回，请在发放记录中登记退回。")  # fmt: skip
            continue
        reason = (row.values.get("reason") or "").strip()
        if result == LineStatus.FAILED and not reason:
            reason = "银行未说明原因"
        planned.append(_Planned(line=line, result=result, reason=reason))
    return planned


def payment_batch_import(
    *, batch: PaymentBatch, path: Path, actor: Any, at: datetime | None = None
) -> BatchImportResult:
    """Read the bank's result file for a batch and reconcile it; all or nothing."""
    require(actor, Action.CHANGE, batch)
    at = at or timezone.now()
    result = BatchImportResult()
    try:
        parsed, result.errors = _read(path)
    except ImportFileError as exc:
        result.errors = [RowError(0, "文件", "", str(exc))]
        return result
    result.rows = len(parsed)
    with transaction.atomic():
        # Lock order: the batch (imports of one batch wait for each other), pools, commitments, tallies.
        batch = PaymentBatch.objects.select_for_update(of=("self",)).select_related("org").get(pk=batch.pk)
        planned = _plan(batch, parsed, result.errors)
        if result.errors:
            errors_in_order(result.errors)
            return result
        todo = [p for p in planned if p.line.status == LineStatus.PENDING]
        result.unchanged = len(planned) - len(todo)
        commitment_ids = sorted({p.line.commitment_id for p in todo})
        pool_ids = sorted(set(Commitment.objects.filter(pk__in=commitment_ids).values_list("pool_id", flat=True)))
        pools: dict[int, FundPool] = {pk: lock_pool(pk) for pk in pool_ids}
        commitments = {
            c.pk: c for c in Commitment.objects.select_for_update().filter(pk__in=commitment_ids).order_by("pk")
        }
        for household_id, year in sorted({(c.household_id, pools[c.pool_id].year) for c in commitments.values()}):
            lock_tally(household_id, year)
        for item in todo:
            commitment = commitments[item.line.commitment_id]
            pool = pools[commitment.pool_id]
            line = item.line
            if item.result == LineStatus.PAID:
                disbursement = pay(
                    pool=pool, commitment=commitment, key=f"batch-line:{line.pk}", actor=actor, at=at, check=False
                )
                line.disbursement = disbursement
                result.paid += 1
            else:
                release(
                    pool=pool, commitment=commitment, reason=f"银行支付失败：{item.reason}"[:200], actor=actor, at=at
                )
                line.failure_reason = item.reason[:200]
                result.failed += 1
            line.status, line.settled_at = item.result, at
            line.save(update_fields=["status", "settled_at", "disbursement", "failure_reason"])
        if not PaymentLine.objects.filter(batch=batch, status=LineStatus.PENDING).exists():
            batch.status, batch.settled_at = BatchStatus.SETTLED, batch.settled_at or at
            batch.save(update_fields=["status", "settled_at"])
        audit_record(
            actor=actor,
            action="funds.batch.import",
            target=batch,
            new={"rows": result.rows, "paid": result.paid, "failed": result.failed, "unchanged": result.unchanged},
            org_path=batch.org.path,
        )
    return result
