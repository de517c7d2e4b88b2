"""The ledger is append-only: the models refuse, and the database refuses even raw SQL."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from niangjia.funds.choices import Account
from niangjia.funds.integrity import ledger_check
from niangjia.funds.models import FundPool, LedgerEntry, LedgerTransaction

MESSAGE = "台账只能追加，不能修改或删除；更正请登记冲销记录。"


def _triggers_on() -> None:
    """Put the SQLite triggers in place (a transactional test before this one may have dropped them)."""
    if connection.vendor == "sqlite":
        migration = importlib.import_module("niangjia.funds.migrations.0002_ledger_append_only")
        with connection.cursor() as cursor:
            for statement in migration.SQLITE_DOWN + migration.SQLITE_UP:
                cursor.execute(statement)


@pytest.mark.django_db
def test_the_models_refuse_to_change_or_delete_ledger_rows(pools) -> None:  # type: ignore[no-untyped-def]
    entry = LedgerEntry.objects.filter(pool=pools.yanta_relief).first()
    assert entry is not None
    entry.amount = Decimal("9999.00")
    for attempt in (
        entry.save,
        entry.delete,
        entry.transaction.delete,
        lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal(1)),
        lambda: LedgerEntry.objects.all().delete(),
        lambda: LedgerTransaction.objects.all().update(note="x"),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [MESSAGE]
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("5000.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE funds_ledgerentry SET amount = 1",
        "DELETE FROM funds_ledgerentry",
        "UPDATE funds_ledgertransaction SET note = 'x'",
        "DELETE FROM funds_ledgertransaction",
    ],
)
def test_the_database_refuses_update_and_delete_of_ledger_rows(pools, sql) -> None:  # type: ignore[no-untyped-def]
    _triggers_on()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert LedgerEntry.objects.filter(pool=pools.yanta_relief, amount=Decimal("5000.00")).exists()


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgres_refuses_truncate(pools) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE funds_ledgerentry CASCADE")


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgres_refuses_to_commit_an_unbalanced_transaction(pools) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    pool = pools.yanta_relief
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would do, without ending the test's transaction
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        tx = LedgerTransaction.objects.create(kind="allocation", pool=pool, at=pool.created_at)
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        tx = LedgerTransaction(kind="allocation", pool=pool, at=pool.created_at)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        tx.save()
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(transaction=tx, pool=pool, account=Account.AVAILABLE, amount=Decimal("1.00")),
                LedgerEntry(transaction=tx, pool=pool, account=Account.SOURCE, amount=Decimal("-0.99")),
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.django_db
def test_the_check_finds_an_unbalanced_transaction_and_a_cache_that_drifted(pools) -> None:  # type: ignore[no-untyped-def]
    assert ledger_check().ok
    pool = pools.yanta_relief
    # In a savepoint rolled back at the end: PostgreSQL would refuse to commit the unbalanced transaction.
    with transaction.atomic():
        tx = LedgerTransaction.objects.create(kind="allocation", pool=pool, at=pool.created_at)
        LedgerEntry.objects.create(transaction=tx, pool=pool, account=Account.AVAILABLE, amount=Decimal("1.00"))
        FundPool.objects.filter(pk=pools.yanliang_relief.pk).update(paid=Decimal("1.00"), available=Decimal("19999.00"))
        check = ledger_check()
        transaction.set_rollback(True)
    assert check.unbalanced == [tx.pk]
    assert set(check.mismatched) == {pool.pk, pools.yanliang_relief.pk}
    cached, truth = check.mismatched[pools.yanliang_relief.pk]
    assert (cached.paid, truth.paid) == (Decimal("1.00"), Decimal("0"))
    assert ledger_check().ok


@pytest.mark.django_db
def test_the_check_command_passes_on_a_sound_ledger_and_fails_on_a_drifted_cache(pools) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("funds_check", stdout=out)
    assert "台账核对通过" in out.getvalue()
    with transaction.atomic():
        FundPool.objects.filter(pk=pools.yanta_relief.pk).update(paid=Decimal("1.00"), available=Decimal("4999.00"))
        with pytest.raises(CommandError, match="余额与台账不一致的资金池"):
            call_command("funds_check")
        transaction.set_rollback(True)
