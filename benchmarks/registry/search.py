"""Worker search p95 with N workers in PostgreSQL (target: ≤ 100 ms at 1,000,000).

    .venv/bin/python benchmarks/registry/search.py [--workers 1000000] [--database-url postgres://…/niangjia_bench]

Loads the Xi'an union tree, COPYs N workers with real encrypted identifiers and hashes
straight into PostgreSQL, then times the search selector as a district staff member and
as the city admin: name, pinyin initials, last 4 digits, a whole ID number.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import fresh_database

DEFAULT_URL = "postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench"
COLUMNS = [
    "name",
    "name_initials",
    "name_pinyin",
    "id_number_enc",
    "id_number_masked",
    "id_number_hash",
    "id_tail_hash",
    "birth_date",
    "sex",
    "ethnicity",
    "phone_enc",
    "phone_masked",
    "phone_hash",
    "phone_tail_hash",
    "address_enc",
    "address_masked",
    "bank_account_enc",
    "bank_account_masked",
    "union_member",
    "is_migrant",
    "org_id",
    "created_at",
    "updated_at",
]


def load(n: int, seed: int) -> list[tuple[str, str]]:
    """COPY n workers; return a sample of (name, id_number) to search for."""
    from django.db import connection
    from django.utils import timezone

    from niangjia.core.identifiers import make_id_number
    from niangjia.core.pinyin import name_initials, name_pinyin
    from niangjia.demo.orgs import person_name, tree_seed
    from niangjia.registry.identity import ID_NUMBER, PHONE, set_protected
    from niangjia.registry.models import Worker

    tree = tree_seed(seed=seed)
    rng = random.Random(seed)
    streets = [(code, org) for code, orgs in tree.streets.items() for org in orgs]
    now = timezone.now()
    sample: list[tuple[str, str]] = []
    started = time.monotonic()
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY registry_worker ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        seen: set[str] = set()
        for i in range(n):
            code, org = streets[rng.randrange(len(streets))]
            name = person_name(rng)
            id_number = ""
            while not id_number or id_number in seen:
                born = date(rng.randint(1966, 2006), rng.randint(1, 12), rng.randint(1, 28))
                id_number = make_id_number(code[:6], born, rng.randrange(500), "M" if i % 2 else "F")
            seen.add(id_number)
            phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
            w = Worker(name=name)
            set_protected(w, ID_NUMBER, id_number)
            set_protected(w, PHONE, phone)
            copy.write_row(
                (
                    name,
                    name_initials(name),
                    name_pinyin(name),
                    w.id_number_enc,
                    w.id_number_masked,
                    w.id_number_hash,
                    w.id_tail_hash,
                    born,
                    "M" if i % 2 else "F",
                    "汉族",
                    w.phone_enc,
                    w.phone_masked,
                    w.phone_hash,
                    w.phone_tail_hash,
                    "",
                    "",
                    "",
                    "",
                    True,
                    False,
                    org.pk,
                    now,
                    now,
                )
            )
            if rng.random() < 400 / n:
                sample.append((name, id_number))
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_worker")
    print(f"loaded {n:,} workers in {time.monotonic() - started:.1f} s")
    return sample


def reuse_sample() -> list[tuple[str, str]]:
    """A sample of (name, id_number) from an already loaded database."""
    from niangjia.registry.identity import ID_NUMBER, read_protected
    from niangjia.registry.models import Worker

    step = max(1, Worker.objects.count() // 400)
    rows = Worker.objects.filter(id__in=range(1, step * 400, step))
    return [(w.name, read_protected(w, ID_NUMBER)) for w in rows]


def timed(fn, queries):  # type: ignore[no-untyped-def]
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time searches on the database a previous run loaded")
    args = parser.parse_args()
    if args.reuse:
        from _django import setup

        setup(args.database_url)
        sample = reuse_sample()
    else:
        fresh_database(args.database_url)
        sample = load(args.workers, args.seed)

    from niangjia.orgs.models import StaffUser
    from niangjia.registry.selectors import worker_search

    district = StaffUser.objects.get(username="yanta_staff")
    city = StaffUser.objects.get(username="xa_admin")
    rng = random.Random(1)
    names = [name for name, _ in sample][:200]
    kinds = {
        "姓名(全名)": names,
        "姓名(前两字)": [n[:2] for n in names],
        "拼音首字母": [__import__("niangjia.core.pinyin", fromlist=["x"]).name_initials(n) for n in names],
        "证件/手机后4位": [i[-4:] for _, i in sample][:200],
        "完整身份证号": [i for _, i in sample][:200],
    }
    print(f"\nworker search, {args.workers:,} workers, PostgreSQL (ms: median / p95 / max)")
    print(f"{'query':<16} {'district staff':>24} {'city admin':>24}")
    for label, queries in kinds.items():
        rng.shuffle(queries)
        d = timed(lambda q: worker_search(user=district, q=q), queries)
        c = timed(lambda q: worker_search(user=city, q=q), queries)
        print(f"{label:<16} {d[0]:>8.1f} {d[1]:>7.1f} {d[2]:>7.1f} {c[0]:>8.1f} {c[1]:>7.1f} {c[2]:>7.1f}")


if __name__ == "__main__":
    main()
