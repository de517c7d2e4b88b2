"""Command entry points (pure Python): check, test, diff, screen.

The Django management commands wrap these; ``python -m niangjia.rules`` runs them standalone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from niangjia.rules.cases import CaseResult, run_policy_tests
from niangjia.rules.check import InputError, check_tables
from niangjia.rules.engine import screen
from niangjia.rules.errors import PolicyError
from niangjia.rules.io import RESULTS_COMPRESSION, RESULTS_STATISTICS, read_tables, write_results
from niangjia.rules.loader import PARAMETERS_FILE, load_parameters, load_policy
from niangjia.rules.model import Policy
from niangjia.rules.pack import load_pack, validate_policy
from niangjia.rules.results import ELIGIBLE, Reasons, Tables


def check(policy_dir: str | Path) -> list[str]:
    """Validate every policy file; return the Chinese error messages (empty when all is well)."""
    try:
        load_pack(policy_dir)
    except PolicyError as exc:
        return [str(i) for i in exc.issues]
    return []


@dataclass
class TestReport:
    """Result of ``policies test``."""

    results: list[CaseResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.ok for r in self.results)

    def lines(self) -> list[str]:
        """Human-readable report."""
        out = list(self.errors)
        for r in self.results:
            out.append(f"{'通过' if r.ok else '失败'}  {r.policy_id}  {r.name}")
            out += [f"      {f}" for f in r.failures]
        passed = sum(r.ok for r in self.results)
        out.append(f"共 {len(self.results)} 个用例，通过 {passed} 个，失败 {len(self.results) - passed} 个")
        return out


def run_tests(policy_dir: str | Path, cases_file: str | Path | None = None) -> TestReport:
    """Run the embedded tests of every policy, or the cases of ``cases_file`` (``{policy_id: [cases]}``)."""
    report = TestReport()
    try:
        policies = {p.id: p for p in load_pack(policy_dir)}
    except PolicyError as exc:
        report.errors = [str(i) for i in exc.issues]
        return report
    if cases_file is None:
        for p in policies.values():
            report.results += run_policy_tests(p)
        return report
    cases: dict[str, Any] = yaml.safe_load(Path(cases_file).read_text(encoding="utf-8")) or {}
    for pid, items in cases.items():
        if pid not in policies:
            report.errors.append(f"{cases_file}：没有政策 {pid}")
            continue
        report.results += run_policy_tests(policies[pid], items)
    return report


def _load_one(path: str | Path) -> Any:
    file = Path(path)
    shared_file = file.parent / PARAMETERS_FILE
    shared, digest = load_parameters(shared_file) if shared_file.exists() else ({}, "")
    policy = load_policy(file, shared, digest)
    issues = validate_policy(policy)
    if issues:
        raise PolicyError(issues)
    return policy


def diff(old_file: str | Path, new_file: str | Path, tables: Tables, as_of: dt.date) -> dict[str, Any]:
    """Impact preview of a policy change on the live registry: who gains, who loses, money delta."""
    old, new = _load_one(old_file), _load_one(new_file)
    key = "household_id" if new.entity == "household" else "person_id"
    cols = [key, "status", "amount"]
    a = screen([old], tables, as_of)
    b = screen([new], tables, as_of)
    assert isinstance(a, pl.DataFrame) and isinstance(b, pl.DataFrame)
    both = a.select(cols).join(b.select(cols), on=key, how="full", suffix="_new", coalesce=True)
    was = pl.col("status") == ELIGIBLE
    now = pl.col("status_new") == ELIGIBLE
    gained = both.filter(now & ~was.fill_null(False))
    lost = both.filter(was & ~now.fill_null(False))

    def money(frame: pl.DataFrame, col: str) -> Decimal:
        status = col.replace("amount", "status")
        return Decimal(str(frame.filter(pl.col(status) == ELIGIBLE)[col].sum() or 0))

    old_total, new_total = money(both, "amount"), money(both, "amount_new")
    return {
        "policy_id": new.id,
        "old_version": old.version,
        "new_version": new.version,
        "as_of": as_of,
        "entity": new.entity,
        "gained": gained.height,
        "lost": lost.height,
        "gained_ids": gained[key].to_list(),
        "lost_ids": lost[key].to_list(),
        "old_total": old_total,
        "new_total": new_total,
        "money_delta": new_total - old_total,
    }


def screen_files(
    input_path: str | Path,
    output_path: str | Path,
    as_of: dt.date,
    policy_dir: str | Path,
    *,
    reasons: Reasons = "all",
    chunk_households: int | None = None,
) -> int:
    """Screen the tables in ``input_path`` with the published policies; write results; return row count.

    The tables are checked first (:func:`niangjia.rules.check.check_tables`); with any problem an
    :class:`~niangjia.rules.check.InputError` naming each row, column and fix is raised and no
    output is written.

    With ``chunk_households`` the registry is screened in household-id ranges of that size and
    ``output_path`` is a directory receiving one parquet file per chunk (memory stays bounded).
    """
    policies = load_pack(policy_dir, published_only=True)
    tables = read_tables(input_path)
    issues = check_tables(tables)
    if issues:
        raise InputError(issues)  # nothing screened, nothing written
    if chunk_households:
        return screen_chunked(policies, tables, as_of, output_path, chunk_households, reasons=reasons)
    if Path(output_path).suffix == ".parquet":
        # Streamed straight to the file: the result is never held whole in memory.
        plan = screen(policies, tables, as_of, reasons=reasons, lazy=True)
        assert isinstance(plan, pl.LazyFrame)
        plan.sink_parquet(output_path, compression=RESULTS_COMPRESSION, statistics=RESULTS_STATISTICS)
        return int(pl.scan_parquet(output_path).select(pl.len()).collect().item())
    results = screen(policies, tables, as_of, reasons=reasons)
    assert isinstance(results, pl.DataFrame)
    write_results(results, output_path)
    return results.height


def _str(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String)


def screen_chunked(
    policies: list[Policy],
    tables: Tables,
    as_of: dt.date,
    output_dir: str | Path,
    households_per_chunk: int,
    *,
    reasons: Reasons = "kept",
) -> int:
    """Screen a large registry in ranges of household ids, writing ``part-NNNNN.parquet`` per range.

    Each range carries its households, their members, and every event, payment and document
    recorded against one of them — so each chunk is screened exactly as the whole would be.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    households = tables.get("households")
    if households is None:
        raise ValueError("没有 households 表")
    ids = households.lazy().select(_str("household_id").alias("id")).drop_nulls().sort("id").collect()["id"]
    bounds = ids.gather_every(max(1, households_per_chunk)).to_list()
    del ids
    rows = 0
    for i, low in enumerate(bounds):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        hid = _str("household_id")
        mine = (hid >= low) & (hid < high) if high is not None else hid >= low
        chunk: dict[str, pl.DataFrame | pl.LazyFrame | None] = {"households": households.lazy().filter(mine).collect()}
        persons = tables.get("persons")
        members = pl.Series("person_id", [], pl.String)
        if persons is not None:
            chunk["persons"] = persons.lazy().filter(mine).collect()
            members = chunk["persons"].get_column("person_id").cast(pl.String)  # type: ignore[union-attr]
        for name in ("events", "payments", "documents"):
            frame = tables.get(name)
            if frame is None:
                continue
            cols = frame.lazy().collect_schema().names()
            keep = pl.lit(False)
            if "household_id" in cols:
                keep = keep | mine.fill_null(False)
            if "person_id" in cols:
                keep = keep | _str("person_id").is_in(members.implode()).fill_null(False)
            chunk[name] = frame.lazy().filter(keep).collect()
        result = screen(policies, chunk, as_of, reasons=reasons)
        assert isinstance(result, pl.DataFrame)
        result.write_parquet(out / f"part-{i:05d}.parquet", compression=RESULTS_COMPRESSION)
        rows += result.height
    return rows


