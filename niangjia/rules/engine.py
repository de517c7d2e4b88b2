"""Screen: choose a backend, run every compiled policy, return one row per (entity, policy).

For each policy: cheap rules run on every entity; entities they definitively rule out are
reported at once, and only the survivors reach the expensive part — related-table aggregations
(members, events, payments, documents), levels, amounts and explanations; the document
aggregations are joined only for the rows that are not ruled out. The registry goes through the
Polars backend (:mod:`niangjia.rules.backends.polars`: lazy plans, all policies in one
``collect_all``). A handful of households (``screen_household``, the Django household page) goes
through the Python backend (:mod:`niangjia.rules.backends.python`) — from frames, or from plain
records with :func:`screen_records`, which never builds a frame: the same compiled formulas in
their scalar form (built by the same compiler call as the Polars expressions), on plain rows,
without query planning; the tests require identical rows.

With ``reasons="kept"`` a not-eligible row carries only the ids of the rules that ruled it out
(``reasons = "two_homes,private_car"``) and no hint: the Chinese sentences are built for eligible
and possibly rows only, which is what the work lists store. The sentences of any row can be had
with ``reasons="all"`` or :func:`screen_household`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from niangjia.rules.backends.polars.evaluate import evaluate
from niangjia.rules.backends.polars.prepare import prepare
from niangjia.rules.backends.python.evaluate import evaluate as evaluate_rows
from niangjia.rules.backends.python.evaluate import results_frame, screen_rows
from niangjia.rules.backends.python.household import household_rows, link_rows
from niangjia.rules.backends.python.trace import explain
from niangjia.rules.policy.model import Policy
from niangjia.rules.policy.plan import Plan, compile_policy
from niangjia.rules.results import RESULT_SCHEMA, Backend, Reasons, Tables, Trace, result_schema
from niangjia.rules.tables.rows import record_rows
from niangjia.rules.tables.schema import TABLES, require_known_tables

SMALL = 64  # households held in memory up to this: the Python backend (or eager Polars if forced)


def _is_small(tables: Tables) -> bool:
    hh = tables.get("households")
    return isinstance(hh, pl.DataFrame) and hh.height <= SMALL


_PLANS: dict[tuple[str, str, str, dt.date], Plan] = {}


def plans_for(policies: Sequence[Policy], as_of: dt.date) -> list[Plan]:
    """Compiled plans, cached by file content and date (re-screening must not recompile)."""
    out = []
    for p in policies:
        key = (p.path, p.content_hash, p.parameters_hash, as_of)
        if key not in _PLANS:
            if len(_PLANS) > 512:
                _PLANS.clear()
            _PLANS[key] = compile_policy(p, as_of)
        out.append(_PLANS[key])
    return out


def screen(
    policies: Sequence[Policy],
    tables: Tables,
    as_of: dt.date,
    *,
    lazy: bool = False,
    reasons: Reasons = "all",
    backend: Backend = "auto",
) -> pl.DataFrame | pl.LazyFrame:
    """Screen every entity in ``tables`` against ``policies`` on ``as_of``; one row per (entity, policy).

    ``reasons="all"`` (default) explains every row in Chinese; ``reasons="kept"`` explains the
    eligible and possibly rows and gives not-eligible rows the ids of the rules that failed.
    Statuses, levels, amounts and missing facts/documents are the same in both modes.

    ``backend="auto"`` evaluates up to :data:`SMALL` households held in memory with the scalar
    backend (plain Python rows, no query planning: a household in well under a millisecond) and
    anything larger with Polars; ``"polars"`` / ``"python"`` force one (the tests compare them).
    """
    if reasons not in ("all", "kept"):
        raise ValueError(f"reasons 只能是 'all' 或 'kept'，不是 {reasons!r}")
    if backend not in ("auto", "polars", "python"):
        raise ValueError(f"backend 只能是 'auto'、'polars' 或 'python'，不是 {backend!r}")
    plans = plans_for(policies, as_of)
    schema = result_schema(policies)
    if not plans:
        return pl.LazyFrame(schema=schema) if lazy else pl.DataFrame(schema=schema)
    if not lazy and (backend == "python" or (backend == "auto" and _is_small(tables))):
        return results_frame(screen_rows(plans, tables, reasons), schema)
    small = _is_small(tables)
    frames = prepare(tables, plans, as_of, small=small)
    if not lazy and small:
        # A household or a handful: Polars' per-query overhead dominates, so run the very same
        # evaluation on eager frames, policy by policy (no planning, no thread hand-offs).
        eager = {name: frame.collect() for name, frame in frames.items()}
        return pl.concat([evaluate(plan, eager, reasons, schema) for plan in plans], how="vertical")
    parts = [evaluate(plan, frames, reasons, schema) for plan in plans]
    if lazy:
        return pl.concat(parts, how="vertical")
    done = pl.collect_all(parts)  # policies run in parallel, one optimisation pass
    return pl.concat(done, how="vertical", rechunk=False)


def screen_records(
    policies: Sequence[Policy],
    records: Mapping[str, Iterable[Mapping[str, Any]]],
    as_of: dt.date,
    *,
    reasons: Reasons = "all",
) -> list[dict[str, Any]]:
    """Screen a few households given as plain records; one dict per (entity, policy), no frames.

    The frame-free entry for re-screening: ``records`` maps table names to rows as a database
    cursor gives them (see :func:`niangjia.rules.tables.rows.record_rows`), the result dicts have the
    keys of :data:`RESULT_SCHEMA` (``amount`` a ``Decimal`` in yuan, ``status`` a string). Same
    compiled formulas and rows as :func:`screen` with the scalar backend; the tests compare them.
    """
    if reasons not in ("all", "kept"):
        raise ValueError(f"reasons 只能是 'all' 或 'kept'，不是 {reasons!r}")
    require_known_tables(records)
    plans = plans_for(policies, as_of)
    if not plans:
        return []
    rows = {name: record_rows(name, records.get(name, ())) for name in TABLES}
    hh = link_rows(rows, plans)
    keys = tuple(RESULT_SCHEMA)
    return [dict(zip(keys, t, strict=True)) for plan in plans for t in evaluate_rows(plan, hh, reasons)]


def _household_rows(tables: Tables, hid: str) -> dict[str, pl.DataFrame | pl.LazyFrame | None]:
    """The rows of ``tables`` that belong to household ``hid`` (directly or through a member)."""
    persons = tables.get("persons")
    members: list[str] = []
    if persons is not None:
        members = (
            persons.lazy()
            .filter(pl.col("household_id").cast(pl.String) == hid)
            .select(pl.col("person_id").cast(pl.String))
            .collect()["person_id"]
            .to_list()
        )
    own: dict[str, pl.LazyFrame] = {}
    for name, frame in tables.items():
        if frame is None:
            continue
        lf = frame.lazy()
        cols = lf.collect_schema().names()
        mine = pl.lit(False)
        if "household_id" in cols:
            mine = mine | (pl.col("household_id").cast(pl.String) == hid)
        if "person_id" in cols and name != "persons" and members:
            mine = mine | pl.col("person_id").cast(pl.String).is_in(members)
        own[name] = lf.filter(mine.fill_null(False))
    return dict(zip(own, pl.collect_all(list(own.values())), strict=True))  # filtered in parallel


def screen_household(
    policies: Sequence[Policy], tables: Tables, household_id: str, as_of: dt.date, *, backend: Backend = "auto"
) -> pl.DataFrame:
    """Re-screen one household on its rows only, with full reasons (scalar backend by default)."""
    result = screen(policies, _household_rows(tables, str(household_id)), as_of, backend=backend)
    assert isinstance(result, pl.DataFrame)
    return result.sort("policy_id", "person_id", nulls_last=False)


def explain_household(policies: Sequence[Policy], tables: Tables, household_id: str, as_of: dt.date) -> list[Trace]:
    """Re-screen one household and show the working: one :class:`Trace` per (entity, policy).

    The scalar backend's own evaluation — the same steps and rows as :func:`screen_household`
    with ``backend="python"`` (``trace.result`` is that row, as :func:`screen_records` gives it) —
    handing back the ``let`` and ``member_let`` values it computed and the policy's
    ``arithmetic:`` lines rendered on them. Sorted like :func:`screen_household`.
    """
    plans = plans_for(policies, as_of)
    if not plans:
        return []
    hh = household_rows(_household_rows(tables, str(household_id)), plans)
    traces = [t for plan in plans for t in explain(plan, hh)]
    return sorted(traces, key=lambda t: (t.policy_id, t.person_id is not None, t.person_id or ""))
