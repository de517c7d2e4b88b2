"""一人一企 pairing solver: time, peak memory and the quality of the result (issue 13 targets).

    .venv/bin/python benchmarks/outreach/bench_pairing.py [--quick]

Cadres and enterprises are drawn uniformly in discs around the 13 Xi'an district centres (equal-area radius,
niangjia/orgs/data/area_centers.csv), shared out by 2020 population (xian_population.csv). Each case runs in
its own process, so its peak RSS (resource.getrusage) is its own. Targets: 1,400 × 1,400 solved optimally in
≤ 2 s; 20,000 × 20,000 in ≤ 60 s and ≤ 2 GB with the optimality gap reported.

Two gaps are printed. "gap ≤" is against the solver's lower bound (each enterprise's nearest cadre, or each
cadre's nearest enterprises): always available, but on uniform random points the true optimum lies far
above it, so it only bounds the error. "true gap" is against the exact optimum (linear_sum_assignment on the
same instance), where that can be computed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from niangjia.outreach.solver import Problem, solve  # noqa: E402

DATA = ROOT / "niangjia" / "orgs" / "data"
KM_PER_DEGREE = 111.32


def _districts() -> list[tuple[float, float, float, float]]:
    """(lng, lat, radius km, weight) of the 13 districts."""
    with (DATA / "area_centers.csv").open(encoding="utf-8") as handle:
        centres = {row["code"]: row for row in csv.DictReader(handle)}
    with (DATA / "xian_population.csv").open(encoding="utf-8") as handle:
        weights = {row["code"]: float(row["population_10k"]) for row in csv.DictReader(handle)}
    return [
        (float(r["lng"]), float(r["lat"]), float(r["equal_area_radius_km"]), weights[code])
        for code, r in sorted(centres.items())
    ]


def _points(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`count` points spread over the districts by population: (lng, lat, district)."""
    districts = _districts()
    weights = np.array([d[3] for d in districts])
    group = rng.choice(len(districts), size=count, p=weights / weights.sum())
    lng0 = np.array([d[0] for d in districts])[group]
    lat0 = np.array([d[1] for d in districts])[group]
    radius = np.array([d[2] for d in districts])[group] * np.sqrt(rng.random(count))
    theta = rng.random(count) * 2 * math.pi
    lat = lat0 + radius * np.sin(theta) / KM_PER_DEGREE
    lng = lng0 + radius * np.cos(theta) / (KM_PER_DEGREE * np.cos(np.radians(lat0)))
    return lng, lat, group.astype(np.int64)


def instance(cadres: int, enterprises: int, *, cross: bool, seed: int = 2026) -> Problem:
    rng = np.random.default_rng(seed)
    clng, clat, cgroup = _points(rng, cadres)
    elng, elat, egroup = _points(rng, enterprises)
    return Problem(
        cadre_lng=clng, cadre_lat=clat, cadre_capacity=np.ones(cadres, dtype=np.int64), cadre_group=cgroup,
        enterprise_lng=elng, enterprise_lat=elat, enterprise_group=egroup, cross_group=cross,
    )  # fmt: skip


def run_case(size: int, *, cross: bool, dense_max_cells: int | None, polish: float, exact: bool) -> dict[str, object]:
    """Solve one instance in this process; return its figures (and the exact optimum when asked)."""
    problem = instance(size, size, cross=cross)
    options = {"polish_seconds": polish} | ({"dense_max_cells": dense_max_cells} if dense_max_cells is not None else {})
    started = time.perf_counter()
    found = solve(problem, **options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    result: dict[str, object] = {
        "seconds": seconds, "paired": found.paired, "total_km": found.total_km, "mean_km": found.mean_km,
        "baseline_mean_km": found.baseline_mean_km, "lower_bound_km": found.lower_bound_km, "gap": found.gap,
        "method": found.method, "optimal": found.optimal, "parts": len(found.groups),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }  # fmt: skip
    if exact:
        best = solve(problem, dense_max_cells=10**12)
        result["true_gap"] = (found.total_km - best.total_km) / best.total_km if best.total_km else 0.0
    return result


CASES = {
    # name: (size, cross-district, dense_max_cells (None: automatic), polish seconds, exact reference)
    "1400_districts": (1400, False, None, 30.0, False),
    "1400_one_region": (1400, True, None, 30.0, False),
    "5000_sparse_vs_exact": (5000, True, 0, 20.0, True),
    "20000_districts": (20000, False, None, 30.0, False),
    "20000_districts_sparse": (20000, False, 0, 30.0, True),
    "20000_one_region_sparse": (20000, True, None, 40.0, False),
}
QUICK = {"1400_districts", "1400_one_region", "20000_districts"}
TARGETS = {"1400_districts": (2.0, None), "1400_one_region": (2.0, None)} | {
    name: (60.0, 2048.0) for name in CASES if name.startswith("20000")
}
LABELS = {
    "1400_districts": "1,400 × 1,400，各区县分别求解",
    "1400_one_region": "1,400 × 1,400，允许跨区县（一个整体）",
    "5000_sparse_vs_exact": "5,000 × 5,000，跨区县，强制稀疏（对照精确解）",
    "20000_districts": "20,000 × 20,000，各区县分别求解（自动）",
    "20000_districts_sparse": "20,000 × 20,000，各区县，强制稀疏（对照精确解）",
    "20000_one_region_sparse": "20,000 × 20,000，允许跨区县（稀疏）",
}


def _pct(value: object) -> str:
    return "—" if value is None else f"{float(value) * 100:.2f}%"  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the 1,400 cases and 20,000 per district")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        size, cross, cells, polish, exact = CASES[args.case]
        print(json.dumps(run_case(size, cross=cross, dense_max_cells=cells, polish=polish, exact=exact)))
        return 0
    ok = True
    header = f"{'case':<44}{'method':>8}{'s':>8}{'peak MB':>9}{'mean km':>9}{'round-robin':>12}{'gap ≤':>9}{'true gap':>10}  target"
    print(header)
    for name in CASES:
        if args.quick and name not in QUICK:
            continue
        done = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{LABELS[name]}: FAILED\n{done.stderr[-2000:]}")
            ok = False
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        limit_s, limit_mb = TARGETS.get(name, (None, None))
        met = (limit_s is None or r["seconds"] <= limit_s) and (limit_mb is None or r["peak_mb"] <= limit_mb)
        if name.startswith("1400"):
            met = met and r["optimal"]
        ok = ok and met
        target = "" if limit_s is None else f"≤ {limit_s:.0f} s" + (f", ≤ {limit_mb:.0f} MB" if limit_mb else "")
        target += " (optimal)" if name.startswith("1400") else ""
        print(
            f"{LABELS[name]:<36}{r['method']:>8}{r['seconds']:>8.2f}{r['peak_mb']:>9.0f}{r['mean_km']:>9.3f}"
            f"{r['baseline_mean_km']:>12.3f}{_pct(r['gap'] if not r['optimal'] else 0):>9}"
            f"{_pct(r.get('true_gap')):>10}  {target}{'' if not target else (' ok' if met else ' MISSED')}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
