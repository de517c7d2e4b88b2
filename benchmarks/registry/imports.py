"""Import speed and memory: workers from xlsx (dry run, commit, re-import) and from a large CSV.

    .venv/bin/python benchmarks/registry/imports.py [--rows 100000] [--csv-rows 1000000]
        [--sqlite] [--postgres postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench]

Goals: ≥ 3,000 rows/s committed on PostgreSQL, as a district's staff user and as the system, with
≤ 1 GB peak memory for 100,000 xlsx rows; 1,000,000 CSV rows into PostgreSQL in ≤ 10 minutes.
Each phase runs in its own process so that its peak memory (max RSS) is its own.

Measured (issue 10, 2 December 2026; 20,000 rows committed, PostgreSQL on the same two shared
cores; six alternating runs in two sessions, load average 0.7–2.4; best / median rows/s):

    before issue 10 (46696a0, the import wrote beside the services)  staff 3,396 / 2,987  system 3,439 / 3,211
    through the bulk services, bulk_create (3e5f480)                 staff 2,409 / 2,166  system 2,453 / 2,205
    through the bulk services, COPY and the rest below (b0253ac)     staff 3,716 / 3,430  system 3,814 / 3,322

The slowest of the last row's runs, with others' tests running, were 2,898 and 2,919; this script
on a quiet machine (load 0.45) gave 4,015 (staff) and 3,873 (system).

What brought it back (each record still validated, each with its own audit entry): new rows go in
with COPY (`core/inserting.py`) instead of `bulk_create`, whose value preparation and UNNEST
arrays quoted into the SQL took about 4 of 10 seconds; audit entries are built positionally;
only the fields a row sets are validated; surnames' and given names' pinyin is read once each;
the collector runs less often during an import (`importing/runner.py`). SQLite: 3,202 rows/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _django import fresh_database, setup

HEADER = ["姓名", "身份证号", "手机号", "工作单位", "用工形式", "入职日期", "是否会员"]
ENTERPRISE = "阎良航空配件厂"


def rows(count: int):  # type: ignore[no-untyped-def]
    from niangjia.core.identifiers import make_id_number

    for i in range(count):
        born = date(1960, 1, 1) + timedelta(days=i // 500)
        yield [
            f"职工{i}",
            make_id_number("610114", born, i % 500, "M" if i % 2 else "F"),
            f"138{i:08d}",
            ENTERPRISE,
            "外卖骑手" if i % 7 == 0 else "全日制劳动合同",
            "2025.3.1",
            "是",
        ]


def write_xlsx(path: Path, count: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("职工")
    sheet.write_row(0, 0, HEADER)
    for n, row in enumerate(rows(count), start=1):
        sheet.write_row(n, 0, row)
    book.close()


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))


def prepare(url: str) -> None:
    """A fresh database with the union tree and the one enterprise the rows work at."""
    fresh_database(url)
    from niangjia.core.identifiers import make_uscc
    from niangjia.demo.orgs import tree_seed
    from niangjia.orgs.models import Area
    from niangjia.registry.services import EnterpriseData, enterprise_create

    tree = tree_seed(seed=1)
    street = tree.streets["610114"][0]
    enterprise_create(
        actor=None,
        org=street,
        data=EnterpriseData(
            name=ENTERPRISE,
            uscc=make_uscc("91610114MA0000001"),
            ownership="private",
            size_class="small",
            industry="C",
            area=Area.objects.get(code=street.area.code),
        ),
    )


def phase(url: str, path: Path, dry_run: bool, actor: str = "staff") -> dict[str, float]:
    """Run one import in this process as a district's staff or as the system; report seconds and peak memory."""
    setup(url)
    from niangjia.orgs.models import StaffUser, UnionOrg
    from niangjia.registry.importing import import_file

    user = StaffUser.objects.get(username="yanliang_staff") if actor == "staff" else None
    org = None if user is not None else UnionOrg.objects.get(key="xa-yanliang")
    started = time.perf_counter()
    result = import_file(kind="workers", path=path, user=user, org=org, dry_run=dry_run, max_bytes=4 << 30)
    seconds = time.perf_counter() - started
    assert result.error_rows == 0, [str(e) for e in result.errors[:3]]
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_phase(url: str, path: Path | None, name: str, actor: str = "staff") -> dict[str, float]:
    """Run a phase ("prepare", "dry", "commit") in a fresh process: one database, its own peak memory."""
    command = [sys.executable, __file__, "--phase", name, "--url", url, "--file", str(path or ""), "--actor", actor]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=0, help="also import this many CSV rows into PostgreSQL")
    parser.add_argument("--sqlite", action="store_true", help="measure SQLite too")
    parser.add_argument("--postgres", default="postgres://niangjia:niangjia@127.0.0.1:5432/niangjia_bench")
    parser.add_argument(
        "--actor", choices=["staff", "system", "both"], default="both",
        help="import as a district's staff user, as the system (no user, --org), or both (default)",
    )  # fmt: skip
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL (with --sqlite)")
    parser.add_argument("--phase", choices=["prepare", "dry", "commit"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "prepare":
        prepare(args.url)
        print("{}")
        return
    if args.phase:
        print(json.dumps(phase(args.url, Path(args.file), args.phase == "dry", args.actor)))
        return
    work = Path(tempfile.mkdtemp(prefix="nj-import-bench-"))
    xlsx = work / "workers.xlsx"
    started = time.perf_counter()
    write_xlsx(xlsx, args.rows)
    print(
        f"wrote {args.rows:,} rows to xlsx in {time.perf_counter() - started:.1f} s ({xlsx.stat().st_size / 1e6:.1f} MB)"
    )
    targets = ([("SQLite", f"sqlite:///{work / 'bench.sqlite3'}")] if args.sqlite else []) + (
        [] if args.no_postgres else [("PostgreSQL", args.postgres)]
    )
    actors = ["staff", "system"] if args.actor == "both" else [args.actor]
    print(f"\n{'database':<11} {'actor':<7} {'phase':<10} {'rows/s':>9} {'seconds':>8} {'peak MB':>8}")
    for label, url in targets:
        for actor in actors:
            run_phase(url, None, "prepare")
            for name, phase_name in (("dry run", "dry"), ("commit", "commit"), ("re-import", "commit")):
                r = run_phase(url, xlsx, phase_name, actor)
                print(
                    f"{label:<11} {actor:<7} {name:<10} {args.rows / r['seconds']:>9,.0f} {r['seconds']:>8.1f} "
                    f"{r['peak_mb']:>8.0f}"
                )
    if args.csv_rows:
        big = work / "workers.csv"
        write_csv(big, args.csv_rows)
        run_phase(args.postgres, None, "prepare")
        r = run_phase(args.postgres, big, "commit")
        print(
            f"{'PostgreSQL':<11} {'CSV ' + format(args.csv_rows, ','):<10} {args.csv_rows / r['seconds']:>9,.0f} "
            f"{r['seconds']:>8.1f} {r['peak_mb']:>8.0f}   (goal: ≤ 600 s)"
        )


if __name__ == "__main__":
    main()
