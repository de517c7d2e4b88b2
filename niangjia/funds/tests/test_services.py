"""Funds services: pools, allocations, commitments, disbursements, reversals, caps and scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from niangjia.core.models import AuditEntry
from niangjia.funds.choices import Account, AllocationSource, CommitmentStatus, DisbursementStatus, Programme, TxKind
from niangjia.funds.integrity import Balances, ledger_balances, ledger_check
from niangjia.funds.listeners import payment_listener_add, payment_listener_remove
from niangjia.funds.models import Commitment, Disbursement, FundPool, HouseholdTally, LedgerEntry, LedgerTransaction
from niangjia.funds.services import (
    allocation_add,
    allocation_reverse,
    commitment_create,
    commitment_release,
    disbursement_fail,
    disbursement_pay,
    pool_create,
)

D = Decimal


def commit(pool: FundPool, actor: Any, *, amount: str = "1000.00", household: int = 1, ref: str = "application:1",
           **kw: Any) -> Commitment:  # fmt: skip
    return commitment_create(
        pool=pool, amount=D(amount), household_id=household, beneficiary_ref=f"household:{household}",
        period=kw.pop("period", "2026"), reference=ref, actor=actor, **kw,
    )  # fmt: skip


def balances(pool: FundPool) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    pool.refresh_from_db()
    return pool.allocated, pool.committed, pool.paid, pool.available


@pytest.mark.django_db
def test_a_pool_is_named_for_its_programme_year_and_org_and_is_unique(tree) -> None:  # type: ignore[no-untyped-def]
    pool = pool_create(programme=Programme.SCHOOL_AID, year=2026, org=tree.yanliang, actor=tree.yanliang_staff)
    assert (pool.name, pool.level) == ("2026年阎良区总工会金秋助学资金", "district")
    with pytest.raises(ValidationError) as error:
        pool_create(programme=Programme.SCHOOL_AID, year=2026, org=tree.yanliang, actor=tree.city_admin)
    assert error.value.message_dict == {
        "programme": ["阎良区总工会已有 2026 年的金秋助学资金池，请在原资金池中拨入资金。"]
    }
    with pytest.raises(ValidationError) as error:
        pool_create(programme=Programme.WARMTH, year=2026, org=tree.yanliang_street, actor=tree.yanliang_staff)
    assert "市总工会或区县总工会" in error.value.message_dict["org"][0]
    assert AuditEntry.objects.filter(action="funds.pool.create").count() == 1


@pytest.mark.django_db
def test_only_the_pools_own_federation_and_those_above_may_create_or_allocate(tree, pools) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        pool_create(programme=Programme.WARMTH, year=2026, org=tree.city, actor=tree.yanliang_staff)
    for actor in (tree.yanta_staff, tree.yanliang_leader, tree.yanliang_cadre):
        with pytest.raises(PermissionDenied):
            allocation_add(pool=pools.yanliang_relief, amount=D(1), source=AllocationSource.OTHER, actor=actor)
    allocation_add(pool=pools.yanliang_relief, amount=D("0.01"), source=AllocationSource.OTHER, actor=tree.city_admin)
    assert balances(pools.yanliang_relief) == (D("20000.01"), 0, 0, D("20000.01"))


@pytest.mark.django_db
def test_an_allocation_is_two_balanced_lines_and_moves_the_cache(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool = pools.yanta_relief
    assert balances(pool) == (D("5000.00"), 0, 0, D("5000.00"))
    tx = LedgerTransaction.objects.get(pool=pool)
    assert tx.kind == TxKind.ALLOCATION and tx.actor == tree.yanta_staff
    assert sorted(tx.entries.values_list("account", "amount")) == [
        (Account.AVAILABLE, D("5000.00")),
        (Account.SOURCE, D("-5000.00")),
    ]
    assert ledger_balances([pool.pk])[pool.pk] == Balances(D("5000.00"), D(0), D(0), D("5000.00"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额至少为 0.01 元。"),
        ("-5", "金额至少为 0.01 元。"),
        ("1.234", "金额最多保留两位小数（到分）。"),
        ("100000000.00", "金额不能超过 ¥99,999,999.99。"),
        ("abc", "金额应为数字，如 1234.50。"),
        ("NaN", "金额应为数字，如 1234.50。"),
    ],
)
def test_amounts_out_of_range_are_refused_in_chinese(tree, pools, amount, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        allocation_add(pool=pools.yanta_relief, amount=amount, source=AllocationSource.OTHER, actor=tree.yanta_staff)
    assert error.value.message_dict == {"amount": [message]}
    assert balances(pools.yanta_relief) == (D("5000.00"), 0, 0, D("5000.00"))


@pytest.mark.django_db
def test_a_float_is_never_money(tree, pools) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        allocation_add(pool=pools.yanta_relief, amount=0.1, source=AllocationSource.OTHER, actor=tree.yanta_staff)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_commit_pay_and_the_ledger_stays_balanced(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool, staff = pools.yanta_relief, tree.yanta_staff
    commitment = commit(pool, staff, amount="3000.00", household=7, ref="application:7")
    assert commitment.status == CommitmentStatus.OPEN
    assert balances(pool) == (D("5000.00"), D("3000.00"), 0, D("2000.00"))
    disbursement = disbursement_pay(commitment=commitment, idempotency_key="pay-7", actor=staff)
    assert balances(pool) == (D("5000.00"), 0, D("3000.00"), D("2000.00"))
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.PAID and disbursement.amount == D("3000.00")
    assert HouseholdTally.objects.get(household_id=7, year=2026).paid == D("3000.00")
    assert ledger_check().ok
    kinds = list(LedgerTransaction.objects.filter(pool=pool).order_by("id").values_list("kind", flat=True))
    assert kinds == [TxKind.ALLOCATION, TxKind.COMMITMENT, TxKind.DISBURSEMENT]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"funds.commitment.create", "funds.disbursement.pay"} <= actions


@pytest.mark.django_db
def test_a_commitment_past_the_available_balance_is_refused_and_nothing_is_written(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool = pools.yanta_relief
    commit(pool, tree.yanta_staff, amount="4000.00", household=1, ref="application:1")
    lines = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        commit(pool, tree.yanta_staff, amount="1000.01", household=2, ref="application:2")
    assert error.value.message_dict["amount"] == [
        "资金池“2026年雁塔区总工会紧急救助资金”可用余额 ¥1,000.00，不足以审批 ¥1,000.01。请先向资金池拨入资金，或改用其他资金池。"
    ]
    assert LedgerEntry.objects.count() == lines and Commitment.objects.count() == 1
    assert not HouseholdTally.objects.filter(household_id=2, committed__gt=0).exists()
    commit(pool, tree.yanta_staff, amount="1000.00", household=2, ref="application:2")
    assert balances(pool) == (D("5000.00"), D("5000.00"), 0, D("0.00"))


@pytest.mark.django_db
def test_paying_twice_with_the_same_key_returns_the_first_and_a_second_key_is_refused(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool, staff = pools.yanliang_relief, tree.yanliang_staff
    commitment = commit(pool, staff)
    first = disbursement_pay(commitment=commitment, idempotency_key="k1", actor=staff)
    again = disbursement_pay(commitment=commitment, idempotency_key="k1", actor=staff)
    assert again.pk == first.pk and Disbursement.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        disbursement_pay(commitment=commitment, idempotency_key="k2", actor=staff)
    assert error.value.message_dict == {"commitment": ["该笔已发放，不能重复发放。"]}
    other = commit(pool, staff, household=2, ref="application:2")
    with pytest.raises(ValidationError) as error:
        disbursement_pay(commitment=other, idempotency_key="k1", actor=staff)
    assert error.value.message_dict == {"idempotency_key": ["该幂等键已用于另一笔发放；每笔发放须使用自己的幂等键。"]}
    with pytest.raises(ValidationError):
        disbursement_pay(commitment=other, idempotency_key="bad key!", actor=staff)
    assert balances(pool) == (D("20000.00"), D("1000.00"), D("1000.00"), D("18000.00"))


@pytest.mark.django_db
def test_release_returns_the_money_and_a_released_commitment_cannot_be_paid(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool, staff = pools.yanliang_relief, tree.yanliang_staff
    commitment = commit(pool, staff, amount="2500.00")
    commitment = commitment_release(commitment=commitment, reason="申请人已获其他救助", actor=staff)
    assert commitment.status == CommitmentStatus.RELEASED and commitment.close_reason == "申请人已获其他救助"
    assert balances(pool) == (D("20000.00"), 0, 0, D("20000.00"))
    with pytest.raises(ValidationError) as error:
        disbursement_pay(commitment=commitment, idempotency_key="x", actor=staff)
    assert "已释放" in error.value.message_dict["commitment"][0]
    with pytest.raises(ValidationError):
        commitment_release(commitment=commitment, reason="再次", actor=staff)
    # The reference is free again: the application may be approved anew.
    commit(pool, staff, amount="2500.00")
    assert ledger_check().ok


@pytest.mark.django_db
def test_a_returned_payment_goes_back_to_the_pool(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool, staff = pools.yanliang_relief, tree.yanliang_staff
    disbursement = disbursement_pay(commitment=commit(pool, staff, amount="800.00"), idempotency_key="k", actor=staff)
    disbursement = disbursement_fail(disbursement=disbursement, reason="账户已销户", actor=staff)
    assert disbursement.status == DisbursementStatus.RETURNED
    assert Commitment.objects.get().status == CommitmentStatus.RETURNED
    assert balances(pool) == (D("20000.00"), 0, 0, D("20000.00"))
    assert HouseholdTally.objects.get(household_id=1).paid == 0
    with pytest.raises(ValidationError):
        disbursement_fail(disbursement=disbursement, reason="again", actor=staff)
    kinds = list(LedgerTransaction.objects.filter(pool=pool).order_by("id").values_list("kind", flat=True))
    assert kinds[-1] == TxKind.RETURN and ledger_check().ok


@pytest.mark.django_db
@override_settings(FUNDS_HOUSEHOLD_CAP_PER_YEAR="3000.00")
def test_the_household_cap_holds_across_pools_on_commitment_and_on_payment(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commit(pools.city_warmth, tree.city_admin, amount="2000.00", household=9, ref="application:a")
    with pytest.raises(ValidationError) as error:
        commit(pools.yanliang_relief, tree.yanliang_staff, amount="1000.01", household=9, ref="application:b")
    assert error.value.message_dict["amount"] == [
        "该家庭 2026 年已审批和已发放合计 ¥2,000.00，再审批 ¥1,000.01 将超过每户每年上限 ¥3,000.00。"
    ]
    second = commit(pools.yanliang_relief, tree.yanliang_staff, amount="1000.00", household=9, ref="application:b")
    # Another household is not held back, nor is the same household in another year.
    commit(pools.yanliang_relief, tree.yanliang_staff, amount="3000.00", household=10, ref="application:c")
    # The cap is lowered before payment: checked again on the facts of the day.
    with override_settings(FUNDS_HOUSEHOLD_CAP_PER_YEAR="500.00"), pytest.raises(ValidationError) as error:
        disbursement_pay(commitment=second, idempotency_key="p", actor=tree.yanliang_staff)
    assert "将超过每户每年上限 ¥500.00" in error.value.message_dict["commitment"][0]
    disbursement_pay(commitment=second, idempotency_key="p", actor=tree.yanliang_staff)


@pytest.mark.django_db
def test_once_per_period_is_enforced_on_commitment_and_on_payment(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool, admin = pools.city_warmth, tree.city_admin
    first = commit(pool, admin, amount="1000.00", household=3, ref="application:w1", once_per_period=True,
                   period="2026-冬")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        commit(pool, admin, amount="1000.00", household=3, ref="application:w2", once_per_period=True, period="2026-冬")
    assert error.value.message_dict == {"period": ["该家庭 2026-冬 期已审批过送温暖，本项目每期只能享受一次。"]}
    # A commitment made without the rule (e.g. by another door) is still caught when paying.
    loose = commit(pool, admin, amount="500.00", household=3, ref="application:w3", period="2026-冬")
    disbursement_pay(commitment=first, idempotency_key="w1", actor=admin)
    Commitment.objects.filter(pk=loose.pk).update(once_per_period=True)
    loose.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        disbursement_pay(commitment=loose, idempotency_key="w3", actor=admin)
    assert "本项目每期只能享受一次" in error.value.message_dict["commitment"][0]


@pytest.mark.django_db
def test_one_live_commitment_per_reference(tree, pools) -> None:  # type: ignore[no-untyped-def]
    commit(pools.yanliang_relief, tree.yanliang_staff, ref="application:5")
    with pytest.raises(ValidationError) as error:
        commit(pools.yanliang_relief, tree.yanliang_staff, household=2, ref="application:5")
    assert error.value.message_dict == {"reference": ["业务 application:5 已审批占用资金，不能重复占用。"]}


@pytest.mark.django_db
def test_out_of_scope_writes_are_refused_and_write_nothing(tree, pools) -> None:  # type: ignore[no-untyped-def]
    lines = LedgerEntry.objects.count()
    for actor in (tree.yanta_staff, tree.yanliang_leader, tree.city_leader, tree.yanliang_cadre):
        with pytest.raises(PermissionDenied):
            commit(pools.yanliang_relief, actor)
    commitment = commit(pools.yanliang_relief, tree.yanliang_staff)
    lines = LedgerEntry.objects.count()
    with pytest.raises(PermissionDenied):
        disbursement_pay(commitment=commitment, idempotency_key="k", actor=tree.yanta_staff)
    with pytest.raises(PermissionDenied):
        commitment_release(commitment=commitment, reason="x", actor=tree.yanliang_leader)
    # A district cannot draw on the city's pool: the city approves from it.
    with pytest.raises(PermissionDenied):
        commit(pools.city_warmth, tree.yanliang_staff, household=4, ref="application:4")
    assert LedgerEntry.objects.count() == lines and Disbursement.objects.count() == 0


@pytest.mark.django_db
def test_an_allocation_is_reversed_by_a_new_transaction_never_edited(tree, pools) -> None:  # type: ignore[no-untyped-def]
    pool, staff = pools.yanta_relief, tree.yanta_staff
    allocation = allocation_add(pool=pool, amount=D("300.00"), source=AllocationSource.DONATION, actor=staff)
    commit(pool, staff, amount="5000.00")
    with pytest.raises(ValidationError) as error:
        allocation_reverse(allocation=pool.allocations.order_by("id").first(), reason="错拨", actor=staff)
    assert "不足以冲销 ¥5,000.00" in error.value.message_dict["allocation"][0]
    allocation = allocation_reverse(allocation=allocation, reason="重复登记", actor=staff)
    assert allocation.reversal is not None and allocation.reversal.reverses_id == allocation.transaction_id
    assert balances(pool) == (D("5000.00"), D("5000.00"), 0, D("0.00"))
    with pytest.raises(ValidationError):
        allocation_reverse(allocation=allocation, reason="again", actor=staff)
    assert ledger_check().ok


@pytest.mark.django_db
def test_a_payment_listener_hears_each_payment_inside_the_transaction(tree, pools) -> None:  # type: ignore[no-untyped-def]
    heard: list[tuple[int, str]] = []

    def listener(disbursement: Disbursement, event: str) -> None:
        heard.append((disbursement.pk, event))
        if disbursement.amount == D("13.00"):
            raise ValidationError("listener refused")

    payment_listener_add(listener)
    try:
        staff = tree.yanliang_staff
        disbursement = disbursement_pay(
            commitment=commit(pools.yanliang_relief, staff), idempotency_key="a", actor=staff
        )
        disbursement_fail(disbursement=disbursement, reason="退回", actor=staff)
        refused = commit(pools.yanliang_relief, staff, amount="13.00", household=2, ref="application:2")
        with pytest.raises(ValidationError):
            disbursement_pay(commitment=refused, idempotency_key="b", actor=staff)
    finally:
        payment_listener_remove(listener)
    assert heard[:2] == [(disbursement.pk, "paid"), (disbursement.pk, "returned")]
    # The listener's refusal undid the payment.
    assert Commitment.objects.get(pk=refused.pk).status == CommitmentStatus.OPEN
    assert not Disbursement.objects.filter(idempotency_key="b").exists()
