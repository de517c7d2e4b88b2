"""niangjia vs openfisca-core, side by side on the same rules and the same synthetic registry.

First the results must be identical (status and amount per entity, five policies); only then
are end-to-end time, peak memory and single-household latency compared. OpenFisca runs in its
own virtualenv (benchmarks/.venv-openfisca, created by openfisca/setup.sh) and is never
imported here or by niangjia. Two OpenFisca modes (openfisca/runner.py):

- ``native``: events and payments are DAY inputs, the history windows are OpenFisca formulas;
- ``digest``: Polars aggregates events and payments into as_of-relative inputs first.

The native bulk run holds persons × days arrays; it runs under an address-space cap
(``--memory-limit-gb``, default 18) and is reported as "did not fit" beyond it.

    python benchmarks/rules/compare_openfisca.py [--people 1000000] [--single 100] [--repeat 3] [--mode both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import polars as pl  # noqa: E402
import synth  # noqa: E402
from compiled import byte_compile  # noqa: E402

from niangjia.rules import load_pack, screen_household, screen_records  # noqa: E402
from niangjia.rules.engine import _household_rows  # noqa: E402

AS_OF = dt.date(2025, 11, 15)
FIVE = ["archive_review", "warmth", "emergency_relief", "inpatient_mutual_aid", "gig_training_subsidy"]
OF_PYTHON = ROOT / "benchmarks" / ".venv-openfisca" / "bin" / "python"
RUNNER = Path(__file__).parent / "openfisca" / "runner.py"
# Peak RSS of the child itself (VmHWM resets on exec; ru_maxrss would carry over the parent's peak),
# and its peak address space (VmPeak: OpenFisca native's dense DAY arrays, resident or not).
HWM = "import atexit; atexit.register(lambda: print('HWM', *[l.split()[1] for l in open('/proc/self/status') if l.startswith(('VmHWM', 'VmPeak'))]))"


DID_NOT_FIT = 3  # runner.py's exit status when the native bulk run exceeds its memory limit


class DidNotFit(Exception):
    pass


def _run(python: Path | str, args: list[str]) -> tuple[float, float, float]:
    """Wall seconds (process start to exit, imports included), peak RSS and peak address space in MB."""
    code = f"{HWM}; import runpy, sys; sys.argv = {args!r}; runpy.run_path(sys.argv[0], run_name='__main__')"
    t = time.perf_counter()
    out = subprocess.run([str(python), "-c", code], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if out.returncode == DID_NOT_FIT:
        raise DidNotFit(json.loads(out.stdout.splitlines()[0])["did_not_fit"])
    if out.returncode < 0:  # killed: under the address-space cap, an allocation failing outside Python aborts
        raise DidNotFit(f"killed by signal {-out.returncode}: {out.stderr.strip()[-300:]}")
    if out.returncode:
        raise SystemExit(out.stderr)
    vm_peak, hwm = [line for line in out.stdout.splitlines() if line.startswith("HWM")][-1].split()[1:]
    return seconds, int(hwm) / 1024, int(vm_peak) / 1024


# niangjia's side is its command line, ``python -m niangjia.rules screen``, as a user runs it.
NIANGJIA_SCRIPT = """
import runpy, sys
sys.path.insert(0, {root!r})
sys.argv = ["niangjia.rules", "--policies", {pol!r}, "screen", "--input", {inp!r}, "--output", {out!r},
            "--as-of", {as_of!r}, "--reasons", "kept"]
