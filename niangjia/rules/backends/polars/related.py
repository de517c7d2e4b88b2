"""Entity bases and related-table aggregations of the bulk path (:mod:`.evaluate`).

Which frame a policy's entities come from (households, persons, persons with their household's
columns — joined before or after the cheap rules), and the aggregations over members, events,
payments and documents joined back onto the surviving entities. Also the small helpers both
modules share: expressions cached on the plan, staged ``with_columns``, and ``cache()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import polars as pl

from niangjia.rules.language.expression import AggRequest
from niangjia.rules.policy.parameters import column_name
from niangjia.rules.policy.plan import Plan
from niangjia.rules.results import H, P
from niangjia.rules.tables.schema import TABLES

# The bulk evaluation is written once for both kinds of frame: lazy for the registry, eager for
# a few households. The Polars expressions depend only on the compiled plan, so they are built
# once per plan and kept in ``plan.cache``.
F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def cached(plan: Plan, key: Any, build: Callable[[], Any]) -> Any:
    """``build()`` once per plan and key."""
    if key not in plan.cache:
        plan.cache[key] = build()
    return plan.cache[key]


def staged(frame: F, stages: list[list[pl.Expr]]) -> F:
    """``with_columns`` stage after stage (a stage may read the columns of the previous ones)."""
    for stage in stages:
        if stage:
            frame = frame.with_columns(stage)
    return frame


def shared(frame: F) -> F:
    """Compute a lazy frame read by several branches once (the optimiser does not always see it)."""
    return frame.cache() if isinstance(frame, pl.LazyFrame) else frame


_HOUSEHOLD_COLUMNS = set(TABLES["households"]) - {"household_id"}


def _reads_household(names: Sequence[str]) -> bool:
    return any(n in _HOUSEHOLD_COLUMNS or n.startswith("__p_") for n in names)


def _members_read_household(plan: Plan) -> bool:
    """Whether member formulas read household columns or parameters (else the join is skipped)."""
    exprs = [t.expr for _, t in plan.member_lets] + [a.agg for a in plan.scope.aggs if a.relation == "members"]
    return _reads_household([n for e in exprs for n in e.meta.root_names()])


def entity_base(plan: Plan, frames: dict[str, F]) -> tuple[F, bool]:
    """Households, or persons — with their household's columns only when the policy reads them.

    The second value says the household's columns are still to be joined, to the survivors of
    the cheap rules only: a person policy whose cheap rules read no household column or parameter
    (the amount's cap, say, is read after the gate) joins a few thousand rows, not every person.
    """
    if plan.policy.entity == "household":
        return frames["hh"], False
    reads = any(f.startswith("households.") for f in plan.fields) or bool(plan.policy.parameters)
    if not reads:
        return frames["persons"], False
    if cached(plan, "cheap_reads_household", lambda: _cheap_reads_household(plan)):
        return frames["person_base"], False
    return frames["persons"], True


def household_columns(plan: Plan, frames: dict[str, F], persons: F) -> F:
    """``persons`` with their household's columns and parameters (joined after the cheap rules).

    A policy that reads only parameters, each with one value in the whole registry, gets them
    as constants: no join at all.
    """
    reads = any(f.startswith("households.") for f in plan.fields)
    needs = cached(plan, "parameter_columns", lambda: _parameter_columns(plan))
    constants = frames["constants"]
    if not reads and set(needs) <= set(constants.collect_schema().names()):
        return persons.join(constants.select(needs), how="cross") if needs else persons
    return persons.join(frames["hh"].drop("household_id"), on=H, how="left")


def _parameter_columns(plan: Plan) -> list[str]:
    return [column_name(p.name, key) for p in plan.policy.parameters.values() for key in p.keys or (None,)]


def _cheap_reads_household(plan: Plan) -> bool:
    exprs = [t.expr for _, t in plan.member_lets]
    exprs += [t.expr for _, t in plan.lets if not t.heavy] + [r.ok.expr for r in plan.rules if not r.heavy]
    exprs += [plan.applies.expr] if plan.applies is not None else []
    return _reads_household([n for e in exprs for n in e.meta.root_names()])


def _relation_source(plan: Plan, frames: dict[str, F], relation: str, survivors: F) -> tuple[F, str]:
    """The related rows to aggregate, and the key they group by.

    Members are grouped whole (sorted by household, that is cheaper than cutting them first)
    unless their formulas read household columns, which only the survivors' households bring;
    events and payments are small next to the entities, so they are grouped whole and the left
    join onto the survivors keeps what is needed; documents are matched to the survivors.
    """
    if relation == "members":
        src = frames["persons"]  # all of them: sorted by household, grouped whole
        if cached(plan, "members_read_household", lambda: _members_read_household(plan)):
            if plan.policy.entity == "household":
                # The survivors are households: one join both cuts the members and brings their columns.
                cols = [c for c in frames["hh"].collect_schema().names() if c != "household_id"]
                src = src.join(survivors.select(cols), on=H, how="inner")
            else:
                mine = src.join(survivors.select(H), on=H, how="semi")
                src = mine.join(frames["hh"].drop("household_id"), on=H, how="left")
        stages = cached(plan, "member_lets", lambda: [[t.expr.alias(n)] for n, t in plan.member_lets])
        return staged(src, stages), H
    person = plan.policy.entity == "person"
    if relation == "documents":
        return _documents(frames["documents"], survivors, person), P if person else H
    return frames[relation], P if person else H


def _documents(documents: F, entities: F, person: bool) -> F:
    """The documents on file for ``entities``, keyed by their household (``__h``) or person (``__p``).

    A document names its household, or its person (whose household prepare filled in). It is
    matched by household id as written: it is read for the few entities asking, never keyed for
    the whole registry. A document filed for the whole household (no person) is on file for each
    of its members.
    """
    if not person:
        return documents.join(entities.select("household_id", H), on="household_id")
    own = documents.filter(pl.col(P).is_not_null()).join(entities.select(P), on=P, how="semi")
    listed = entities.filter(pl.col(H).is_not_null()).select("household_id", P)  # in a listed household
    shared = documents.filter(pl.col("person_id").is_null()).drop(P).join(listed, on="household_id")
    return pl.concat([own, shared], how="diagonal")


def _agg_groups(plan: Plan, documents: bool) -> list[tuple[str, bool, str, list[pl.Expr], list[pl.Expr]]]:
    """Per (relation, heads only): the aggregations and the fills for entities without rows.

    ``documents=False``: the aggregations statuses depend on; ``True``: those only the
    missing-documents list reads (joined for the eligible / possibly rows only).
    """
    groups: dict[tuple[str, bool], list[AggRequest]] = {}
    requested = plan.scope.aggs
    for a in requested[plan.decision_aggs :] if documents else requested[: plan.decision_aggs]:
        groups.setdefault((a.relation, a.heads_only), []).append(a)
    out = []
    for (relation, heads_only), requests in groups.items():
        n = f"__n_{relation}_{int(heads_only)}"
        aggs = [pl.len().alias(n), *(a.agg.alias(a.alias) for a in requests)]
        # No related rows at all is a known fact (closed world), not an unknown.
        fills = [
            pl.when(pl.col(n).is_null()).then(pl.lit(a.empty, a.dtype)).otherwise(pl.col(a.alias)).alias(a.alias)
            for a in requests
        ]
        out.append((relation, heads_only, n, aggs, fills))
    return out


def aggregate(plan: Plan, frames: dict[str, F], survivors: F, documents: bool = False) -> F:
    """``survivors`` with the plan's aggregations over related rows joined on (empty → closed-world value)."""
    groups = cached(plan, ("aggs", documents), lambda: _agg_groups(plan, documents))
    entities = survivors
    sources: dict[str, tuple[F, str]] = {}
    for relation, heads_only, n, aggs, fills in groups:
        if relation not in sources:
            # Built once per relation from the entities themselves (not from the frame growing
            # with each join), so all heads / members groups share one source.
            src, key = _relation_source(plan, frames, relation, entities)
            reused = sum(1 for g in groups if g[0] == relation) > 1
            sources[relation] = (shared(src) if reused else src, key)
        src, key = sources[relation]
        if heads_only:
            src = src.filter(pl.col("relation") == "head")
        grouped = src.group_by(key).agg(aggs)
        survivors = survivors.join(grouped, on=key, how="left").with_columns(fills).drop(n)
    return survivors
