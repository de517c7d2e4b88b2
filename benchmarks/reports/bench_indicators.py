"""Indicators of a campaign with 10,000,000 visits and 1,000,000 tickets in PostgreSQL (target: ≤ 1 s).

    .venv/bin/python benchmarks/reports/bench_indicators.py [--visits 10000000] [--tickets 1000000]
        [--database-url postgres://…/niangjia_bench_reports] [--reuse]

Loads the Xi'an union tree (1,400 cadres), then writes every other row with SQL (generate_series, no Python
loop over rows): enterprises and households on the street unions, one city campaign with district targets and
14,000 pairings, the visits (a fifth to enterprises) with their cadres, hardship signals, the tickets (a
third of needs and problems tied to visits), applications with their commitments and disbursements from city
and district pools. Then it times, as PostgreSQL holds them: the refresh of the pre-aggregated counts (the
background task), and what the pages read — every indicator of the campaign for the city admin, a leader
(small counts withheld, the tables above walked), district staff, by cadre, as of a day, the whole dashboard,
the bulletin's data, a page of the records behind a number.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import fresh_database, setup

DEFAULT_URL = "postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench_reports"
START = date(2026, 3, 2)
PER_STREET = 8
DAYS = 120


def filler(model: Any, overrides: dict[str, str]) -> tuple[str, str]:
    """The column list and SELECT expressions of an INSERT … SELECT … FROM generate_series(…) g for `model`:
    `overrides` by column; every other NOT NULL column a neutral value of its type."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in overrides:
            continue
        column = field.column
        if column in overrides:
            expression = overrides[column]
        elif field.null:
            expression = "NULL"
        elif isinstance(field, models.ForeignKey):
            raise ValueError(f"{model.__name__}.{column} needs a value")
        elif isinstance(field, models.BooleanField):
            expression = "false"
        elif isinstance(field, (models.JSONField,)):
            expression = "'[]'::jsonb" if field.default is list else "'{}'::jsonb"
        elif isinstance(field, models.UUIDField):
            expression = f"md5(g::text || '{model._meta.db_table}')::uuid"
        elif isinstance(field, models.DateTimeField):
            expression = "now()"
        elif isinstance(field, models.DateField):
            expression = "current_date"
        elif isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
            expression = "0"
        else:
            expression = "''"
        columns.append(column)
        values.append(expression)
    return ", ".join(columns), ", ".join(values)


def insert(model: Any, count: int, overrides: dict[str, str], *, source: str | None = None) -> None:
    """INSERT `count` rows of `model` from generate_series (or from `source`, a FROM clause giving `g`)."""
    from django.db import connection

    columns, values = filler(model, overrides)
    origin = source or f"generate_series(1::bigint, {count}) g"
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {values} FROM {origin}")  # noqa: S608
        rows = cursor.rowcount
    print(f"  {model._meta.db_table:<32} {rows:>12,} rows {time.monotonic() - started:7.1f} s", flush=True)


@contextmanager
def ledger_checks_off() -> Iterator[None]:
    """The ledger's balance checks (a deferred trigger per row) off while it is loaded balanced, then on."""
    from django.db import connection

    triggers = [("funds_ledgertransaction", "funds_ledgertransaction_balanced"),
                ("funds_ledgerentry", "funds_ledgerentry_balanced")]  # fmt: skip
    with connection.cursor() as cursor:
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")


