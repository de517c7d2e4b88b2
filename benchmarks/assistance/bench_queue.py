"""The work queue (帮扶待办) p95 per role with N workers in PostgreSQL (target: ≤ 300 ms at 1,000,000).

    .venv/bin/python benchmarks/assistance/bench_queue.py [--workers 1000000] [--database-url postgres://…/niangjia_bench_assistance]
    .venv/bin/python benchmarks/assistance/bench_queue.py --reuse     # time again on the database a previous run loaded

Loads the Xi'an union tree and its staff (1,400 cadres), then generates in the database itself (INSERT … SELECT
over generate_series, no Python loop over rows): 1 enterprise per 50 workers, each paired with a cadre of its
district; N workers employed there; 0.35·N households, each headed by a worker, the other workers members of one;
and work-queue cards for 30 % of the households (1–3 policies each, ranks, dates, missing papers and statuses
spread as a screening leaves them). Then times, as the city admin, the largest district's staff and three cadres
(the most, the median and the fewest cards), the queue's first page and the next one under each filter:

  - the selector (`queue_page`: the keyset page and its cards: heads, open items, applications in progress);
  - the whole page (`GET /assistance/` through Django's test client, HTML rendered).

Every request is a keyset page; nothing counts the table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import fresh_database, setup

DEFAULT_URL = "postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench_assistance"
POLICIES = ["warmth", "emergency_relief", "medical_aid", "hardship_archive", "inpatient_mutual_aid",
            "gig_training_subsidy", "archive_review"]  # fmt: skip
PAPERS = ["收入证明", "户口本", "病历及费用单据", "事故证明", "诊断证明", "出院小结", "职业技能证书"]
STATUSES = ["pending", "pending", "pending", "contacted", "collecting", "applied"]
REPEAT = 12


def _sql(cursor, sql: str, params: list[object] | None = None) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    cursor.execute(sql, params or [])
    print(f"  {sql.split()[2]:<32} {cursor.rowcount:>10,} rows {time.monotonic() - started:6.1f} s", flush=True)


def load(workers: int, seed: int) -> None:
    """Generate the registry and the queue in the database."""
    from django.db import connection

    from niangjia.demo.orgs import tree_seed

    tree = tree_seed(seed=seed)
    rng = random.Random(seed)
    streets = [(org, code) for code, orgs in tree.streets.items() for org in orgs]
    enterprises = max(workers // 50, 1)
    rows = []
    for e in range(1, enterprises + 1):
        org, code = streets[rng.randrange(len(streets))]
        cadres = tree.cadres.get(code) or [c for cs in tree.cadres.values() for c in cs]
        rows.append((e, org.pk, org.area_id, cadres[rng.randrange(len(cadres))].pk))
    households = int(workers * 0.35)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_enterprise (id bigint, org_id bigint, area_id bigint, cadre_id bigint)")
        with cursor.cursor.copy("COPY bench_enterprise FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        _sql(
            cursor,
            """INSERT INTO registry_enterprise (id, name, uscc, ownership, size_class, is_platform, industry, area_id,
                          address, union_id, org_id, contact_name, contact_phone, status, created_at, updated_at)
                        SELECT id, '企业' || id, NULL, 'private', 'small', false, 'C', area_id, '', NULL, org_id, '', '',
                          'active', now(), now() FROM bench_enterprise""",
        )
        _sql(
            cursor,
            """INSERT INTO registry_enterpriseassignment (enterprise_id, cadre_id, since)
                        SELECT id, cadre_id, DATE '2026-01-01' FROM bench_enterprise""",
        )
        _sql(
            cursor,
            """INSERT INTO registry_worker (id, name, name_initials, name_pinyin, id_number_enc, id_number_masked,
                          id_number_hash, id_tail_hash, birth_date, sex, ethnicity, phone_enc, phone_masked, phone_hash,
                          phone_tail_hash, address_enc, address_masked, bank_account_enc, bank_account_masked,
                          union_member, is_migrant, org_id, created_at, updated_at)
                        SELECT g, '职工' || g, 'zg', 'zhigong', '', '', NULL, '', NULL, CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END,
                          '汉族', '', '', '', '', '', '', '', '', true, false, e.org_id, now(), now()
                        FROM generate_series(1, %s) g JOIN bench_enterprise e ON e.id = 1 + g %% %s""",
            [workers, enterprises],
        )
        _sql(
            cursor,
            """INSERT INTO registry_employment (worker_id, enterprise_id, post, form, start_date, end_date, contract_months)
                        SELECT g, 1 + g %% %s, '', 'standard', DATE '2020-01-01', NULL, NULL
                        FROM generate_series(1, %s) g""",
            [enterprises, workers],
        )
        _sql(
            cursor,
            """INSERT INTO registry_household (id, area_id, org_id, archive_level, archived_on, last_review_date,
                          facts_changed_at, created_at)
                        SELECT g, e.area_id, e.org_id,
                          CASE WHEN g %% 17 = 0 THEN 'deep' WHEN g %% 17 = 1 THEN 'relative' ELSE '' END, NULL, NULL, now(), now()
                        FROM generate_series(1, %s) g JOIN bench_enterprise e ON e.id = 1 + g %% %s""",
            [households, enterprises],
        )
        _sql(
            cursor,
            """INSERT INTO registry_householdmember (household_id, worker_id, name, relation, sex, id_number_enc,
                          id_number_masked, id_number_hash, work_status, able_to_work, school_stage, admission_year, admission_kind)
                        SELECT CASE WHEN g <= %s THEN g ELSE 1 + g %% %s END, g, '职工' || g,
                          CASE WHEN g <= %s THEN 'head' ELSE 'spouse' END, '', '', '', NULL, 'employed', true, '', NULL, ''
                        FROM generate_series(1, %s) g""",
            [households, households, households, workers],
        )
        # Cards for 30 % of the households: rank, date and strings spread by arithmetic on the id.
        _sql(cursor, """INSERT INTO assistance_queueentry (household_id, org_path, area_code, is_open, rank, since, amount,
                          status, policies, papers, statuses, assignee_id, synced_at)
                        SELECT h.id, o.path, a.code, true,
                          CASE WHEN h.id %% 10 < 4 THEN 0 WHEN h.id %% 10 = 4 THEN 1 ELSE 2 END,
                          CURRENT_DATE - (h.id %% 180)::int,
                          CASE WHEN h.id %% 10 < 4 THEN 1000 * (1 + h.id %% 3) ELSE 0 END,
                          (ARRAY['pending','contacted','collecting','applied'])[1 + h.id %% 4],
                          '|' || (%s::text[])[1 + h.id %% 7] || '|' || (%s::text[])[1 + (h.id / 7) %% 7] || '|',
                          CASE WHEN h.id %% 3 = 0 THEN '' ELSE '|' || (%s::text[])[1 + h.id %% 7] || '|' END,
                          '|' || (%s::text[])[1 + h.id %% 6] || '|',
                          NULL, now()
                        FROM registry_household h JOIN orgs_unionorg o ON o.id = h.org_id JOIN orgs_area a ON a.id = h.area_id
                        WHERE h.id %% 10 IN (1, 4, 7)""",
             [POLICIES, POLICIES, PAPERS, STATUSES])  # fmt: skip
        _sql(cursor, """INSERT INTO assistance_queueitem (household_id, member_id, policy_id, status, reason, proposed, outcome,
                          level_label, amount, missing_documents, missing_facts, result_id, first_seen, status_changed_at,
                          status_changed_by_id)
                        SELECT q.household_id, NULL, p.policy, (%s::text[])[1 + (q.household_id + p.n) %% 6], '', true,
                          CASE WHEN q.rank < 2 THEN 'eligible' ELSE 'possibly' END, '', CASE WHEN q.rank = 0 THEN 1000 END,
                          '["收入证明"]'::jsonb, '[]'::jsonb, NULL, q.since, NULL, NULL
                        FROM assistance_queueentry q
                        CROSS JOIN LATERAL (SELECT DISTINCT ON (x.policy) x.policy, x.n FROM (VALUES
                          ((%s::text[])[1 + q.household_id %% 7], 0), ((%s::text[])[1 + (q.household_id / 7) %% 7], 1)) x(policy, n)) p""",
             [STATUSES, POLICIES, POLICIES])  # fmt: skip
        for table in ("registry_enterprise", "registry_worker", "registry_household"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        for table in ("registry_enterprise", "registry_enterpriseassignment", "registry_worker", "registry_employment",
                      "registry_household", "registry_householdmember", "assistance_queueentry", "assistance_queueitem"):  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    print(f"loaded {workers:,} workers, {households:,} households in {time.monotonic() - started:.1f} s", flush=True)


def timed(fn: Callable[[], object], repeat: int = REPEAT) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)], ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time on the database a previous run loaded")
    args = parser.parse_args()
    if args.reuse:
        setup(args.database_url)
    else:
        fresh_database(args.database_url)
        load(args.workers, args.seed)

    from django.db import connection
    from django.test import Client

    from niangjia.assistance.selectors.queue import QueueFilter, queue_page
    from niangjia.orgs.models import StaffUser

    city = StaffUser.objects.get(username="xa_admin")
    district = StaffUser.objects.get(username="yanta_staff")
    per_cadre = _cards_per_cadre(connection)
    ranked = sorted(per_cadre.items(), key=lambda kv: kv[1])
    picks = {"most": ranked[-1], "median": ranked[len(ranked) // 2], "fewest": ranked[0]}
    users: list[tuple[str, StaffUser]] = [("city admin", city), ("district staff (雁塔)", district)]
    for label, (pk, n) in picks.items():
        users.append((f"cadre, {label} ({n} cards)", StaffUser.objects.get(pk=pk)))
    filters = {
        "no filter": {},
        "policy": {"policy_id": "warmth"},
        "missing paper": {"paper": "事故证明"},
        "not applied": {"not_applied": True},
        "status": {"status": "contacted"},
        "area": {"area": "610113"},
        "level": {"level": "deep"},
    }
    print(f"\nwork queue, {args.workers:,} workers, PostgreSQL (ms: median / p95 / max of {REPEAT} runs per cell)")
    print(f"{'role':<32} {'filter':<14} {'selector p1':>22} {'selector p2':>22} {'page':>22}")
    worst = 0.0
    for label, user in users:
        client = Client()
        client.force_login(user)
        for name, chosen in filters.items():
            if name == "area" and user is not city:
                chosen = {"area": "610113" if user is district else ""}
            chosen_filter = QueueFilter(**chosen)
            cards, cursor = queue_page(user=user, filters=chosen_filter)
            first = summary(timed(lambda u=user, f=chosen_filter: queue_page(user=u, filters=f)))
            second = summary(timed(lambda u=user, f=chosen_filter, c=cursor: queue_page(user=u, filters=f, after=c)))
            query = {k: ("1" if v is True else v) for k, v in chosen.items()}
            page = summary(timed(lambda q=query, c=client: c.get("/assistance/", q)))
            worst = max(worst, first[1], second[1], page[1])
            print(f"{label:<32} {name:<14} {first[0]:>7.1f} {first[1]:>6.1f} {first[2]:>6.1f}  "
                  f"{second[0]:>7.1f} {second[1]:>6.1f} {second[2]:>6.1f}  {page[0]:>7.1f} {page[1]:>6.1f} {page[2]:>6.1f}"
                  f"  ({len(cards)} cards)", flush=True)  # fmt: skip
    print(f"\nworst p95: {worst:.1f} ms (target ≤ 300 ms)")
    sys.exit(0 if worst <= 300 else 1)


def _cards_per_cadre(connection) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Open cards in each cadre's scope (the scoping path: household → members → employment → assignment)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.cadre_id, count(DISTINCT q.household_id)
               FROM assistance_queueentry q
               JOIN registry_householdmember m ON m.household_id = q.household_id
               JOIN registry_employment e ON e.worker_id = m.worker_id
               JOIN registry_enterpriseassignment a ON a.enterprise_id = e.enterprise_id
               WHERE q.is_open GROUP BY a.cadre_id"""
        )
        return dict(cursor.fetchall())


if __name__ == "__main__":
    main()
