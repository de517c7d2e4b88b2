"""Evaluate compiled policies over the input tables — one code path for a city and a household.

For each policy: cheap rules run on every entity; entities they definitively rule out are
reported at once (with the failing rules' reasons), and only the survivors reach the expensive
part — related-table aggregations (members, events, payments, documents), levels, amounts,
documents and full explanations. ``screen_household`` runs this very code on a one-household
frame, so bulk and single results cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from niangjia.rules.expr import Typed, round_fen
from niangjia.rules.model import Policy
from niangjia.rules.params import param_frame
from niangjia.rules.plan import Plan, compile_policy
from niangjia.rules.schema import normalize_tables

ELIGIBLE, NOT_ELIGIBLE, POSSIBLY = "eligible", "not_eligible", "possibly"
STATUS = pl.Enum([ELIGIBLE, NOT_ELIGIBLE, POSSIBLY])
_LIST = pl.List(pl.String)
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "policy_id": pl.String(),
    "policy_version": pl.String(),
    "content_hash": pl.String(),
    "parameters_hash": pl.String(),
    "as_of": pl.Date(),
    "household_id": pl.String(),
    "person_id": pl.String(),
    "status": STATUS,
    "level": pl.String(),
    "level_label": pl.String(),
    "amount": pl.Decimal(18, 2),
    "reasons": pl.String(),
    "hint": pl.String(),
    "missing_facts": _LIST,
    "missing_documents": _LIST,
}
SEP = "；"
Tables = Mapping[str, pl.DataFrame | pl.LazyFrame | None]


def prepare(tables: Tables, plans: Sequence[Plan], as_of: dt.date) -> dict[str, pl.LazyFrame]:
    """Normalise the tables and attach every parameter resolved for each household's region."""
    frames = normalize_tables(tables)
    params = {p.name: p for plan in plans for p in plan.policy.parameters.values()}
    regions = frames["households"].select("region_code").unique().collect()["region_code"].to_list()
    pf = param_frame(params.values(), regions, as_of).lazy()
    hh = frames["households"].join(pf, on="region_code", how="left")
    frames["hh"] = hh
    frames["person_base"] = frames["persons"].join(hh, on="household_id", how="left")
    # Materialise once: every policy reads these, and a lazy plan would redo the casts per policy.
    names = list(frames)
    done = pl.collect_all([frames[n] for n in names])
    return {n: d.lazy() for n, d in zip(names, done, strict=True)}


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
    policies: Sequence[Policy], tables: Tables, as_of: dt.date, *, lazy: bool = False
) -> pl.DataFrame | pl.LazyFrame:
    """Screen every entity in ``tables`` against ``policies`` on ``as_of``; one row per (entity, policy)."""
    plans = plans_for(policies, as_of)
    frames = prepare(tables, plans, as_of)
    parts = [evaluate(plan, frames) for plan in plans]
    if lazy:
        return pl.concat(parts, how="vertical") if parts else pl.LazyFrame(schema=RESULT_SCHEMA)
    done = pl.collect_all(parts)  # policies run in parallel
    return pl.concat(done, how="vertical") if done else pl.DataFrame(schema=RESULT_SCHEMA)


def screen_household(policies: Sequence[Policy], tables: Tables, household_id: str, as_of: dt.date) -> pl.DataFrame:
    """Re-screen one household with exactly the bulk code path, on its rows only."""
    hid = str(household_id)
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
    own: dict[str, pl.DataFrame | pl.LazyFrame | None] = {}
    for name, frame in tables.items():
        if frame is None:
            continue
        lf = frame.lazy()
        cols = lf.collect_schema().names()
        mine = pl.lit(False)
        if "household_id" in cols:
            mine = mine | (pl.col("household_id").cast(pl.String) == hid)
        if "person_id" in cols and name != "persons":
            mine = mine | pl.col("person_id").cast(pl.String).is_in(members)
        own[name] = lf.filter(mine.fill_null(False)).collect()
    result = screen(policies, own, as_of)
    assert isinstance(result, pl.DataFrame)
    return result.sort("policy_id", "person_id", nulls_last=False)


