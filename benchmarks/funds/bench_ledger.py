"""Ledger throughput on PostgreSQL: approvals and payments from 8 threads, then the balance check.

    .venv/bin/python benchmarks/funds/bench_ledger.py [--disbursements 10000] [--threads 8]
        [--database-url postgres://…/niangjia_bench_funds]

Each disbursement is what the assistance part does for one approved grant: `commitment_create` (the pool
row locked, the household's yearly tally locked, two ledger lines, an audit entry) and then
`disbursement_pay` (the same locks, two more lines, the idempotency key, an audit entry). Two layouts:
"spread" gives each thread its own district pool (how districts work in parallel), "one pool" sends every
thread to the same city pool (the worst case: every write waits for the one pool row's lock). Then
`ledger_check` sums the whole ledger in SQL (every transaction balanced, every pool's cache equal to it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import fresh_database

DEFAULT_URL = "postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench_funds"
GRANT = Decimal("1000.00")


def setup_tree(threads: int) -> tuple[Any, list[Any], Any, list[Any]]:
    """The city, `threads` districts and one staff user at each."""
    from niangjia.core.roles import Role
    from niangjia.orgs.areas import areas_load
    from niangjia.orgs.choices import OrgLevel
    from niangjia.orgs.models import Area, StaffUser
    from niangjia.orgs.services import org_create

    areas_load()
    city_area = Area.objects.get(code="610100")
    city = org_create(name="西安市总工会", level=OrgLevel.CITY, area=city_area, parent=None)
    districts = []
    for area in Area.objects.filter(parent=city_area).order_by("code")[:threads]:
        districts.append(org_create(name=f"{area.name}总工会", level=OrgLevel.DISTRICT, area=area, parent=city))
    admin = StaffUser(username="bench_admin", role=Role.CITY_ADMIN, org=city)
    admin.set_unusable_password()
    admin.save()
    staff = []
    for i, district in enumerate(districts):
        user = StaffUser(username=f"bench_staff{i}", role=Role.DISTRICT_STAFF, org=district)
        user.set_unusable_password()
        user.save()
        staff.append(user)
    return city, districts, admin, staff


def pool_with(*, programme: str, org: Any, actor: Any, grants: int) -> Any:
    from niangjia.funds.services import allocation_add, pool_create

    pool = pool_create(programme=programme, year=2026, org=org, actor=actor)
    allocation_add(pool=pool, amount=GRANT * grants, source="union_dues", actor=actor)
    return pool


def run(jobs: list[list[tuple[Any, Any, int]]]) -> tuple[float, list[float], list[BaseException]]:
    """Run each thread's jobs (pool, actor, household); return wall seconds, per-grant seconds, errors."""
    from django.db import connections

    from niangjia.funds.services import commitment_create, disbursement_pay

    timings: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)

    def work(mine: list[tuple[Any, Any, int]]) -> None:
        took = []
        try:
            barrier.wait()
            for pool, actor, household in mine:
                started = time.perf_counter()
                commitment = commitment_create(
                    pool=pool, amount=GRANT, household_id=household, beneficiary_ref=f"household:{household}",
                    period="2026", reference=f"application:{household}", actor=actor,
                )  # fmt: skip
                disbursement_pay(commitment=commitment, idempotency_key=f"pay-{household}", actor=actor)
                took.append(time.perf_counter() - started)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()
            with lock:
                timings.extend(took)

    threads = [threading.Thread(target=work, args=(mine,)) for mine in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, timings, errors


def report(title: str, n: int, wall: float, timings: list[float], errors: list[BaseException]) -> bool:
    if errors:
        print(f"{title}: {len(errors)} errors, first: {errors[0]!r}")
        return False
    q = statistics.quantiles(timings, n=100)
    print(f"| {title} | {n:,} | {wall:.1f} s | {n / wall:,.0f} /s | {q[49] * 1000:.1f} ms | {q[94] * 1000:.1f} ms |")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--disbursements", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    fresh_database(args.database_url)
    from django.db import connection

    from niangjia.funds import listeners
    from niangjia.funds.integrity import ledger_check
    from niangjia.funds.models import Disbursement, LedgerEntry

    # Funds alone: the parts above (assistance records what was paid) are measured in their own benchmarks.
    listeners._listeners.clear()

    n, k = args.disbursements, args.threads
    city, districts, admin, staff = setup_tree(k)
    per = n // k
    version = connection.pg_version // 10000  # type: ignore[attr-defined]
    print(f"PostgreSQL {version}, {k} threads, {per * k:,} grants of ¥{GRANT:,.2f} per layout\n")
    print("| layout | grants (commit + pay) | wall | throughput | p50 per grant | p95 per grant |")
    print("|---|---|---|---|---|---|")
    spread = [
        pool_with(programme="emergency", org=d, actor=s, grants=per) for d, s in zip(districts, staff, strict=True)
    ]
    jobs = [[(spread[t], staff[t], 1_000_000 + t * per + i) for i in range(per)] for t in range(k)]
    ok = report("spread: a pool per thread", per * k, *run(jobs))
    one = pool_with(programme="warmth", org=city, actor=admin, grants=per * k)
    jobs = [[(one, admin, 2_000_000 + t * per + i) for i in range(per)] for t in range(k)]
    ok = report("one pool: every thread on it", per * k, *run(jobs)) and ok
    lines = LedgerEntry.objects.count()
    started = time.perf_counter()
    check = ledger_check()
    took = time.perf_counter() - started
    print(f"\nledger_check over {lines:,} ledger lines ({Disbursement.objects.count():,} disbursements): "
          f"{took * 1000:.0f} ms, {'balanced, caches agree' if check.ok else f'MISMATCH {check}'}")  # fmt: skip
    return 0 if ok and check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
