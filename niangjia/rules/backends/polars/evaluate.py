"""One compiled policy evaluated over normalised frames: the bulk (Polars) path of the engine.

Cheap rules first, the gate, aggregations over related tables for the survivors only, levels,
amounts, status, reasons or codes, documents. :mod:`.related` supplies the entities' frame and
the aggregations; :mod:`.prepare` prepares the frames; :mod:`niangjia.rules.engine` runs every
policy's plan; :mod:`niangjia.rules.backends.python` walks the same steps on plain rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from niangjia.rules.backends.polars.related import F, aggregate, cached, entity_base, household_columns, shared, staged
from niangjia.rules.language.typed import Typed, round_fen
from niangjia.rules.policy.plan import Plan
from niangjia.rules.results import (
    _LIST,
    CODE_SEP,
    ELIGIBLE,
    NOT_ELIGIBLE,
    POSSIBLY,
    SEP,
    STATUS,
    Reasons,
    identity,
    result_schema,
)


def _ok_list(plan: Plan, heavy: bool | None) -> list[pl.Expr]:
    return [pl.col(f"__ok{i}") for i, r in enumerate(plan.rules) if heavy is None or r.heavy == heavy]


def _rule_stages(plan: Plan, heavy: bool) -> list[list[pl.Expr]]:
    """``with_columns`` stages: each variable in turn (they may use the previous ones), then the rules."""
    stages = [[t.expr.alias(name)] for name, t in plan.lets if t.heavy == heavy]
    oks = [r.ok.expr.alias(f"__ok{i}") for i, r in enumerate(plan.rules) if r.heavy == heavy]
    if not heavy:
        cheap = _ok_list(plan, heavy=False)
        ruled_out = pl.any_horizontal([c.not_().fill_null(False) for c in cheap]) if cheap else pl.lit(False)
        return [[t.expr.alias(n)] for n, t in plan.member_lets if plan.policy.entity == "person"] + [
            *stages,
            oks,
            [ruled_out.alias("__out")],
        ]
    return stages + ([oks] if oks else [])


def _meta(plan: Plan) -> list[pl.Expr]:
    """The row's as-of date and entity; the policy's own columns are added by :func:`_identity`."""
    return [
        pl.lit(plan.as_of, pl.Date).alias("as_of"),
        pl.col("household_id"),
        (pl.col("person_id") if plan.policy.entity == "person" else pl.lit(None, pl.String)).alias("person_id"),
    ]


def _identity(plan: Plan, schema: Mapping[str, pl.DataType]) -> list[pl.Expr]:
    """Policy id, version and hashes, typed as in ``schema`` (the pack's Enums)."""
    return [pl.lit(v, schema[c]).alias(c) for c, v in identity(plan.policy).items()]


def _join(texts: Sequence[Any]) -> pl.Expr:
    if not texts:
        return pl.lit(None, pl.String)
    return pl.concat_str(texts, separator=SEP, ignore_nulls=True).replace("", None)


def _listed(items: Sequence[Any]) -> pl.Expr:
    return pl.concat_list(items).list.drop_nulls() if items else pl.lit([], _LIST)


def _codes(failed: Sequence[tuple[pl.Expr, str]]) -> pl.Expr:
    """The ids of the failed checks, comma-separated: the compact reason of a not-eligible row."""
    if not failed:
        return pl.lit(None, pl.String)
    if len(failed) == 1:
        return pl.when(failed[0][0]).then(pl.lit(failed[0][1]))
    if len(failed) > 10:
        parts = [pl.when(bad).then(pl.lit(code)) for bad, code in failed]
        return pl.concat_str(parts, separator=CODE_SEP, ignore_nulls=True).replace("", None)
    # A bit per check, then one lookup: three times faster than joining strings row by row.
    mask = pl.sum_horizontal([bad.fill_null(False).cast(pl.UInt16) * (1 << i) for i, (bad, _) in enumerate(failed)])
    table = {
        m: CODE_SEP.join(code for i, (_, code) in enumerate(failed) if m >> i & 1) or None
        for m in range(1 << len(failed))
    }
    return mask.replace_strict(list(table), list(table.values()), return_dtype=pl.String)


def _not_eligible(plan: Plan, reasons: pl.Expr, hint: pl.Expr) -> list[pl.Expr]:
    return [
        *_meta(plan),
        pl.lit(NOT_ELIGIBLE, STATUS).alias("status"),
        pl.lit(None, pl.String).alias("level"),
        pl.lit(None, pl.String).alias("level_label"),
        pl.lit(None, pl.Decimal(18, 2)).alias("amount"),
        reasons.alias("reasons"),
        hint.alias("hint"),
        pl.lit([], _LIST).alias("missing_facts"),
        pl.lit([], _LIST).alias("missing_documents"),
        pl.lit([], _LIST).alias("missing_fact_persons"),
    ]


def _gated(plan: Plan, reasons: Reasons) -> list[pl.Expr]:
    """Rows ruled out by a cheap rule: not eligible, with the failing rules' reasons (or ids)."""
    cheap = [(pl.col(f"__ok{i}").not_(), r) for i, r in enumerate(plan.rules) if not r.heavy]
    if reasons == "kept":
        return _not_eligible(plan, _codes([(bad, r.rule.id) for bad, r in cheap]), pl.lit(None, pl.String))
    fails = [pl.when(bad).then(r.fail_text.expr) for bad, r in cheap if r.fail_text]
    hints = [pl.when(bad).then(pl.lit(r.rule.hint)) for bad, r in cheap if r.rule.hint]
    return _not_eligible(plan, _join(fails), _join(hints))


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


def _decide(plan: Plan) -> list[list[pl.Expr]]:
    lid, label, level_state = _level_exprs(plan)
    amount_state = pl.col("amount") > 0 if plan.amount_value is not None else pl.lit(True)
    rules_ok = pl.all_horizontal(_ok_list(plan, None)) if plan.rules else pl.lit(True)
    ok_all = pl.all_horizontal([rules_ok, pl.col("__lvl"), amount_state])
    yes, no, unknown = (pl.lit(s, STATUS) for s in (ELIGIBLE, NOT_ELIGIBLE, POSSIBLY))  # no text → Enum cast
    status = pl.when(ok_all).then(yes).when(~ok_all).then(no).otherwise(unknown)
    return [
        [lid.alias("level")],
        [label.alias("level_label"), level_state.alias("__lvl")],
        _amount_exprs(plan),
        [status.alias("status"), amount_state.alias("__amt"), rules_ok.alias("__rules")],
    ]


def _ruled_out_codes(plan: Plan) -> pl.Expr:
    """Compact reason of a survivor found not eligible: failed rule ids, then level / amount."""
    failed = [(pl.col(f"__ok{i}").not_().fill_null(False), r.rule.id) for i, r in enumerate(plan.rules)]
    rules_hold = pl.col("__rules").fill_null(False)
    if plan.levels:
        failed.append((rules_hold & pl.col("__lvl").not_().fill_null(False), "level"))
    if plan.amount_value is not None:
        lvl = pl.col("__lvl").fill_null(False)
        failed.append((rules_hold & lvl & pl.col("__amt").not_().fill_null(False), "amount"))
    return _codes(failed)


def _explain(plan: Plan, documents: bool) -> list[pl.Expr]:
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
    rules_hold = pl.col("__rules").fill_null(False)
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
        # The amount is the reason only when every rule and the level hold; and "cap reached"
        # only when the cap is what leaves nothing to pay.
        amount_decides = no & amt.not_() & rules_hold & lvl.fill_null(False)
        if plan.amount_cap is not None:
            zero = (
                pl.when(pl.col("remaining") <= 0)
                .then(_text(plan.zero_text))
                .otherwise(pl.lit("按规定计算的可发金额为零"))
            )
        else:
            zero = _text(plan.zero_text)
        reasons.append(pl.when(yes & amt).then(_text(plan.amount_text)).when(amount_decides).then(zero))
        # Name the amount's facts only when nothing else is unknown, or the list would repeat itself.
        facts.append(
            pl.when(unk & amt.is_null() & lvl.fill_null(False) & rules_hold).then(pl.lit("计算金额所需的事实"))
        )
    docs = [
        pl.when(~no & needed.expr.fill_null(True) & ~on_file.expr).then(pl.lit(kind))
        for kind, needed, on_file in (plan.documents if documents else [])
    ]
    fact_list, persons = _facts_of(plan, _listed(facts), unk if documents else None)
    amount = pl.when(~no).then(pl.col("amount")).cast(pl.Decimal(18, 2)) / 100
    lvl_out = [pl.when(~no & lvl.fill_null(False)).then(pl.col(c)).alias(c) for c in ("level", "level_label")]
    return [
        *_meta(plan),
        st,
        *lvl_out,
        amount.alias("amount"),
        _join(reasons).alias("reasons"),
        _join(hints).alias("hint"),
        fact_list.alias("missing_facts"),
        _listed(docs).alias("missing_documents"),
        persons.alias("missing_fact_persons"),
    ]


def _facts_of(plan: Plan, facts: pl.Expr, unk: pl.Expr | None) -> tuple[pl.Expr, pl.Expr]:
    """The missing facts and, parallel, whose they are: a person policy's are the person's, a
    household policy's the household's (null), then each ``member_missing`` fact once per member
    it names (``unk``: the possibly rows, which alone have these lists joined)."""
    n = facts.list.len()
    whose = pl.col("person_id") if plan.policy.entity == "person" else pl.lit(None, pl.String)
    persons = whose.repeat_by(n).cast(_LIST)
    if unk is None or not plan.member_missing:
        return facts, persons
    named = [pl.when(unk).then(pl.col(alias)).otherwise(pl.lit([], _LIST)) for _, alias in plan.member_missing]
    labels = [pl.lit(fact).repeat_by(m.list.len()) for (fact, _), m in zip(plan.member_missing, named, strict=True)]
    return pl.concat_list([facts, *labels]), pl.concat_list([persons, *named])


def evaluate(
    plan: Plan, frames: dict[str, F], reasons: Reasons = "all", schema: Mapping[str, pl.DataType] | None = None
) -> F:
    """Evaluate one compiled policy; rows in ``schema`` (default: ``result_schema([plan.policy])``)."""
    schema = schema or result_schema([plan.policy])
    base, late = entity_base(plan, frames)
    if plan.applies is not None:  # who the policy could apply to: the others get no row
        base = base.filter(plan.applies.expr.fill_null(True))
    if not plan.policy.in_force(plan.as_of):
        text = "not_in_force" if reasons == "kept" else f"政策「{plan.policy.name}」在 {plan.as_of} 不在有效期内"
        return _typed(base.select(_not_eligible(plan, pl.lit(text), pl.lit(None, pl.String))), plan, schema)
    lf = shared(staged(base, cached(plan, "cheap", lambda: _rule_stages(plan, heavy=False))))
    gated = lf.filter(pl.col("__out")).select(cached(plan, ("gated", reasons), lambda: _gated(plan, reasons)))
    survivors = lf.filter(~pl.col("__out"))
    if late:
        survivors = household_columns(plan, frames, survivors)
    survivors = aggregate(plan, frames, survivors)
    survivors = staged(survivors, cached(plan, "heavy", lambda: _rule_stages(plan, heavy=True)))
    decided = shared(staged(survivors, cached(plan, "decide", lambda: _decide(plan))))
    parts = [gated]
    out = pl.col("status") == NOT_ELIGIBLE
    if reasons == "kept":
        codes = cached(plan, "codes", lambda: _not_eligible(plan, _ruled_out_codes(plan), pl.lit(None, pl.String)))
        parts.append(decided.filter(out).select(codes))
    else:
        parts.append(decided.filter(out).select(cached(plan, ("explain", False), lambda: _explain(plan, False))))
    # Documents on file matter only for rows that are not ruled out: joined for those alone.
    kept = aggregate(plan, frames, decided.filter(~out), documents=True)
    parts.append(kept.select(cached(plan, ("explain", True), lambda: _explain(plan, True))))
    return pl.concat([_typed(p, plan, schema) for p in parts], how="vertical")


def _typed(part: F, plan: Plan, schema: Mapping[str, pl.DataType]) -> F:
    return part.with_columns(_identity(plan, schema)).select(list(schema)).cast(schema)  # type: ignore[arg-type]
