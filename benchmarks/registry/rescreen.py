"""Re-screen one household in the database, end to end: extract its rows, evaluate, store.

    .venv/bin/python benchmarks/registry/rescreen.py [--database-url sqlite:///var/niangjia.sqlite3] [--n 200]

Run it on a database that holds the demo data (`make demo`, or `niangjia seed` on PostgreSQL).
It writes screening runs and results, as the `screen --follow` loop does.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="default: the environment's DATABASE_URL or var/")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    setup(args.database_url)
    from niangjia.registry.models import Household
    from niangjia.screening.services import household_evaluate, household_rescreen

    ids = list(Household.objects.values_list("pk", flat=True)[:50_000])
    if not ids:
        raise SystemExit("no households: load the demo data first")
    sample = random.Random(1).sample(ids, min(args.n, len(ids)))
    household_rescreen(household_id=sample[0])  # load and compile the policies once
    for label, fn in (
        ("re-screen and store (screen --follow)", household_rescreen),
        ("evaluate for the household page", household_evaluate),
    ):
        times = []
        for pk in sample:
            started = time.perf_counter()
            fn(household_id=pk)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label:<40} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   (n={len(times)})")


if __name__ == "__main__":
    main()
