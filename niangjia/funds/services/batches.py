"""Payment batches: approved commitments to the bank as one transfer file (xlsx or csv).

The payee's name, masked ID, bank and account belong to the registry; the caller (assistance) passes
them in `PayeeLine`s, so funds never reads the registry. The account is stored encrypted and shown
masked; it appears in full only in the exported file, and every export is audited.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.identifiers import mask_text
from niangjia.core.keys import protect, unprotect
from niangjia.core.scoping import Action, require
from niangjia.funds.choices import CommitmentStatus, ExportFormat, LineStatus
from niangjia.funds.models import Commitment, PaymentBatch, PaymentLine
from niangjia.funds.services.commitments import pending_line
from niangjia.funds.services.disbursements import payment_refusal
from niangjia.funds.services.ledger import clean_amount, clean_text, lock_tally

ACCOUNT_CONTEXT = "funds.payment_line.account"
BATCH_MAX_LINES = 5000
SHOWN_ERRORS = 50
_ACCOUNT = re.compile(r"\d{6,32}")
_FULL_ID = re.compile(r"\d{15}|\d{17}[\dXx]")

# The transfer file's columns; the two last ones are left blank for the bank's (or the clerk's) answer,
# so that the same file, filled in, can be imported back as the result.
EXPORT_HEADER = (
    "序号",
    "流水号",
    "收款人",
    "证件号（脱敏）",
    "开户银行",
    "账号",
    "金额（元）",
    "附言",
    "支付结果",
    "失败原因",
)


@dataclass(frozen=True)
class PayeeLine:
    """Who is paid for one commitment: from the registry, passed in by the caller."""

    name: str
    id_masked: str
    bank: str
    account: str
    amount: Decimal
    reference: str = ""  # the transfer's memo (附言), e.g. "2026 送温暖"


def mask_account(account: str) -> str:
    """ "6222****3445": the first and last four digits."""
    return mask_text(account, keep=4, suffix=4)


def _payee_problem(payee: PayeeLine, commitment: Commitment) -> str | None:
    """What is wrong with one payee line (the first problem), or None."""
    try:
        clean_text(payee.name, field="name", label="收款人", max_length=64)
        clean_text(payee.id_masked, field="id_masked", label="证件号", max_length=32)
        clean_text(payee.bank, field="bank", label="开户银行", max_length=100)
        clean_text(payee.reference, field="reference", label="附言", max_length=64, required=False)
        amount = clean_amount(payee.amount)
    except ValidationError as exc:
        return exc.messages[0]
    if "*" not in payee.id_masked or _FULL_ID.fullmatch(payee.id_masked.strip()):
        return "证件号须为脱敏后的号码（如 6101**********1234）：资金模块不保存完整证件号。"
    if not _ACCOUNT.fullmatch(re.sub(r"[\s-]", "", payee.account or "")):
        return "账号应为 6–32 位数字。"
    if amount != commitment.amount:
        return f"金额 {amount} 与审批占用金额 {commitment.amount} 不符。"
    return None


def _commitment_problem(commitment: Commitment, paid_this_year: Decimal) -> str | None:
    if commitment.status != CommitmentStatus.OPEN:
        return f"该笔审批占用{commitment.get_status_display()}，不能再发放。"
    line = pending_line(commitment)
    if line is not None:
        return f"该笔已在支付批次 {line.batch.code} 中等待银行回执。"
    return payment_refusal(pool=commitment.pool, commitment=commitment, paid_this_year=paid_this_year)


def payment_batch_create(
    *, commitments: Sequence[Commitment], payees: Sequence[PayeeLine], actor: Any, note: str = ""
) -> PaymentBatch:
    """Put open commitments of one federation's pools into a batch for the bank, one payee line each.

    `payees[i]` pays `commitments[i]`. Each commitment must be open, in no other waiting batch, and
    payable today (yearly cap, once per period: the bank pays what the file says, so the rules are
    checked here). Refused as a whole, with every line at fault named, or written as a whole.
    """
    if not commitments or len(commitments) != len(payees):
        raise ValidationError({"payees": "每笔审批占用须有一条收款信息，且至少一笔。"})
    if len(commitments) > BATCH_MAX_LINES:
        raise ValidationError({"payees": f"一个批次最多 {BATCH_MAX_LINES} 笔，请分成几个批次。"})
    if len({c.pk for c in commitments}) != len(commitments):
        raise ValidationError({"payees": "同一笔审批占用在批次中出现了两次。"})
    note = clean_text(note, field="note", label="说明", max_length=200, required=False)
    payee_of = {c.pk: payee for c, payee in zip(commitments, payees, strict=True)}
    with transaction.atomic():
        locked = list(
            Commitment.objects.select_for_update(of=("self",))
            .select_related("pool", "pool__org")
            .filter(pk__in=payee_of)
            .order_by("pk")
        )
        if len(locked) != len(payee_of):
            raise ValidationError({"payees": "有审批占用不存在。"})
        pools = {c.pool_id: c.pool for c in locked}
        for pool in pools.values():
            require(actor, Action.CHANGE, pool)
        orgs = {pool.org_id for pool in pools.values()}
        if len(orgs) != 1:
            raise ValidationError({"payees": "一个批次只能包含同一工会资金池的审批占用，请按资金所属工会分批。"})
        problems = []
        by_pk = {c.pk: c for c in locked}
        for number, commitment in enumerate((by_pk[c.pk] for c in commitments), start=1):
            payee = payee_of[commitment.pk]
            tally = lock_tally(commitment.household_id, commitment.pool.year)
            problem = _payee_problem(payee, commitment) or _commitment_problem(commitment, tally.paid)
            if problem:
                problems.append(f"第 {number} 笔（{(payee.name or '').strip()[:64] or '未填姓名'}）：{problem}")
        if problems:
            more = [f"……共 {len(problems)} 笔有误。"] if len(problems) > SHOWN_ERRORS else []
            raise ValidationError({"payees": problems[:SHOWN_ERRORS] + more})
        org = next(iter(pools.values())).org
        batch = PaymentBatch.objects.create(code=f"tmp-{uuid.uuid4().hex[:24]}", org=org, note=note, created_by=actor)
        batch.code = f"ZF{timezone.localdate():%Y%m%d}{batch.pk:06d}"
        lines = []
        for seq, commitment in enumerate((by_pk[c.pk] for c in commitments), start=1):
            payee = payee_of[commitment.pk]
            account = re.sub(r"[\s-]", "", payee.account)
            protected = protect(account, context=ACCOUNT_CONTEXT, mask=mask_account)
            lines.append(
                PaymentLine(
                    batch=batch,
                    seq=seq,
                    reference=f"{batch.code}-{seq:04d}",
                    commitment=commitment,
                    payee_name=payee.name.strip(),
                    id_masked=payee.id_masked.strip(),
                    bank=payee.bank.strip(),
                    account_enc=protected.token,
                    account_masked=protected.masked,
                    amount=commitment.amount,
                    memo=payee.reference.strip(),
                )
            )
        PaymentLine.objects.bulk_create(lines, batch_size=1000)
        batch.line_count, batch.total = len(lines), sum((line.amount for line in lines), Decimal(0))
        batch.save(update_fields=["code", "line_count", "total"])
        audit_record(
            actor=actor,
            action="funds.batch.create",
            target=batch,
            new={"lines": batch.line_count, "total": batch.total, "org": org.pk},
            org_path=org.path,
        )
    return batch


def payment_batch_export(*, batch: PaymentBatch, fmt: str, actor: Any) -> tuple[str, str, bytes]:
    """The bank transfer file of a batch with full account numbers: (file name, content type, bytes). Audited."""
    require(actor, Action.EXPORT, batch)
    require(actor, Action.REVEAL, batch)
    if fmt not in ExportFormat.values:
        raise ValidationError({"fmt": "导出格式应为 xlsx 或 csv。"})
    lines = PaymentLine.objects.filter(batch=batch).order_by("seq")
    rows = [
        [
            line.seq,
            line.reference,
            line.payee_name,
            line.id_masked,
            line.bank,
            unprotect(line.account_enc, context=ACCOUNT_CONTEXT),
            f"{line.amount:.2f}",
            line.memo,
            "" if line.status == LineStatus.PENDING else line.get_status_display(),
            line.failure_reason,
        ]
        for line in lines.iterator(chunk_size=1000)
    ]
    content = _xlsx(batch, rows) if fmt == ExportFormat.XLSX else _csv(rows)
    with transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(exports=F("exports") + 1)
        audit_record(
            actor=actor,
            action="funds.batch.export",
            target=batch,
            new={"format": fmt, "rows": len(rows), "accounts_revealed": len(rows)},
            org_path=batch.org.path,
        )
    kind = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == ExportFormat.XLSX
        else "text/csv; charset=utf-8"
    )
    return f"{batch.code}.{fmt}", kind, content


def _xlsx(batch: PaymentBatch, rows: list[list[Any]]) -> bytes:
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet("代发明细")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    for col, title in enumerate(EXPORT_HEADER):
        sheet.write_string(0, col, title, bold)
    for number, row in enumerate(rows, start=1):
        sheet.write_number(number, 0, row[0])
        for col, value in enumerate(row[1:], start=1):
            # Text, never numbers: an account or an amount must reach the bank digit for digit.
            sheet.write_string(number, col, str(value), text)
    sheet.set_column(1, 1, 22)
    sheet.set_column(3, 3, 20)
    sheet.set_column(4, 5, 24)
    sheet.freeze_panes(1, 0)
    book.set_properties({"title": f"银行代发文件 {batch.code}"})
    book.close()
    return stream.getvalue()


def _csv(rows: list[list[Any]]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(rows)
    # UTF-8 with BOM: Excel in China opens it without garbling the names.
    return ("\ufeff" + stream.getvalue()).encode("utf-8")
