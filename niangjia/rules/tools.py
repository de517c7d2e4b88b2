"""What the commands do — check, test, diff, screen — as functions; ``cli`` only parses arguments.

The Django management commands (``niangjia policies``, ``niangjia screen --input``) call these
too. Policy test cases (embedded in the policy files, or a case file of the same shape) run
through :func:`run_policy_tests`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from niangjia.rules.engine import explain_household, screen
from niangjia.rules.policy.errors import PolicyError
from niangjia.rules.policy.loading import PARAMETERS_FILE, load_parameters, load_policy
from niangjia.rules.policy.model import Policy
from niangjia.rules.policy.pack import load_pack, validate_policy
from niangjia.rules.results import ELIGIBLE, Backend, Reasons, Tables
from niangjia.rules.tables.checks import InputError, check_tables
from niangjia.rules.tables.io import RESULTS_COMPRESSION, RESULTS_STATISTICS, read_tables, write_results
from niangjia.rules.tables.schema import TABLES, tables_from_rows

# --- policy test cases ------------------------------------------------------------------------

_CHECKED = (
    "status",
    "level",
    "amount",
    "missing_documents",
    "missing_facts",
    "missing_fact_persons",
    "reasons_contain",
    "reasons_not_contain",
    "arithmetic_contains",
)


@dataclass
class CaseResult:
    """Outcome of one test case."""

    policy_id: str
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _same(key: str, want: Any, got: Any) -> bool:
    if key == "amount":
        return (want is None and got is None) or (
            want is not None and got is not None and Decimal(str(want)) == Decimal(str(got))
        )
    if key in ("missing_documents", "missing_facts", "missing_fact_persons"):
        return sorted(map(str, want or [])) == sorted(map(str, got or []))
    return bool(want == got)


def run_case(policy: Policy, case: dict[str, Any], backend: Backend = "auto") -> CaseResult:
    """Screen the case's tables with ``policy`` and compare each expected row."""
    result = CaseResult(policy.id, str(case.get("name", "?")))
    as_of = case.get("as_of")
    if not isinstance(as_of, dt.date):
        result.failures.append("测试缺少 as_of 日期")
        return result
    rows = {name: case.get(name) or [] for name in TABLES if case.get(name)}
    tables = tables_from_rows(rows)
    frame = screen([policy], tables, as_of, backend=backend)
    assert isinstance(frame, pl.DataFrame)
    key = "household_id" if policy.entity == "household" else "person_id"
    by_id = {r[key]: r for r in frame.to_dicts()}
    for want in case.get("expect") or []:
        got = by_id.get(str(want.get(key)))
        if want.get("absent"):  # not someone the policy could apply to (``applies_to``): no row
            if got is not None:
                result.failures.append(f"{want.get(key)}：不应有结果行，实际为 {got['status']}")
            continue
        if got is None:
            result.failures.append(f"结果中没有 {key}={want.get(key)}")
            continue
        for k in _CHECKED:
            if k not in want:
                continue
            if k == "reasons_contain":
                if str(want[k]) not in (got["reasons"] or ""):
                    result.failures.append(f"{want[key]}：理由中应包含「{want[k]}」，实际为「{got['reasons']}」")
            elif k == "arithmetic_contains":
                text = _arithmetic_text(policy, tables, got, key, as_of)
                if str(want[k]) not in text:
                    result.failures.append(f"{want[key]}：算式说明中应包含「{want[k]}」，实际为「{text}」")
            elif k == "reasons_not_contain":
                if str(want[k]) in (got["reasons"] or ""):
                    result.failures.append(f"{want[key]}：理由中不应包含「{want[k]}」，实际为「{got['reasons']}」")
            elif not _same(k, want[k], got[k]):
                result.failures.append(
                    f"{want[key]}：{k} 应为 {want[k]!r}，实际为 {got[k]!r}（理由：{got['reasons']}）"
                )
    return result


def _arithmetic_text(policy: Policy, tables: Tables, got: dict[str, Any], key: str, as_of: dt.date) -> str:
    """The entity's arithmetic lines as one text (``label value note；…``), for ``arithmetic_contains``."""
    traces = explain_household([policy], tables, str(got["household_id"]), as_of)
    (trace,) = [t for t in traces if t.result[key] == got[key]]
    return "；".join(" ".join(part for part in (x.label, x.value, x.note) if part) for x in trace.lines)


def run_policy_tests(
    policy: Policy, cases: list[dict[str, Any]] | None = None, backend: Backend = "auto"
) -> list[CaseResult]:
    """Run ``cases`` (default: the policy's embedded tests)."""
    return [run_case(policy, c, backend) for c in (policy.tests if cases is None else cases)]


# --- the commands ---------------------------------------------------------------------------


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


def _load_one(path: str | Path) -> Policy:
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


def diff_files(old_file: str | Path, new_file: str | Path, input_path: str | Path, as_of: dt.date) -> dict[str, Any]:
    """:func:`diff` on the tables in ``input_path``, checked first (:class:`InputError`, nothing compared)."""
    tables = read_tables(input_path)
    issues = check_tables(tables)
    if issues:
        raise InputError(issues)
    return diff(old_file, new_file, tables, as_of)


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

    The tables are checked first (:func:`niangjia.rules.tables.checks.check_tables`); with any problem an
    :class:`~niangjia.rules.tables.checks.InputError` naming each row, column and fix is raised and no
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
