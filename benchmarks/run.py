"""`make bench`: every benchmark of niangjia, one after another, printing their tables.

    make bench                          # the default sizes (about 10–15 minutes on 2 cores)
    make bench BENCH_ARGS=--quick       # small sizes, a smoke run (about 2 minutes)
    make bench BENCH_ARGS="--full"      # + 10M screening, 1M-row CSV import, openfisca-core side by side

PostgreSQL is started as in CI (scripts/postgres-up.sh) when nothing answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
NJ = str(Path(sys.executable).with_name("niangjia"))
DEMO_DB = ROOT / "var" / "bench-demo.sqlite3"


def run(title: str, command: list[str]) -> bool:
    print(f"\n==> {title}\n    {' '.join(command)}", flush=True)
    started = time.monotonic()
    ok = subprocess.run(command, cwd=ROOT, check=False).returncode == 0
    print(f"    ({'ok' if ok else 'FAILED'}, {time.monotonic() - started:.0f} s)", flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--full", action="store_true", help="the long runs too")
    parser.add_argument(
        "--only",
        choices=[
            "rules",
            "rescreen",
            "imports",
            "search",
            "pairing",
            "sync",
            "ledger",
            "queue",
            "indicators",
            "uploads",
            "openfisca",
        ],
        help="run one benchmark",
    )
    args = parser.parse_args()
    people = "200000" if args.quick else "1000000"
    rows = "10000" if args.quick else "100000"
    workers = "100000" if args.quick else "1000000"
    if args.only != "rules" and subprocess.run(["bash", "scripts/postgres-up.sh"], cwd=ROOT, check=False).returncode:
        print("PostgreSQL is not available: the import and search benchmarks need it.")
        return 1
    plan = {
        "rules": (
            "rules engine (RULES.md targets)",
            [PY, "benchmarks/rules/bench_rules.py", "--people", people] + (["--ten-million"] if args.full else []),
        ),
        "rescreen": (
            "re-screen one household in the database (demo data on SQLite)",
            [
                "bash",
                "-c",
                f"rm -f {DEMO_DB} && DATABASE_URL=sqlite:///{DEMO_DB} {NJ} migrate -v0 && "
                f"DATABASE_URL=sqlite:///{DEMO_DB} {NJ} seed --preset xian --workers {rows} >/dev/null && "
                f"{PY} benchmarks/registry/rescreen.py --database-url sqlite:///{DEMO_DB}",
            ],
        ),
        "imports": (
            "registry import (xlsx on SQLite and PostgreSQL)",
            [PY, "benchmarks/registry/imports.py", "--rows", rows, "--sqlite"]
            + (["--csv-rows", "1000000"] if args.full else []),
        ),
        "search": ("worker search p95 (PostgreSQL)", [PY, "benchmarks/registry/search.py", "--workers", workers]),
        "pairing": (
            "一人一企 pairing (1,400 and 20,000 a side)",
            [PY, "benchmarks/outreach/bench_pairing.py"] + (["--quick"] if args.quick else []),
        ),
        "sync": (
            "visit sync from 1,400 cadres × 20 visits (PostgreSQL)",
            [PY, "benchmarks/outreach/bench_sync.py"]
            + (["--cadres", "300", "--workers", "5000"] if args.quick else []),
        ),
        "ledger": (
            "fund ledger: commitments and disbursements from 8 threads (PostgreSQL)",
            [PY, "benchmarks/funds/bench_ledger.py", "--disbursements", "2000" if args.quick else "10000"],
        ),
        "queue": (
            "assistance work queue p95 per role (PostgreSQL)",
            [PY, "benchmarks/assistance/bench_queue.py", "--workers", workers],
        ),
        "indicators": (
            "campaign indicators over 10M visits and 1M tickets (PostgreSQL)",
            [PY, "benchmarks/reports/bench_indicators.py"]
            + (["--visits", "1000000", "--tickets", "100000"] if args.quick else []),
        ),
        "uploads": ("ticket upload checks", [PY, "benchmarks/tickets/bench_uploads.py"]),
    }
    if args.full or args.only == "openfisca":
        plan["openfisca"] = (
            "side by side with openfisca-core",
            [
                "bash",
                "-c",
                f"bash benchmarks/rules/openfisca/setup.sh && {PY} benchmarks/rules/compare_openfisca.py"
                f" --people {people}",
            ],
        )
    results = [run(title, command) for name, (title, command) in plan.items() if args.only in (None, name)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
