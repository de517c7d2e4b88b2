"""Evaluate compiled policies over the input tables — one code path for a city and a household.

For each policy: cheap rules run on every entity; entities they definitively rule out are
reported at once, and only the survivors reach the expensive part — related-table aggregations
(members, events, payments, documents), levels, amounts and explanations; the document
aggregations are joined only for the rows that are not ruled out. A handful of households
(``screen_household``, the Django household page) is evaluated by :mod:`niangjia.rules.scalar`
instead — from frames, or from plain records with :func:`screen_records`, which never builds a
frame: the same compiled formulas in their scalar form (built by the same compiler call as the
Polars expressions), on plain rows, without query planning; the tests require identical rows.

Speed: the tables are normalised once per call and keyed by dense integer ids (``__h`` per
household, ``__p`` per person), so every join and group-by after that is on integers; related
tables are aggregated with Polars' fast paths; every policy's plan goes into one
``collect_all``. With ``reasons="kept"`` a not-eligible row carries only the ids of the rules
that ruled it out (``reasons = "two_homes,private_car"``) and no hint: the Chinese sentences
are built for eligible and possibly rows only, which is what the work lists store. The
sentences of any row can be had with ``reasons="all"`` or :func:`screen_household`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from niangjia.rules import scalar
from niangjia.rules.evaluate import evaluate
from niangjia.rules.model import Policy
from niangjia.rules.params import param_frame
from niangjia.rules.plan import Plan, compile_policy
from niangjia.rules.results import (
    RESULT_SCHEMA,
    SMALL,
    Backend,
    H,
    P,
    Reasons,
    Tables,
    result_schema,
)
from niangjia.rules.rows import record_rows
from niangjia.rules.schema import TABLES, normalize_table, require_known_tables


def _is_small(tables: Tables) -> bool:
    hh = tables.get("households")
    return isinstance(hh, pl.DataFrame) and hh.height <= SMALL


def _collect(frames: Sequence[pl.LazyFrame], small: bool) -> list[pl.DataFrame]:
    # collect_all runs plans in parallel: worth it for a registry, pure overhead for one household.
    return [f.collect() for f in frames] if small else pl.collect_all(frames)


# Columns the engine itself needs whatever the policies read: ids, parameters, heads of household.
_KEYS = {"household_id", "person_id", "region_code", "relation", "archive_level"}


def _link(frame: pl.DataFrame, link: pl.LazyFrame, ids: pl.LazyFrame | None) -> pl.LazyFrame:
    """Give related rows their person (``__p``) and household (``__h``) keys, and the household
    id of their person where they name none.

    A column that is empty in the whole table (events recorded against persons only, documents
    against households only) is not joined on: half the joins of a typical extract. Without
    ``ids`` the rows get no household key (documents: matched by household id where read).
    """
    lf = frame.lazy()
    by_person = frame["person_id"].null_count() < frame.height
    by_household = ids is not None and frame["household_id"].null_count() < frame.height
    if by_person:
        lf = lf.join(link, on="person_id", how="left")
    else:
        lf = lf.with_columns(pl.lit(None, pl.UInt32).alias(P), pl.lit(None, pl.UInt32).alias("__ph"))
        lf = lf.with_columns(pl.lit(None, pl.String).alias("__phs"))
    if ids is None:
        return lf.with_columns(pl.coalesce("household_id", "__phs").alias("household_id")).drop("__ph", "__phs")
    if by_household:
        lf = lf.join(ids, on="household_id", how="left")
    else:
        lf = lf.with_columns(pl.lit(None, pl.UInt32).alias("__oh"))
    lf = lf.with_columns(
        pl.when(pl.col("household_id").is_null()).then(pl.col("__ph")).otherwise(pl.col("__oh")).alias(H),
        pl.coalesce("household_id", "__phs").alias("household_id"),
    ).drop("__oh", "__ph", "__phs")
    return lf


def prepare(tables: Tables, plans: Sequence[Plan], as_of: dt.date) -> dict[str, pl.LazyFrame]:
    """Normalise the tables once, key them by integers and attach every parameter per region.

    Events, payments and documents recorded against a person get that person's household, so
    household policies see them; events get ``settled`` (a payment references them).
    """
    require_known_tables(tables)
    small = _is_small(tables)
    frames = {name: normalize_table(name, tables.get(name)) for name in TABLES}
    for name in ("households", "persons"):  # the big tables: read only the columns some plan reads
        read = {f.split(".", 1)[1] for plan in plans for f in plan.fields if f.startswith(f"{name}.")}
        frames[name] = frames[name].select([c for c in TABLES[name] if c in read or c in _KEYS])
    hh = frames["households"].with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(H))
    related = {name: frames[name] for name in ("events", "payments", "documents")}
    # Only the people the related rows name: one probe of the persons table instead of three.
    named = pl.concat([f.select("person_id") for f in related.values()]).drop_nulls().unique()
    hh_done, persons_done, named_done, *raw = _collect([hh, frames["persons"], named, *related.values()], small)
    persons_done = _by_household(persons_done, hh_done)
    link = (
        persons_done.lazy()
        .select("person_id", P, pl.col(H).alias("__ph"), pl.col("household_id").alias("__phs"))
        .join(named_done.lazy(), on="person_id", how="semi")
    )
    ids = hh_done.lazy().select("household_id", pl.col(H).alias("__oh"))
    loaded = dict(zip(related, raw, strict=True))
    # Documents are read for the eligible and possibly rows only, a few thousand: they are matched
    # to them by household id there (related._documents), not keyed here for the whole registry.
    linked = {name: _link(frame, link, None if name == "documents" else ids) for name, frame in loaded.items()}
    settled = (
        loaded["payments"].lazy().select("event_id").drop_nulls().unique().with_columns(pl.lit(True).alias("settled"))
    )
    linked["events"] = (
        linked["events"].join(settled, on="event_id", how="left").with_columns(pl.col("settled").fill_null(False))
    )
    done = _collect(list(linked.values()), small)
    params = {p.name: p for plan in plans for p in plan.policy.parameters.values()}
    regions = hh_done["region_code"].unique().to_list()
    pf = param_frame(params.values(), regions, as_of)
    constants = _constants(pf, hh_done)
    varying = [c for c in pf.columns if c not in constants.columns]
    if len(varying) > 1:
        hh_done = hh_done.join(pf.select(varying), on="region_code", how="left", maintain_order="left")
    hh_lazy = hh_done.lazy().with_columns(
        pl.lit(constants[c][0], constants[c].dtype).alias(c) for c in constants.columns
    )
    out = {"hh": hh_lazy, "persons": persons_done.lazy(), "constants": constants.lazy()}
    out |= {name: d.lazy() for name, d in zip(related, done, strict=True)}
    # A person row sees its household's columns; joined lazily, so only the columns read are built.
    out["person_base"] = out["persons"].join(out["hh"].drop("household_id"), on=H, how="left")
    return out


def _constants(pf: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """The parameters with one value for every household (city-wide ones, typically): one row.

    Such a parameter is a literal, not a column to join; a household without a region has no
    parameters (unknown), so then none is constant.
    """
    if households["region_code"].null_count() or not pf.height:
        return pl.DataFrame()
    same = [c for c in pf.columns[1:] if pf[c].null_count() == 0 and pf[c].n_unique() == 1]
    return pf.select(same).head(1)


def _by_household(persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """Members with their household's key ``__h``, grouped by household and flagged sorted, and
    their own keys ``__p`` in that order.

    Every per-household aggregation over members then groups sorted keys instead of hashing a
    million people. Registers list a household's members together and in the households' order:
    then a member's household is simply the number of its run, found without a join. Otherwise
    the households are joined and the members stably sorted (input order kept within one).
    """
    ids = persons["household_id"]
    runs = ids.rle().struct.field("value")
    if runs.len() == households.height and runs.equals(households["household_id"]):
        persons = persons.with_columns(ids.rle_id().cast(pl.UInt32).set_sorted().alias(H))
    else:
        keys = households.lazy().select("household_id", H)
        persons = persons.lazy().join(keys, on="household_id", how="left", maintain_order="left").collect()
        if persons[H].is_sorted(nulls_last=False):
            persons = persons.with_columns(persons[H].set_sorted())
        else:
            persons = persons.sort(H, maintain_order=True, nulls_last=False)
    return persons.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias(P))


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
        return scalar.results_frame(scalar.screen_rows(plans, tables, reasons), schema)
    frames = prepare(tables, plans, as_of)
    if not lazy and _is_small(tables):
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
    cursor gives them (see :func:`niangjia.rules.rows.record_rows`), the result dicts have the
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
    hh = scalar.link_rows(rows, plans)
    keys = tuple(RESULT_SCHEMA)
    return [dict(zip(keys, t, strict=True)) for plan in plans for t in scalar.evaluate(plan, hh, reasons)]


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