def as_of_date(text: str) -> dt.date:
    """``--as-of`` as a date, with a Chinese message naming the value and the form."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的日期，请写成 2025-12-01 这样的形式") from None


def main(argv: list[str] | None = None) -> int:
    """Standalone CLI: ``python -m niangjia.rules {check,test,diff,screen} …``."""
    parser = argparse.ArgumentParser(prog="python -m niangjia.rules", description="政策找人规则引擎")
    parser.add_argument("--policies", default="policies", help="政策目录（默认 policies）")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="校验政策文件")
    t = sub.add_parser("test", help="运行政策内嵌测试")
    t.add_argument("--cases", help="外部用例文件（YAML：政策编号 → 用例列表）")
    d = sub.add_parser("diff", help="政策修改影响预览")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--input", required=True)
    d.add_argument("--as-of", type=as_of_date, default=dt.date.today())
    s = sub.add_parser("screen", help="批量筛查")
    s.add_argument("--input", required=True)
    s.add_argument("--output", required=True)
    s.add_argument("--as-of", type=as_of_date, default=dt.date.today())
    s.add_argument(
        "--reasons", choices=["all", "kept"], default="all", help="kept：不符合的行只给出未通过的规则编号（更快）"
    )
    s.add_argument("--chunk", type=int, help="按家庭编号分段筛查，每段的户数；--output 为目录，每段一个 parquet")
    args = parser.parse_args(argv)
    out = sys.stdout
    if args.command == "check":
        errors = check(args.policies)
        out.write("\n".join(errors) + "\n" if errors else "全部政策文件校验通过\n")
        return 1 if errors else 0
    if args.command == "test":
        report = run_tests(args.policies, args.cases)
        out.write("\n".join(report.lines()) + "\n")
        return 0 if report.ok else 1
    try:
        return _run(args, out)
    except ValueError as exc:  # InputError and unreadable files: a message for the user, no traceback
        sys.stderr.write(f"{exc}\n")
        return 2


def _run(args: argparse.Namespace, out: Any) -> int:
    if args.command == "diff":
        tables = read_tables(args.input)
        issues = check_tables(tables)
        if issues:
            raise InputError(issues)
        summary = diff(args.old, args.new, tables, args.as_of)
        for k in ("policy_id", "old_version", "new_version", "gained", "lost", "old_total", "new_total", "money_delta"):
            out.write(f"{k}: {summary[k]}\n")
        return 0
    rows = screen_files(
        args.input, args.output, args.as_of, args.policies, reasons=args.reasons, chunk_households=args.chunk
    )
    out.write(f"已写出 {rows} 行到 {args.output}\n")
    return 0
