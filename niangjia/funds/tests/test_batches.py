"""Payment batches: the transfer file (accounts only there, audited) and the bank's result file, reconciled."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from niangjia.core.models import AuditEntry
from niangjia.funds.choices import BatchStatus, CommitmentStatus, LineStatus
from niangjia.funds.integrity import ledger_check
from niangjia.funds.models import Commitment, Disbursement, FundPool, PaymentBatch, PaymentLine
from niangjia.funds.services import (
    PayeeLine,
    commitment_create,
    disbursement_pay,
    payment_batch_create,
    payment_batch_export,
    payment_batch_import,
)

D = Decimal
ACCOUNTS = ["6222020200112233445", "6217000010002223334", "6228480012345678901"]


def _commitments(pool: FundPool, actor: Any, n: int = 3) -> list[Commitment]:
    return [
        commitment_create(pool=pool, amount=D(f"{500 * (i + 1)}.00"), household_id=100 + i,
                          beneficiary_ref=f"household:{100 + i}", period="2026", reference=f"application:{i}", actor=actor)
        for i in range(n)
    ]  # fmt: skip


def _payees(commitments: list[Commitment]) -> list[PayeeLine]:
    names = ["张三", "李四", "王五"]
    return [
        PayeeLine(name=names[i], id_masked="6101**********123" + str(i), bank="中国工商银行西安阎良支行",
                  account=ACCOUNTS[i], amount=c.amount, reference="2026 紧急救助")
        for i, c in enumerate(commitments)
    ]  # fmt: skip


@pytest.fixture
def batch(tree, pools) -> PaymentBatch:  # type: ignore[no-untyped-def]
    commitments = _commitments(pools.yanliang_relief, tree.yanliang_staff)
    return payment_batch_create(commitments=commitments, payees=_payees(commitments), actor=tree.yanliang_staff)


def _result_file(tmp_path: Path, rows: list[list[Any]], *, kind: str = "csv") -> Path:
    header = ["流水号", "收款人", "金额（元）", "支付结果", "失败原因"]
    if kind == "csv":
        path = tmp_path / "result.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
        return path
    path = tmp_path / "result.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return path


@pytest.mark.django_db
def test_a_batch_keeps_accounts_encrypted_and_masked(batch) -> None:  # type: ignore[no-untyped-def]
    lines = list(batch.lines.order_by("seq"))
    assert batch.code.startswith("ZF") and (batch.line_count, batch.total) == (3, D("3000.00"))
    assert [line.reference for line in lines] == [f"{batch.code}-000{i}" for i in (1, 2, 3)]
    assert lines[0].account_masked == "6222****3445"
    for line, account in zip(lines, ACCOUNTS, strict=True):
        assert account not in line.account_enc and account not in line.account_masked
    assert AuditEntry.objects.filter(action="funds.batch.create", target_id=str(batch.pk)).count() == 1


@pytest.mark.django_db
def test_a_bad_payee_or_commitment_refuses_the_whole_batch_naming_each_line(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commitments = _commitments(pools.yanliang_relief, tree.yanliang_staff)
    payees = _payees(commitments)
    payees[0] = PayeeLine("张三", "610114198503071234", "工行", ACCOUNTS[0], commitments[0].amount)
    payees[1] = PayeeLine("李四", "6101****1234", "工行", "62-22 abc", commitments[1].amount)
    payees[2] = PayeeLine("王五", "6101****1234", "工行", ACCOUNTS[2], D("1.00"))
    with pytest.raises(ValidationError) as error:
        payment_batch_create(commitments=commitments, payees=payees, actor=tree.yanliang_staff)
    assert error.value.message_dict["payees"] == [
        "第 1 笔（张三）：证件号须为脱敏后的号码（如 6101**********1234）：资金模块不保存完整证件号。",
        "第 2 笔（李四）：账号应为 6–32 位数字。",
        "第 3 笔（王五）：金额 1.00 与审批占用金额 1500.00 不符。",
    ]
    assert not PaymentBatch.objects.exists() and not PaymentLine.objects.exists()


@pytest.mark.django_db
def test_a_commitment_waits_in_one_batch_and_is_not_paid_or_released_meanwhile(tree, pools, batch) -> None:  # type: ignore[no-untyped-def]
    commitment = batch.lines.first().commitment
    with pytest.raises(ValidationError) as error:
        payment_batch_create(commitments=[commitment], payees=_payees([commitment])[:1], actor=tree.yanliang_staff)
    assert f"已在支付批次 {batch.code} 中等待银行回执" in error.value.message_dict["payees"][0]
    with pytest.raises(ValidationError):
        disbursement_pay(commitment=commitment, idempotency_key="direct", actor=tree.yanliang_staff)
    from niangjia.funds.services import commitment_release

    with pytest.raises(ValidationError):
        commitment_release(commitment=commitment, reason="撤销", actor=tree.yanliang_staff)


@pytest.mark.django_db
def test_one_batch_holds_one_federations_pools_and_scope_is_checked(tree, pools) -> None:  # type: ignore[no-untyped-def]
    mine = _commitments(pools.yanliang_relief, tree.yanliang_staff, 1)
    city = [commitment_create(pool=pools.city_warmth, amount=D("100.00"), household_id=5, beneficiary_ref="household:5",
                              period="2026", reference="application:c", actor=tree.city_admin)]  # fmt: skip
    with pytest.raises(ValidationError):
        payment_batch_create(commitments=mine + city, payees=_payees(mine + city), actor=tree.city_admin)
    with pytest.raises(PermissionDenied):
        payment_batch_create(commitments=mine, payees=_payees(mine), actor=tree.yanta_staff)
    assert not PaymentBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_holds_full_accounts_and_is_audited(tree, batch, tmp_path, fmt) -> None:  # type: ignore[no-untyped-def]
    name, _kind, content = payment_batch_export(batch=batch, fmt=fmt, actor=tree.yanliang_staff)
    assert name == f"{batch.code}.{fmt}"
    if fmt == "csv":
        assert content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        path = tmp_path / name
        path.write_bytes(content)
        rows = [
            [str(c) for c in row] for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        ]
    assert rows[0] == [
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
    ]
    assert rows[1][1:] == [f"{batch.code}-0001", "张三", "6101**********1230", "中国工商银行西安阎良支行", ACCOUNTS[0],
                           "500.00", "2026 紧急救助", "", ""]  # fmt: skip
    assert [row[5] for row in rows[1:]] == ACCOUNTS
    entry = AuditEntry.objects.get(action="funds.batch.export")
    assert entry.new_values == {"format": fmt, "rows": 3, "accounts_revealed": 3}
    batch.refresh_from_db()
    assert batch.exports == 1


@pytest.mark.django_db
def test_export_is_refused_to_roles_without_export_and_reveal(tree, batch) -> None:  # type: ignore[no-untyped-def]
    for actor in (tree.yanliang_leader, tree.yanliang_cadre, tree.yanta_staff):
        with pytest.raises(PermissionDenied):
            payment_batch_export(batch=batch, fmt="csv", actor=actor)
    assert not AuditEntry.objects.filter(action="funds.batch.export").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_bank_result_pays_and_returns_money_of_failed_lines(tree, pools, batch, tmp_path, kind) -> None:  # type: ignore[no-untyped-def]
    code = batch.code
    path = _result_file(tmp_path, [
        [f"{code}-0001", "张三", "500.00", "成功", ""],
        [f"{code}-0002", "李四", "1000", "失败", "户名与账号不符"],
    ], kind=kind)  # fmt: skip
    result = payment_batch_import(batch=batch, path=path, actor=tree.yanliang_staff)
    assert result.errors == []
    assert (result.paid, result.failed, result.unchanged) == (1, 1, 0)
    lines = list(batch.lines.order_by("seq"))
    assert [line.status for line in lines] == [LineStatus.PAID, LineStatus.FAILED, LineStatus.PENDING]
    assert lines[0].disbursement is not None and lines[0].disbursement.idempotency_key == f"batch-line:{lines[0].pk}"
    assert lines[1].failure_reason == "户名与账号不符"
    assert lines[1].commitment.status == CommitmentStatus.RELEASED
    assert lines[1].commitment.close_reason == "银行支付失败：户名与账号不符"
    pool = FundPool.objects.get(pk=pools.yanliang_relief.pk)
    assert (pool.committed, pool.paid, pool.available) == (D("1500.00"), D("500.00"), D("18000.00"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING
    # The same file again changes nothing; the last line then settles the batch.
    again = payment_batch_import(batch=batch, path=path, actor=tree.yanliang_staff)
    assert (again.paid, again.failed, again.unchanged) == (0, 0, 2) and Disbursement.objects.count() == 1
    last = _result_file(tmp_path, [[f"{code}-0003", "王五", "1500.00", "支付成功", ""]], kind=kind)
    payment_batch_import(batch=batch, path=last, actor=tree.yanliang_staff)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED and batch.settled_at is not None
    assert ledger_check().ok
    assert AuditEntry.objects.filter(action="funds.batch.import").count() == 3


@pytest.mark.django_db
def test_bad_rows_are_named_by_row_and_field_and_nothing_is_written(tree, pools, batch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = batch.code
    path = _result_file(tmp_path, [
        [f"{code}-0001", "张三", "500.00", "成功", ""],
        [f"{code}-0002", "李四", "999.00", "失败", ""],
        ["ZF000-0001", "赵六", "10", "成功", ""],
        [f"{code}-0003", "王五", "1500.00", "也许", ""],
        [f"{code}-0001", "张三", "500.00", "成功", ""],
        [f"{code}-0003", "王小五", "1500.00", "成功", ""],
    ])  # fmt: skip
    result = payment_batch_import(batch=batch, path=path, actor=tree.yanliang_staff)
    found = [(e.row, e.column, e.reason) for e in result.errors]
    assert found == [
        (3, "金额(元)", "金额与代发文件不符（应为 1000.00）。"),
        (4, "流水号", f"不是本批次 {code} 的流水号，请核对是否选错了批次。"),
        (5, "支付结果", "“也许”不是支付结果，请填写“成功”或“失败”。"),
        (6, "流水号", "与第 2 行重复。"),
        (7, "收款人", "收款人与代发文件不符。"),
    ]
    assert not Disbursement.objects.exists()
    assert set(batch.lines.values_list("status", flat=True)) == {LineStatus.PENDING}
    assert not AuditEntry.objects.filter(action="funds.batch.import").exists()


@pytest.mark.django_db
def test_a_file_without_a_header_is_refused_as_a_whole(tree, batch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = payment_batch_import(batch=batch, path=path, actor=tree.yanliang_staff)
    assert len(result.errors) == 1 and result.errors[0].reason.startswith("没有找到表头")