def _ok_list(plan: Plan, heavy: bool | None) -> list[pl.Expr]:
    return [pl.col(f"__ok{i}") for i, r in enumerate(plan.rules) if heavy is None or r.heavy == heavy]


def _with_rules(lf: pl.LazyFrame, plan: Plan, heavy: bool) -> pl.LazyFrame:
    for name, t in plan.lets:
        if t.heavy == heavy:
            lf = lf.with_columns(t.expr.alias(name))
    oks = [r.ok.expr.alias(f"__ok{i}") for i, r in enumerate(plan.rules) if r.heavy == heavy]
    return lf.with_columns(oks) if oks else lf


def _meta(plan: Plan) -> list[pl.Expr]:
    p = plan.policy
    return [
        pl.lit(p.id).alias("policy_id"),
        pl.lit(p.version).alias("policy_version"),
        pl.lit(p.content_hash).alias("content_hash"),
        pl.lit(p.parameters_hash).alias("parameters_hash"),
        pl.lit(plan.as_of, pl.Date).alias("as_of"),
        pl.col("household_id"),
        (pl.col("person_id") if plan.policy.entity == "person" else pl.lit(None, pl.String)).alias("person_id"),
    ]


def _join(texts: Sequence[Any]) -> pl.Expr:
    if not texts:
        return pl.lit(None, pl.String)
    return pl.concat_str(texts, separator=SEP, ignore_nulls=True).replace("", None)


def _listed(items: Sequence[Any]) -> pl.Expr:
    return pl.concat_list(items).list.drop_nulls() if items else pl.lit([], _LIST)


def _gated(lf: pl.LazyFrame, plan: Plan, reason: pl.Expr | None = None) -> pl.LazyFrame:
    """Rows ruled out by a cheap rule: not eligible, with the failing rules' reasons."""
    cheap = [(i, r) for i, r in enumerate(plan.rules) if not r.heavy and reason is None]
    fails = [pl.when(pl.col(f"__ok{i}").not_()).then(r.fail_text.expr) for i, r in cheap if r.fail_text]
    hints = [pl.when(pl.col(f"__ok{i}").not_()).then(pl.lit(r.rule.hint)) for i, r in cheap if r.rule.hint]
    return lf.select(
        *_meta(plan),
        pl.lit(NOT_ELIGIBLE, STATUS).alias("status"),
        pl.lit(None, pl.String).alias("level"),
        pl.lit(None, pl.String).alias("level_label"),
        pl.lit(None, pl.Decimal(18, 2)).alias("amount"),
        (reason if reason is not None else _join(fails)).alias("reasons"),
        _join(hints).alias("hint"),
        pl.lit([], _LIST).alias("missing_facts"),
        pl.lit([], _LIST).alias("missing_documents"),
    )


def _relation_source(
    plan: Plan, frames: dict[str, pl.LazyFrame], relation: str, survivors: pl.LazyFrame
) -> tuple[pl.LazyFrame, str]:
    """The related rows of the survivors only, and the key they group by."""
    person = plan.policy.entity == "person"
    if relation == "members":
        src = frames["person_base"].join(survivors.select("household_id").unique(), on="household_id", how="semi")
        for name, t in plan.member_lets:  # one by one: a member variable may use the previous ones
            src = src.with_columns(t.expr.alias(name))
        return src, "household_id"
    key = "person_id" if person else "household_id"
    src = frames[relation].join(survivors.select(key).unique(), on=key, how="semi")
    if relation == "documents" and person:
        # A document filed for the whole household (no person) is on file for each member.
        shared = (
            frames["documents"]
            .filter(pl.col("person_id").is_null())
            .drop("person_id")
            .join(survivors.select("household_id", "person_id").unique(), on="household_id", how="inner")
        )
        src = pl.concat([src, shared.select(src.collect_schema().names())])
    return src, key


