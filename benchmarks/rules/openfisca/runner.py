"""OpenFisca side of the comparison — runs ONLY in benchmarks/.venv-openfisca (openfisca-core is AGPL).

Five rules of the example pack — archive_review, warmth, emergency_relief, inpatient_mutual_aid,
gig_training_subsidy — with the same parameters and boundaries as policies/*.yaml, in two modes:

- ``native`` (native.py + the openfisca_xian country package): every event and payment is a DAY
  input on its person; the history windows, caps, amounts and statuses are OpenFisca formulas;
- ``digest`` (digest.py, the default): Polars first aggregates events and payments per person
  into as_of-relative inputs (the windows are decided there); OpenFisca only compares them and
  computes amounts.

Both time their whole work end to end (reading parquet included).

    python runner.py --mode native --input DIR --as-of 2025-11-15 --output results.parquet
    python runner.py --mode native --input DIR --as-of 2025-11-15 --single 200   # per-household latency
                                                                                  # (with and without row selection)

``--memory-limit-gb`` (native bulk): refuse up front when the dense DAY arrays alone would not
fit, and cap the address space at that size; either way the run prints ``{"did_not_fit": ...}``
and exits with status 3 instead of taking the machine down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: digest, native, openfisca_xian

import polars as pl

DID_NOT_FIT = 3
Tables = dict[str, pl.DataFrame]


def read(directory: Path) -> Tables:
    return {n: pl.read_parquet(directory / f"{n}.parquet") for n in ("households", "persons", "events", "payments")}


def rows_of(tables: Tables, hid: str) -> Tables:
    """The rows of household ``hid``: itself, its members, and their events and payments."""
    members = tables["persons"].filter(pl.col("household_id") == hid)["person_id"]
    return {
        "households": tables["households"].filter(pl.col("household_id") == hid),
        "persons": tables["persons"].filter(pl.col("household_id") == hid),
        "events": tables["events"].filter(pl.col("person_id").is_in(members.implode())),
        "payments": tables["payments"].filter(pl.col("person_id").is_in(members.implode())),
    }


def time_single(tables: Tables, count: int, screen: Callable[[Tables], object]) -> dict[str, float]:
    """Screen ``count`` random households one at a time: p95 / median ms with the selection of its
    rows from the frames (``p95_ms``) and with its rows in hand (``rows_p95_ms``)."""
    ids = tables["households"]["household_id"].sample(count, seed=1).to_list()
    first = rows_of(tables, ids[0])
    if first["persons"].height:
        screen(first)  # one untimed call, as on niangjia's side
    lat, given = [], []
    for hid in ids:
        t = time.perf_counter()
        own = rows_of(tables, hid)
        t_rows = time.perf_counter()
        if own["persons"].height:
            screen(own)
        done = time.perf_counter()
        lat.append((done - t) * 1000)
        given.append((done - t_rows) * 1000)  # the household's rows in hand: OpenFisca's own work
    q = statistics.quantiles
    return {
        "p95_ms": q(lat, n=20)[18],
        "median_ms": statistics.median(lat),
        "rows_p95_ms": q(given, n=20)[18],
        "rows_median_ms": statistics.median(given),
    }


def did_not_fit(reason: str) -> None:
    print(json.dumps({"did_not_fit": reason}), flush=True)
    raise SystemExit(DID_NOT_FIT)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["digest", "native"], default="digest")
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    ap.add_argument("--output", type=Path)
    ap.add_argument("--single", type=int, default=0, help="time this many single-household simulations")
    ap.add_argument("--memory-limit-gb", type=float, help="native bulk: give up beyond this address space")
    args = ap.parse_args()
    tables = read(args.input)
    as_of = args.as_of

    if args.mode == "digest":
        import digest

        tbs = digest.build_system()

        def screen(own: Tables) -> object:
            hh, persons = digest.digest(own, as_of)
            return digest.simulate(tbs, hh, persons, as_of)

        def bulk() -> pl.DataFrame:
            return screen(tables)
    else:
        import native

        tbs = native.build_system()

        def screen(own: Tables) -> object:
            return native.run_household(tbs, own, as_of)

        def bulk() -> pl.DataFrame:
            return native.run(tbs, tables, as_of)

    if args.single:
        print(json.dumps(time_single(tables, args.single, screen)))
        return

    if args.mode == "native" and args.memory_limit_gb:
        limit = int(args.memory_limit_gb * 2**30)
        need = native.dense_bytes(tables)
        if need > limit:
            did_not_fit(f"DAY input arrays alone need {need / 2**30:.1f} GiB > {args.memory_limit_gb:g} GiB")
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = bulk()
    except MemoryError:
        did_not_fit(f"MemoryError under the {args.memory_limit_gb:g} GiB address-space cap")
    result.write_parquet(args.output)


if __name__ == "__main__":
    main()
