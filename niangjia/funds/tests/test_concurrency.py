"""Never overspend, never pay twice: simultaneous approvals and payments from threads.

On PostgreSQL 200 threads race for a pool that covers exactly 50 grants, each committing and then
paying; the pool row's lock lets exactly 50 through. On SQLite (one writer at a time) the same
operations run serialised, with fewer threads. Every thread has its own connection and sees only
committed data (transactional_db), as two web requests would.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from niangjia.funds.choices import Account, AllocationSource, CommitmentStatus, Programme
from niangjia.funds.integrity import ledger_check
from niangjia.funds.models import Commitment, Disbursement, FundPool, LedgerEntry
from niangjia.funds.services import (
    allocation_add,
    commitment_create,
    disbursement_pay,
    pool_create,
)

GRANT = Decimal("100.00")
# The threads start together, but at most this many hold a database session at once: the test server's
# 100 connections are shared (CI runs other suites beside this one), as a connection pool would share them.
SESSIONS = int(os.environ.get("NIANGJIA_TEST_SESSIONS", "40"))


def _race(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` for i in range(count) from `count` threads released together; return results or errors."""
    serial: AbstractContextManager[Any] = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    sessions = threading.BoundedSemaphore(SESSIONS)
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            with sessions, serial:
                try:
                    results[i] = work(i)
                finally:
                    connections.close_all()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _available_in_ledger(pool: FundPool) -> Decimal:
    total = LedgerEntry.objects.filter(pool=pool, account=Account.AVAILABLE).aggregate(s=Sum("amount"))["s"]
    return total or Decimal(0)


def _covering(tree: Any, grants: int) -> FundPool:
    pool = pool_create(programme=Programme.EMERGENCY, year=2026, org=tree.yanliang, actor=tree.yanliang_staff)
    allocation_add(pool=pool, amount=GRANT * grants, source=AllocationSource.UNION_DUES, actor=tree.yanliang_staff)
    return pool


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_and_payments_never_overspend(tree) -> None:  # type: ignore[no-untyped-def]
    attempts, covered = (200, 50) if connection.vendor == "postgresql" else (20, 5)
    pool, staff = _covering(tree, covered), tree.yanliang_staff
    seen: list[Decimal] = []

    def approve_and_pay(i: int) -> int:
        commitment = commitment_create(
            pool=pool, amount=GRANT, household_id=1000 + i, beneficiary_ref=f"household:{1000 + i}", period="2026",
            reference=f"application:{i}", actor=staff,
        )  # fmt: skip
        seen.append(_available_in_ledger(pool))
        disbursement = disbursement_pay(commitment=commitment, idempotency_key=f"pay-{i}", actor=staff)
        seen.append(_available_in_ledger(pool))
        return disbursement.pk

    results = _race(attempts, approve_and_pay)
    paid = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    others = [r for r in results if not isinstance(r, int | ValidationError)]
    assert not others, others[:3]
    assert (len(paid), len(refused)) == (covered, attempts - covered)
    assert all("可用余额" in e.message_dict["amount"][0] for e in refused)
    assert len(seen) == 2 * covered and min(seen) >= 0
    pool.refresh_from_db()
    assert (pool.allocated, pool.committed, pool.paid, pool.available) == (GRANT * covered, 0, GRANT * covered, 0)
    assert Disbursement.objects.filter(pool=pool).count() == covered
    assert Commitment.objects.filter(pool=pool, status=CommitmentStatus.PAID).count() == covered
    assert _available_in_ledger(pool) == 0
    assert ledger_check().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_payment_retried_at_once_with_the_same_key_pays_once(tree) -> None:  # type: ignore[no-untyped-def]
    pool, staff = _covering(tree, 3), tree.yanliang_staff
    commitment = commitment_create(
        pool=pool, amount=GRANT, household_id=7, beneficiary_ref="household:7", period="2026",
        reference="application:7", actor=staff,
    )  # fmt: skip
    retries = 20 if connection.vendor == "postgresql" else 5
    results = _race(retries, lambda i: disbursement_pay(commitment=commitment, idempotency_key="pay-7", actor=staff).pk)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1 and Disbursement.objects.count() == 1
    # A second key for the same commitment, at once from many threads: all refused, still one payment.
    again = _race(retries, lambda i: disbursement_pay(commitment=commitment, idempotency_key=f"other-{i}", actor=staff))
    assert all(isinstance(r, ValidationError) for r in again), again
    pool.refresh_from_db()
    assert (pool.paid, pool.available) == (GRANT, GRANT * 2)
    assert ledger_check().ok