def _aggregate(plan: Plan, frames: dict[str, pl.LazyFrame], survivors: pl.LazyFrame) -> pl.LazyFrame:
    by_relation: dict[str, list[int]] = {}
    for i, a in enumerate(plan.scope.aggs):
        by_relation.setdefault(a.relation, []).append(i)
    for relation, idx in by_relation.items():
        src, key = _relation_source(plan, frames, relation, survivors)
        n = f"__n_{relation}"
        aggs = [plan.scope.aggs[i].agg.alias(plan.scope.aggs[i].alias) for i in idx]
        grouped = src.group_by(key).agg(pl.len().alias(n), *aggs)
        join_key = "household_id" if relation == "members" else key
        survivors = survivors.join(
            grouped.rename({key: join_key}) if key != join_key else grouped, on=join_key, how="left"
        )
        fills = []
        for i in idx:
            a = plan.scope.aggs[i]
            # No related rows at all is a known fact (closed world), not an unknown.
            fills.append(
                pl.when(pl.col(n).is_null()).then(pl.lit(a.empty, a.dtype)).otherwise(pl.col(a.alias)).alias(a.alias)
            )
        survivors = survivors.with_columns(fills).drop(n)
    return survivors


def _level_exprs(plan: Plan) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(level id, label, state) — state true: a level; false: none; null: cannot tell yet."""
    if not plan.levels:
        return pl.lit(None, pl.String), pl.lit(None, pl.String), pl.lit(True)
    level: Any = pl
    for lid, _, t in plan.levels:
        level = level.when(t.expr.is_null()).then(pl.lit("?")).when(t.expr).then(pl.lit(lid))
    lid_expr = level.otherwise(pl.lit(None, pl.String))
    label: Any = pl
    for lid, lab, _ in plan.levels:
        label = label.when(pl.col("level") == lid).then(pl.lit(lab))
    state = pl.when(pl.col("level") == "?").then(None).otherwise(pl.col("level").is_not_null())
    return lid_expr, label.otherwise(pl.lit(None, pl.String)), state


def _amount_exprs(plan: Plan) -> list[pl.Expr]:
    if plan.amount_value is None:
        return [pl.lit(None, pl.Int64).alias(c) for c in ("cap", "paid", "remaining", "amount")]
    value = plan.amount_value.expr
    if plan.amount_cap is None:
        return [pl.lit(None, pl.Int64).alias(c) for c in ("cap", "paid", "remaining")] + [
            round_fen(value).alias("amount")
        ]
    paid = plan.amount_paid.expr if plan.amount_paid is not None else pl.lit(0)
    rem = round_fen(plan.amount_cap.expr) - round_fen(paid)
    amount = pl.when(value.is_null() | rem.is_null()).then(None).otherwise(pl.min_horizontal(round_fen(value), rem))
    return [
        round_fen(plan.amount_cap.expr).alias("cap"),
        round_fen(paid).alias("paid"),
        rem.alias("remaining"),
        amount.alias("amount"),
    ]


def _text(t: Typed | None) -> pl.Expr:
    return t.expr if t is not None else pl.lit(None, pl.String)


def _decide(plan: Plan, lf: pl.LazyFrame) -> pl.LazyFrame:
    lid, label, level_state = _level_exprs(plan)
    lf = lf.with_columns(lid.alias("level")).with_columns(label.alias("level_label"), level_state.alias("__lvl"))
    lf = lf.with_columns(_amount_exprs(plan))
    amount_state = pl.col("amount") > 0 if plan.amount_value is not None else pl.lit(True)
    ok_all = (
        pl.all_horizontal([*_ok_list(plan, None), pl.col("__lvl"), amount_state])
        if plan.rules
        else pl.all_horizontal([pl.col("__lvl"), amount_state])
    )
    status = pl.when(ok_all).then(pl.lit(ELIGIBLE)).when(~ok_all).then(pl.lit(NOT_ELIGIBLE)).otherwise(pl.lit(POSSIBLY))
    return lf.with_columns(status.cast(STATUS).alias("status"), amount_state.alias("__amt"))


def _explain(plan: Plan, lf: pl.LazyFrame) -> pl.LazyFrame:
    st = pl.col("status")
    yes, no, unk = st == ELIGIBLE, st == NOT_ELIGIBLE, st == POSSIBLY
    reasons, hints, facts = [], [], []
    for i, r in enumerate(plan.rules):
        ok = pl.col(f"__ok{i}")
        reasons.append(
            pl.when(yes & ok)
            .then(_text(r.pass_text))
            .when(no & ok.not_())
            .then(_text(r.fail_text))
            .when(unk & ok.is_null())
            .then(_text(r.unknown_text))
        )
        if r.rule.hint:
            hints.append(pl.when(~yes & ok.not_().fill_null(True)).then(pl.lit(r.rule.hint)))
        facts.append(pl.when(unk & ok.is_null()).then(pl.lit(r.rule.missing or r.rule.id)))
    lvl, amt = pl.col("__lvl"), pl.col("__amt")
    if plan.levels:
        level_text: Any = pl
        for lid, text in plan.level_texts:
            level_text = level_text.when(pl.col("level") == lid).then(text.expr)
        default = pl.concat_str([pl.lit("认定级别："), pl.col("level_label")])
        level_text = level_text.otherwise(default) if plan.level_texts else default
        reasons.append(
            pl.when(yes & lvl)
            .then(level_text)
            .when(no & lvl.not_())
            .then(_text(plan.no_level_text))
            .when(unk & lvl.is_null())
            .then(pl.lit("关键事实不全，暂无法确定级别"))
        )
        if plan.policy.no_level_hint:
            hints.append(pl.when(~yes & lvl.not_().fill_null(True)).then(pl.lit(plan.policy.no_level_hint)))
        facts.append(pl.when(unk & lvl.is_null()).then(pl.lit("确定级别所需的收入、支出等事实")))
    if plan.amount_value is not None:
        reasons.append(
            pl.when(yes & amt).then(_text(plan.amount_text)).when(no & amt.not_()).then(_text(plan.zero_text))
        )
        # Name the amount's facts only when nothing else is unknown, or the list would repeat itself.
        rules_known = pl.all_horizontal(_ok_list(plan, None)).fill_null(False) if plan.rules else pl.lit(True)
        facts.append(
            pl.when(unk & amt.is_null() & lvl.fill_null(False) & rules_known).then(pl.lit("计算金额所需的事实"))
        )
    docs = [
        pl.when(~no & needed.expr.fill_null(True) & ~on_file.expr).then(pl.lit(kind))
        for kind, needed, on_file in plan.documents
    ]
    amount = pl.when(~no).then(pl.col("amount")).cast(pl.Decimal(18, 2)) / 100
    lvl_out = [pl.when(~no & lvl.fill_null(False)).then(pl.col(c)).alias(c) for c in ("level", "level_label")]
    return lf.select(
        *_meta(plan),
        st,
        *lvl_out,
        amount.alias("amount"),
        _join(reasons).alias("reasons"),
        _join(hints).alias("hint"),
        _listed(facts).alias("missing_facts"),
        _listed(docs).alias("missing_documents"),
    )


def evaluate(plan: Plan, frames: dict[str, pl.LazyFrame]) -> pl.LazyFrame:
    """Evaluate one compiled policy; returns rows in :data:`RESULT_SCHEMA`."""
    base = frames["hh"] if plan.policy.entity == "household" else frames["person_base"]
    if plan.policy.entity == "person":
        for name, t in plan.member_lets:
            base = base.with_columns(t.expr.alias(name))
    if not plan.policy.in_force(plan.as_of):
        reason = pl.lit(f"政策「{plan.policy.name}」在 {plan.as_of} 不在有效期内")
        return _gated(base, plan, reason).cast(RESULT_SCHEMA)  # type: ignore[arg-type]
    lf = _with_rules(base, plan, heavy=False)
    cheap = _ok_list(plan, heavy=False)
    ruled_out = pl.any_horizontal([c.not_().fill_null(False) for c in cheap]) if cheap else pl.lit(False)
    lf = lf.with_columns(ruled_out.alias("__out"))
    gated = _gated(lf.filter(pl.col("__out")), plan)
    survivors = _aggregate(plan, frames, lf.filter(~pl.col("__out")))
    survivors = _with_rules(survivors, plan, heavy=True)
    survivors = _explain(plan, _decide(plan, survivors))
    return pl.concat([gated.cast(RESULT_SCHEMA), survivors.cast(RESULT_SCHEMA)], how="vertical")  # type: ignore[arg-type]
