"""1,400 cadres syncing 20 visits each against PostgreSQL: throughput and the p95 of one sync (issue 13, item 9).

    .venv/bin/python benchmarks/outreach/bench_sync.py [--cadres 1400] [--visits 20] [--clients 16]
        [--workers 20000] [--database-url postgres://…/niangjia_bench_sync]

Builds a fresh database with the demo tree, a demo registry and the demo campaign (its 一人一企 pairing
solved and published, so each cadre's scope follows it), then lets `--clients` threads play the phones:
each cadre signs in and posts its visits to POST /api/outreach/visits/sync, one request per visit, as the
phone's queue sends them after a day offline — enterprise visits to its paired enterprise and home visits
to households in its scope, one in ten with a need (a ticket), one in twenty with a hardship signal, and
one in twenty sent twice (a retried sync, which must answer 200 with the same visit). Prints the
throughput, the latency of a sync (median, p95, max) and checks that exactly cadres × visits were recorded.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import fresh_database

DEFAULT_URL = "postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench_sync"


def prepare(workers: int, seed: int) -> Any:
    """The demo tree, registry and published campaign; return the campaign."""
    import io

    from django.utils import timezone

    from niangjia.demo.orgs import tree_seed
    from niangjia.demo.outreach_campaign import campaign_seed
    from niangjia.demo.registry import registry_seed

    started = time.monotonic()
    out = io.StringIO()
    tree = tree_seed(seed=seed)
    registry_seed(tree=tree, seed=seed, workers=workers, stdout=out, today=timezone.localdate())
    campaign = campaign_seed(tree=tree, seed=seed, stdout=out, today=timezone.localdate())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"prepared: {workers:,} workers, campaign with pairings ({time.monotonic() - started:.0f} s)")
    return campaign


def phones(campaign: Any, cadres: int, visits: int, seed: int) -> list[tuple[Any, list[dict[str, Any]]]]:
    """For each of `cadres` paired cadres: the visits its phone queued (JSON bodies, as visits.js sends them)."""
    from django.utils import timezone

    from niangjia.core.scoping import Action, restrict
    from niangjia.outreach.models import Pairing
    from niangjia.registry.models import Household, HouseholdMember

    rng = random.Random(seed)
    today = timezone.localdate()
    first = max(campaign.starts_on, today - timedelta(days=40))
    pairings = list(Pairing.objects.filter(campaign=campaign).select_related("cadre__org").order_by("pk")[:cadres])
    plans = []
    for pairing in pairings:
        cadre = pairing.cadre
        homes = list(restrict(Household.objects.all(), cadre, Action.CHANGE).values_list("pk", flat=True)[:8])
        members = {
            m.household_id: m
            for m in HouseholdMember.objects.filter(household__in=homes, relation="head").only("pk", "household_id")
        }
        bodies = []
        for n in range(visits):
            day = first + timedelta(days=rng.randint(0, (today - first).days))
            body: dict[str, Any] = {
                "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "campaign_id": campaign.pk,
                "date": day.isoformat(),
                "people_met": rng.randint(1, 12),
                "satisfaction": rng.choice([5, 5, 5, 4, 3]),
                "notes": "走访了解职工需求。",
            }
            if homes and n % 5 in (1, 3):
                household = rng.choice(homes)
                body |= {"kind": "home", "household_id": household, "basic_clear": True, "hardship_clear": True}
                if rng.random() < 0.05 and household in members:
                    body["signals"] = [
                        {"kind": "job_loss", "member_id": members[household].pk, "base": {"work_status": "employed"}}
                    ]
            else:
                body |= {"kind": "enterprise", "enterprise_id": pairing.enterprise_id}
            if rng.random() < 0.10:
                body["needs"] = [{"kind": "need", "title": "希望参加技能培训", "category": "skills"}]
            bodies.append(body)
        plans.append((cadre, bodies))
    return plans


def play(plans: list[tuple[Any, list[dict[str, Any]]]], clients: int, seed: int) -> dict[str, Any]:
    """Send every phone's queue from `clients` threads; return the latencies and the answers' statuses."""
    from django.db import connection
    from django.test import Client

    url = "/api/outreach/visits/sync"
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    todo = list(plans)
    rng = random.Random(seed)
    retries = {id(body) for _, bodies in plans for body in bodies if rng.random() < 0.05}

    def worker() -> None:
        mine: list[float] = []
        seen: dict[int, int] = {}
        while True:
            with lock:
                if not todo:
                    break
                cadre, bodies = todo.pop()
            client = Client()
            client.force_login(cadre)
            for body in bodies:
                for _ in range(2 if id(body) in retries else 1):
                    started = time.perf_counter()
                    response = client.post(url, json.dumps(body), content_type="application/json")
                    mine.append((time.perf_counter() - started) * 1000)
                    seen[response.status_code] = seen.get(response.status_code, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.monotonic() - started, "latencies": sorted(latencies), "statuses": statuses,
            "retries": len(retries)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=1400)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16, help="concurrent phones (threads)")
    parser.add_argument("--workers", type=int, default=20000, help="workers in the demo registry")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    fresh_database(args.database_url)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    from niangjia.outreach.models import Visit

    campaign = prepare(args.workers, args.seed)
    plans = phones(campaign, args.cadres, args.visits, args.seed)
    expected = sum(len(bodies) for _, bodies in plans)
    result = play(plans, args.clients, args.seed)
    times = result["latencies"]
    recorded = Visit.objects.filter(campaign=campaign).count()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"\nvisit sync, PostgreSQL, {len(plans):,} cadres × {args.visits} visits, {args.clients} concurrent phones\n"
        f"  requests {len(times):,} ({result['retries']:,} retried), answers {dict(sorted(result['statuses'].items()))}\n"
        f"  wall {result['seconds']:.1f} s, throughput {len(times) / result['seconds']:.0f} syncs/s\n"
        f"  one sync: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms\n"
        f"  visits recorded {recorded:,} of {expected:,} queued (exactly once: {recorded == expected})"
    )
    if recorded != expected or set(result["statuses"]) - {200, 201}:
        raise SystemExit("FAILED: a visit was lost, recorded twice or refused")


if __name__ == "__main__":
    main()