runpy.run_module("niangjia.rules", run_name="__main__", alter_sys=True)
"""


def _identical(work: Path, mode: str, nj: pl.DataFrame) -> None:
    """Stop (exit 1) unless OpenFisca's ``mode`` results equal niangjia's for every (entity, policy)."""
    key = ["policy_id", "household_id", "person_id"]
    of = pl.read_parquet(work / f"of_{mode}.parquet")
    both = nj.join(of, on=key, how="full", suffix="_of", nulls_equal=True, coalesce=True)
    bad = both.filter(
        (pl.col("status") != pl.col("status_of")).fill_null(True) | (pl.col("fen") != pl.col("fen_of")).fill_null(True)
    )
    if bad.height:
        print(f"MISMATCH ({mode}): {bad.height} (entity, policy) results differ — no timing comparison")
        print(bad.head(20))
        raise SystemExit(1)
    print(f"identical ({mode}): status and amount agree for every (entity, policy) of the five policies")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--single", type=int, default=100, help="households timed for the single-household figure")
    ap.add_argument("--repeat", type=int, default=3, help="end-to-end runs per engine (best time, its peak memory)")
    ap.add_argument("--mode", choices=["native", "digest", "both"], default="both", help="OpenFisca mode(s)")
    ap.add_argument("--memory-limit-gb", type=float, default=18, help="address-space cap of the native bulk run")
    args = ap.parse_args()
    modes = ["digest", "native"] if args.mode == "both" else [args.mode]
    if not OF_PYTHON.exists():
        raise SystemExit(f"{OF_PYTHON} 不存在：先运行 benchmarks/rules/openfisca/setup.sh")
    byte_compile(sys.executable, ROOT / "niangjia")
    byte_compile(OF_PYTHON, RUNNER.parent)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        policies = work / "policies"
        policies.mkdir()
        for name in [*FIVE, "parameters"]:
            shutil.copy(ROOT / "policies" / f"{name}.yaml", policies)
        tables = synth.generate(args.people)
        for name, frame in tables.items():
            frame.write_parquet(work / f"{name}.parquet")
        script = work / "niangjia_run.py"
        script.write_text(
            NIANGJIA_SCRIPT.format(
                root=str(ROOT), inp=str(work), out=str(work / "nj.parquet"), as_of=AS_OF.isoformat(), pol=str(policies)
            )
        )
        base = [str(RUNNER), "--input", str(work), "--as-of", AS_OF.isoformat()]
        # Alternating runs, best of ``--repeat`` for each (the machine is shared: noise only adds).
        runs: dict[str, list[tuple[float, float, float]]] = {"niangjia": [], **{m: [] for m in modes}}
        did_not_fit: dict[str, str] = {}
        for _ in range(args.repeat):
            runs["niangjia"].append(_run(sys.executable, [str(script)]))
            for mode in modes:
                if mode in did_not_fit:
                    continue
                of_args = [*base, "--mode", mode, "--output", str(work / f"of_{mode}.parquet")]
                if mode == "native":
                    of_args += ["--memory-limit-gb", str(args.memory_limit_gb)]
                try:
                    runs[mode].append(_run(OF_PYTHON, of_args))
                except DidNotFit as e:
                    did_not_fit[mode] = str(e)
                    print(f"openfisca {mode}: did not fit at {args.people:,} people — {e}")
        best = {name: min(r) for name, r in runs.items() if r}

        # 1. Identical results first.
        nj = pl.read_parquet(work / "nj.parquet").select(
            pl.col("policy_id").cast(pl.String),
            "household_id",
            "person_id",
            pl.col("status").cast(pl.String),
            (pl.col("amount").cast(pl.Float64) * 100).round().cast(pl.Int64).fill_null(0).alias("fen"),
        )
        per_policy = nj.group_by("policy_id", "status").len().sort("policy_id", "status")
        print(f"{args.people:,} people, {nj.height:,} results, as of {AS_OF}")
        print(per_policy)
        for mode in modes:
            if mode not in did_not_fit:
                _identical(work, mode, nj)

        # 2. Single household: niangjia in process (registry in memory), OpenFisca likewise.
        pack = [p for p in load_pack(policies)]
        hids = tables["households"]["household_id"].sample(args.single, seed=1).to_list()
        screen_household(pack, tables, hids[0], AS_OF)
        lat, given = [], []
        for hid in hids:  # selection + evaluation, as screen_household does
            t = time.perf_counter()
            screen_household(pack, tables, hid, AS_OF)
            lat.append((time.perf_counter() - t) * 1000)
        own = {hid: _household_rows(tables, hid) for hid in hids}
        records = {name: f.to_dicts() for name, f in own[hids[0]].items() if f is not None}
        screen_records(pack, records, AS_OF)  # one untimed call, as on the OpenFisca side
        time.sleep(0.5)  # let Polars' worker threads go idle (2 cores)
        for hid in hids:  # the household's rows in hand, as OpenFisca gets them: frames → records → results
            t = time.perf_counter()
            screen_records(pack, {name: f.to_dicts() for name, f in own[hid].items() if f is not None}, AS_OF)
            given.append((time.perf_counter() - t) * 1000)
        single = {
            "niangjia": {
                "p95_ms": statistics.quantiles(lat, n=20)[18],
                "rows_p95_ms": statistics.quantiles(given, n=20)[18],
            }
        }
        for mode in modes:
            out = subprocess.run(
                [str(OF_PYTHON), *base, "--mode", mode, "--single", str(args.single)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            single[mode] = json.loads(out.strip().splitlines()[-1])

    # 3. The table; a ratio says how many times faster (or smaller) niangjia is than that OpenFisca mode.
    rows = [
        ("end to end (parquet in, results written), s", "≥ 5×", "faster", "{:,.2f}"),
        ("peak memory, MB", "≥ 3×", "less", "{:,.0f}"),
        ("single household p95, its rows in hand, ms", "≥ 100×", "faster", "{:,.2f}"),
        ("same, incl. selecting its rows from the frames, ms", "(info)", "faster", "{:,.2f}"),
        ("peak address space (VmPeak), MB", "(info)", "less", "{:,.0f}"),
    ]
    measured: dict[str, list[float | None]] = {
        name: [
            best[name][0] if name in best else None,
            best[name][1] if name in best else None,
            single[name]["rows_p95_ms"],
            single[name]["p95_ms"],
            best[name][2] if name in best else None,
        ]
        for name in ["niangjia", *modes]
    }
    print(f"\n{'measure':<52}{'niangjia':>10}" + "".join(f"{'OF ' + m:>14}  {'ratio':<15}" for m in modes) + "target")
    for i, (what, target, word, fmt) in enumerate(rows):
        ours = measured["niangjia"][i]
        assert ours is not None
        line = f"{what:<52}{fmt.format(ours):>10}"
        for mode in modes:
            theirs = measured[mode][i]
            if theirs is None:
                line += f"{'did not fit':>14}  {'':<15}"
            else:
                line += f"{fmt.format(theirs):>14}  {f'{theirs / ours:.1f}× {word}':<15}"
        print(line + target)
    for mode, reason in did_not_fit.items():
        print(f"OF {mode}: did not fit in {args.memory_limit_gb:g} GB at {args.people:,} people ({reason})")


if __name__ == "__main__":
    main()