@contextmanager
def bulk_load(tables: list[str]) -> Iterator[None]:
    """Load `tables` as PostgreSQL loads best: their foreign keys and plain indexes dropped, then built again
    in one pass each (Django's foreign keys are deferred, so 10⁷ inserted rows would queue 10⁷ checks each)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        saved_fks, saved_indexes = [], []
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_fks.append((table, name, definition))
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_indexes.append(definition)
                cursor.execute(f'DROP INDEX "{name}"')
    yield
    begun = time.monotonic()
    with connection.cursor() as cursor:
        for definition in saved_indexes:
            cursor.execute(definition)
        for table, name, definition in saved_fks:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    print(f"  indexes and foreign keys built again in {time.monotonic() - begun:.1f} s", flush=True)


def ids(model: Any, **filters: Any) -> str:
    """A PostgreSQL array literal of the ids of `model` matching `filters`."""
    found = list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))
    return "(ARRAY[" + ",".join(map(str, found)) + "]::bigint[])"


def load(args: argparse.Namespace) -> None:
    """Write the campaign's world with SQL."""
    from django.db import connection, transaction

    from niangjia.assistance.models import Application
    from niangjia.demo.orgs import tree_seed
    from niangjia.funds.choices import AllocationSource, PoolLevel, Programme
    from niangjia.funds.models import Commitment, Disbursement, LedgerEntry, LedgerTransaction
    from niangjia.funds.services import allocation_add, pool_create
    from niangjia.orgs.models import StaffUser, UnionOrg
    from niangjia.outreach.models import Campaign, CampaignTarget, Pairing, Visit, VisitNeed, VisitSignal
    from niangjia.registry.models import Enterprise, Household, HouseholdMember
    from niangjia.tickets.models import Ticket

    started = time.monotonic()
    tree = tree_seed(seed=7)
    admin = StaffUser.objects.get(username="xa_admin")
    streets = [org for orgs in tree.streets.values() for org in orgs]
    street_ids = "(ARRAY[" + ",".join(str(o.pk) for o in streets) + "]::bigint[])"
    street_areas = "(ARRAY[" + ",".join(str(o.area_id) for o in streets) + "]::bigint[])"
    n_streets = len(streets)
    cadres = ids(StaffUser, role="cadre")
    n_cadres = StaffUser.objects.filter(role="cadre").count()
    n_e, n_h = args.enterprises, args.households
    print(f"tree: {UnionOrg.objects.count()} organizations, {n_cadres} cadres, {n_streets} streets", flush=True)
    # Cadres work in their own district (pairing does not cross districts by default): each street has 8 of its
    # district's cadres, and a record of a street is a record of one of them.
    per_street = []
    for number, street in enumerate(streets):
        district_cadres = tree.cadres.get(street.area.code[:6]) or [admin]
        per_street += [district_cadres[(number * PER_STREET + k) % len(district_cadres)].pk for k in range(PER_STREET)]
    local = "(ARRAY[" + ",".join(map(str, per_street)) + "]::bigint[])"

    def cadre_of(street_index: str, pick: str) -> str:
        return f"{local}[1 + ({street_index}) * {PER_STREET} + ({pick}) % {PER_STREET}]"

    with transaction.atomic():
        campaign = Campaign.objects.create(
            name="2026年大走访", org=tree.city, starts_on=START, ends_on=START + timedelta(DAYS - 1),
            status="active", created_by=admin,
        )  # fmt: skip
        for district in tree.districts.values():
            CampaignTarget.objects.create(campaign=campaign, org=district, enterprises=n_e // 13, homes=n_h // 13)
        pools = {}
        for level_org, level in [(tree.city, PoolLevel.CITY)] + [
            (d, PoolLevel.DISTRICT) for d in tree.districts.values()
        ]:
            for programme in (Programme.EMERGENCY, Programme.WARMTH):
                actor = (
                    admin
                    if level == PoolLevel.CITY
                    else StaffUser.objects.get(username=f"{_slug(tree, level_org)}_staff")
                )
                pool = pool_create(programme=programme, year=2026, org=level_org, actor=actor)
                allocation_add(pool=pool, amount="9000000.00", source=AllocationSource.UNION_DUES, actor=actor)
                pools[(level_org.pk, programme)] = pool.pk
    tables = ["registry_enterprise", "registry_household", "outreach_pairing", "outreach_visit",
              "outreach_visit_cadres", "outreach_visitsignal", "tickets_ticket", "outreach_visitneed",
              "registry_householdmember", "funds_ledgertransaction", "funds_ledgerentry", "funds_commitment",
              "funds_disbursement", "assistance_application"]  # fmt: skip
    with bulk_load(tables), ledger_checks_off():
        pool_ids = "(ARRAY[" + ",".join(str(pk) for pk in pools.values()) + "]::bigint[])"
        s = f"{street_ids}[1 + (g % {n_streets})]"
        e0 = "(SELECT coalesce(max(id), 0) FROM registry_enterprise)"
        insert(Enterprise, n_e, {
            "name": "'企业' || g", "uscc": "NULL", "ownership": "'private'", "size_class": "'small'", "industry": "'C'",
            "area_id": f"{street_areas}[1 + (g % {n_streets})]", "org_id": s,
            "lat": "34.0 + (g % 1000) / 1000.0", "lng": "108.5 + (g % 997) / 1000.0", "status": "'active'",
        })  # fmt: skip
        insert(Household, n_h, {
            "area_id": f"{street_areas}[1 + (g % {n_streets})]", "org_id": s,
            "archive_level": "CASE WHEN g % 10 = 0 THEN 'deep' WHEN g % 50 = 1 THEN 'relative' ELSE '' END",
            "archived_on": "CASE WHEN g % 10 = 0 THEN date '2025-06-01' WHEN g % 50 = 1 THEN date '2026-04-01' END",
            "facts_changed_at": "now()",
        })  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM registry_enterprise")
            first_e = cursor.fetchone()[0]
            cursor.execute("SELECT min(id) FROM registry_household")
            first_h = cursor.fetchone()[0]
        del e0
        # An enterprise's and a household's org follow from their number, as above: (k - first) + 1 = g.
        e_org = f"{street_ids}[1 + ((ek - {first_e} + 1) % {n_streets})]"
        h_org = f"{street_ids}[1 + ((hk - {first_h} + 1) % {n_streets})]"
        insert(Pairing, 14000, {
            "campaign_id": str(campaign.pk), "cadre_id": cadre_of(f"g % {n_streets}", f"g / {n_streets}"),
            "enterprise_id": f"{first_e} + g - 1", "manual": "false", "created_at": "timestamptz '2026-03-01 09:00+08'",
        })  # fmt: skip
        visit_source = (
            f"(SELECT g, {first_e} + (g * 7919) % {n_e} AS ek, {first_h} + (g * 104729) % {n_h} AS hk "  # noqa: S608 - numbers of this script
            f"FROM generate_series(1::bigint, {args.visits}) g) v"
        )
        insert(Visit, args.visits, {
            "client_id": "md5(g::text || 'visit')::uuid", "campaign_id": str(campaign.pk),
            "kind": "CASE WHEN g % 5 = 0 THEN 'enterprise' ELSE 'home' END",
            "date": f"date '{START}' + (g % {DAYS})::int",
            "enterprise_id": "CASE WHEN g % 5 = 0 THEN ek END", "household_id": "CASE WHEN g % 5 = 0 THEN NULL ELSE hk END",
            "org_id": f"CASE WHEN g % 5 = 0 THEN {e_org} ELSE {h_org} END",
            "recorded_by_id": f"{cadres}[1 + (g % {n_cadres})]", "people_met": "CASE WHEN g % 5 = 0 THEN g % 30 ELSE 1 + g % 4 END",
            "basic_clear": "g % 2 = 0", "hardship_clear": "g % 2 = 0", "aid_clear": "g % 4 = 0",
            "follow_up": "g % 3 = 0", "satisfaction": "CASE WHEN g % 4 = 0 THEN NULL ELSE 1 + g % 5 END",
            "recorded_at": f"timestamptz '{START} 10:00+08' + (g % {DAYS}) * interval '1 day'",
            "synced_at": "now()", "lat": "NULL", "lng": "NULL",
        }, source=visit_source)  # fmt: skip
        through = Visit.cadres.through
        with connection.cursor() as cursor:
            begun = time.monotonic()
            cursor.execute(
                f"INSERT INTO {through._meta.db_table} (visit_id, staffuser_id) "  # noqa: S608
                f"SELECT id, {cadre_of(f'array_position({street_ids}, org_id) - 1', 'id')} FROM outreach_visit"
            )
            print(f"  {through._meta.db_table:<32} {cursor.rowcount:>12,} rows {time.monotonic() - begun:7.1f} s")
        insert(VisitSignal, 0, {
            "visit_id": "g.id", "kind": "'illness'", "values": "'{}'::jsonb", "base": "'{}'::jsonb", "applied": "'[]'::jsonb",
        }, source="(SELECT id FROM outreach_visit WHERE kind = 'home' AND id % 25 = 1) g")  # fmt: skip
        kinds = "(ARRAY['need','enterprise_problem','hazard','consultation','need','complaint','suggestion'])"
        insert(Ticket, args.tickets, {
            "code_hash": "md5(g::text || 'ticket')", "channel": "'visit'", "kind": f"{kinds}[1 + g % 7]",
            "title": "'诉求' || g", "org_id": s, "handler_id": cadre_of(f"g % {n_streets}", "g"),
            "ticket_class": "'ordinary'",
            "status": "CASE WHEN g % 10 < 7 THEN 'resolved' ELSE 'received' END",
            "received_at": f"timestamptz '{START} 09:00+08' + (g % {DAYS}) * interval '1 day'",
            "due_at": f"timestamptz '{START} 09:00+08' + (g % {DAYS} + 5) * interval '1 day'",
            "escalate_after": f"timestamptz '{START} 09:00+08' + (g % {DAYS} + 5) * interval '1 day'",
            "resolved_at": f"CASE WHEN g % 10 < 7 THEN timestamptz '{START} 09:00+08' + (g % {DAYS} + g % 8) * interval '1 day' END",
            "verified_at": f"CASE WHEN g % 10 < 7 AND g % 7 = 2 THEN timestamptz '{START} 09:00+08' + (g % {DAYS} + 2) * interval '1 day' END",
        })  # fmt: skip
        insert(VisitNeed, 0, {"visit_id": "g.visit_id", "kind": "g.kind", "ticket_id": "g.ticket_id"}, source=(
            "(SELECT v.id AS visit_id, t.kind, t.id AS ticket_id FROM "  # noqa: S608
            "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM outreach_visit WHERE kind = 'enterprise' ORDER BY id "
            f"LIMIT {args.tickets // 3}) v JOIN "
            "(SELECT id, kind, row_number() OVER (ORDER BY id) AS n FROM tickets_ticket "
            f"WHERE kind IN ('need', 'enterprise_problem') ORDER BY id LIMIT {args.tickets // 3}) t ON t.n = v.n) g"
        ))  # fmt: skip
        n_a = args.applications
        insert(
            HouseholdMember, n_a, {"household_id": f"{first_h} + g - 1", "name": "'户主' || g", "relation": "'head'"}
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM registry_householdmember")
            first_m = cursor.fetchone()[0]
        paid = n_a * 6 // 10
        insert(LedgerTransaction, 2 * paid, {
            "kind": "CASE WHEN g % 2 = 0 THEN 'commitment' ELSE 'disbursement' END",
            "pool_id": f"{pool_ids}[1 + ((g + 1) / 2) % {len(pools)}]", "reference": "'application:' || ((g + 1) / 2)",
            "at": f"timestamptz '{START} 11:00+08' + (((g + 1) / 2) % {DAYS}) * interval '1 day'",
        })  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM funds_ledgertransaction WHERE kind IN ('commitment', 'disbursement')")
            first_tx = cursor.fetchone()[0]
        insert(LedgerEntry, 0, {
            "transaction_id": "g.id", "pool_id": "g.pool_id", "account": "g.account", "amount": "g.amount",
        }, source=(
            f"(SELECT t.id, t.pool_id, x.account, x.sign * (1000 + ((t.id - {first_tx}) / 2 + 1) % 3 * 1000) AS amount "  # noqa: S608
            "FROM funds_ledgertransaction t CROSS JOIN LATERAL (VALUES "
            "(CASE WHEN t.kind = 'commitment' THEN 'available' ELSE 'committed' END, -1), "
            "(CASE WHEN t.kind = 'commitment' THEN 'committed' ELSE 'paid' END, 1)) x(account, sign) "
            f"WHERE t.id >= {first_tx}) g"
        ))  # fmt: skip
        insert(Commitment, paid, {
            "pool_id": f"{pool_ids}[1 + g % {len(pools)}]", "amount": "1000 + (g % 3) * 1000", "household_id": f"{first_h} + g - 1",
            "beneficiary_ref": "'household:' || g", "period": "'2026'", "reference": "'application:' || g", "status": "'paid'",
            "created_at": f"timestamptz '{START} 11:00+08' + (g % {DAYS}) * interval '1 day'",
            "transaction_id": f"{first_tx} + 2 * (g - 1) + 1",
        })  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM funds_commitment")
            first_c = cursor.fetchone()[0]
        insert(Disbursement, paid, {
            "commitment_id": f"{first_c} + g - 1", "pool_id": f"{pool_ids}[1 + g % {len(pools)}]",
            "household_id": f"{first_h} + g - 1", "amount": "1000 + (g % 3) * 1000",
            "idempotency_key": "md5(g::text || 'pay')", "status": "'paid'",
            "paid_at": f"timestamptz '{START} 15:00+08' + (g % {DAYS}) * interval '1 day'",
            "transaction_id": f"{first_tx} + 2 * (g - 1)",
        })  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM funds_disbursement")
            first_d = cursor.fetchone()[0]
        hk = f"{first_h} + g - 1"
        insert(Application, n_a, {
            "household_id": hk, "applicant_id": f"{first_m} + g - 1", "policy_id": "'emergency_relief'",
            "policy_name": "'紧急救助'", "org_id": f"{street_ids}[1 + ((g) % {n_streets})]",
            "status": f"CASE WHEN g <= {paid} THEN 'paid' WHEN g % 5 = 0 THEN 'submitted' ELSE 'approved' END",
            "amount": "1000 + (g % 3) * 1000", "period": "2026", "filed_by_proxy": "g % 2 = 0",
            "filed_by_id": cadre_of(f"g % {n_streets}", "g"),
            "filed_at": f"timestamptz '{START} 09:00+08' + (g % {DAYS}) * interval '1 day'",
            "decided_at": f"CASE WHEN g % 5 <> 0 OR g <= {paid} THEN timestamptz '{START} 10:00+08' + (g % {DAYS}) * interval '1 day' END",
            "paid_on": f"CASE WHEN g <= {paid} THEN date '{START}' + (g % {DAYS})::int END",
            "commitment_id": f"CASE WHEN g <= {paid} THEN {first_c} + g - 1 END",
            "disbursement_id": f"CASE WHEN g <= {paid} THEN {first_d} + g - 1 END",
        })  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)


def _slug(tree: Any, org: Any) -> str:
    from niangjia.demo.orgs import DISTRICT_SLUGS

    return next(DISTRICT_SLUGS[code] for code, district in tree.districts.items() if district.pk == org.pk)


def timed(label: str, fn: Callable[[], Any], runs: int) -> float:
    """The median of `runs` calls after one unmeasured call (a running server has its URLs and plans warm)."""
    fn()
    times = []
    for _ in range(runs):
        begun = time.perf_counter()
        fn()
        times.append(time.perf_counter() - begun)
    median = statistics.median(times)
    print(f"  {label:<58} {median * 1000:8.0f} ms  (max {max(times) * 1000:.0f} ms, {runs} runs)", flush=True)
    return median


def measure(runs: int, *, refresh_first: bool = True) -> None:
    from django.db import connection
    from django.urls import reverse

    from niangjia.orgs.models import StaffUser, UnionOrg
    from niangjia.outreach.models import Campaign
    from niangjia.reports import indicators
    from niangjia.reports.bulletin import bulletin_data
    from niangjia.reports.choices import Grouping
    from niangjia.reports.selectors.dashboard import dashboard_data
    from niangjia.reports.selectors.records import cell_queryset, cell_records
    from niangjia.reports.selectors.tables import indicator_table
    from niangjia.reports.services import campaign_refresh

    campaign = Campaign.objects.get()
    reverse("reports:dashboard")  # the URLconf is imported once per process, not per request
    with connection.cursor() as cursor:
        for table in ("outreach_visit", "tickets_ticket", "outreach_visit_cadres", "assistance_application"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            print(f"  {table:<32} {cursor.fetchone()[0]:>12,} rows")
    if refresh_first:
        print("\nrefresh of the pre-aggregated counts (the background task)")
        begun = time.perf_counter()
        refresh = campaign_refresh(campaign=campaign)
        print(f"  campaign_refresh: {time.perf_counter() - begun:.1f} s, {refresh.rows:,} rows of counts", flush=True)
    admin = StaffUser.objects.get(username="xa_admin")
    leader = StaffUser.objects.get(username="xa_leader")
    district_staff = StaffUser.objects.get(username="yanta_staff")
    yanta = UnionOrg.objects.get(key="xa-yanta")
    city = campaign.org
    every = indicators.INDICATORS
    print(f"\nwhat the pages read ({len(every)} indicators; median of {runs})")
    results = {
        "table, city admin": timed("every indicator by district, city admin", lambda: indicator_table(
            user=admin, campaign=campaign, base=city, items=every), runs),
        "table, leader": timed("every indicator by district, leader (withheld, tables above)", lambda: indicator_table(
            user=leader, campaign=campaign, base=city, items=every), runs),
        "table, district staff": timed("every indicator by street, district staff", lambda: indicator_table(
            user=district_staff, campaign=campaign, base=yanta, items=every), runs),
        "by cadre": timed("every indicator by cadre, a district (leader)", lambda: indicator_table(
            user=leader, campaign=campaign, base=yanta, items=every, by=Grouping.CADRE), runs),
        "by cadre, city": timed("every indicator by cadre, the whole city (1,400 cadres), leader", lambda: indicator_table(
            user=leader, campaign=campaign, base=city, items=every, by=Grouping.CADRE), runs),
        "as of": timed("every indicator as of a day, leader", lambda: indicator_table(
            user=leader, campaign=campaign, base=city, items=every, as_of=START + timedelta(59)), runs),
        "dashboard": timed("the whole dashboard (table, trend, map, money), leader", lambda: dashboard_data(
            user=leader, campaign=campaign, base=city), runs),
        "bulletin": timed("the bulletin's data as of a day", lambda: bulletin_data(
            campaign=campaign, base=city, as_of=START + timedelta(59)), runs),
        "records": timed("a page of the records behind a number (homes, a district)", lambda: cell_records(
            qs=cell_queryset(user=district_staff, campaign=campaign, item=indicators.BY_CODE["homes_visited"],
                             base=yanta), item=indicators.BY_CODE["homes_visited"], sensitive=True), runs),
    }  # fmt: skip
    worst = max(results.values())
    print(f"\nslowest read: {worst * 1000:.0f} ms — target ≤ 1000 ms: {'met' if worst <= 1 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=10_000_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="time the database a previous run loaded")
    parser.add_argument("--no-refresh", action="store_true", help="with --reuse: keep the counts already refreshed")
    args = parser.parse_args()
    if args.reuse:
        setup(args.database_url)
    else:
        fresh_database(args.database_url)
        print(f"loading {args.visits:,} visits and {args.tickets:,} tickets with SQL", flush=True)
        load(args)
    measure(args.runs, refresh_first=not args.no_refresh)


if __name__ == "__main__":
    main()
