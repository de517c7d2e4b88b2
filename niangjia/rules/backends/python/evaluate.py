"""One household, no query engine: the compiled policies evaluated on plain Python rows.

Re-screening one household is a few dozen rows; building and running Polars plans for them
costs tens of milliseconds, almost all of it overhead. Every compiled formula already carries
its scalar form (``Typed.fn``, built by the same compiler call as its Polars expression, see
:mod:`niangjia.rules.language.expression`), so this module only has to walk the same steps as
:func:`niangjia.rules.backends.polars.evaluate.evaluate` on dicts: cheap rules, the gate, the
aggregations over the related rows, levels, amounts, statuses, sentences and documents. The
property test (``tests/test_property.py``) checks that both backends return identical rows on
random registries, and every embedded policy test runs through both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from niangjia.rules.backends.python.household import Household, household_rows
from niangjia.rules.language.typed import Fn, Row, Typed, k_and, k_not, round_fen_py
from niangjia.rules.policy.plan import Plan
from niangjia.rules.results import CODE_SEP, ELIGIBLE, NOT_ELIGIBLE, POSSIBLY, SEP, H, P


@dataclass
class _Scalar:
    """The scalar forms of one plan, gathered once (cached on the plan)."""

    member_lets: list[tuple[str, Fn]]
    cheap_lets: list[tuple[str, Fn]]
    heavy_lets: list[tuple[str, Fn]]
    cheap: list[int]
    heavy: list[int]
    oks: list[Fn]
    aggs: list[tuple[str, str, bool, Any, Callable[[list[Row]], Any]]]
    levels: list[tuple[str, str, Fn]]
    level_texts: dict[str, Fn]


def _fn(t: Typed | None) -> Fn | None:
    return None if t is None else t.fn


def _scalar(plan: Plan) -> _Scalar:
    if "scalar" not in plan.cache:
        aggs = []
        for a in plan.scope.aggs:
            assert a.fn is not None
            aggs.append((a.alias, a.relation, a.heads_only, a.empty, a.fn))
        plan.cache["scalar"] = _Scalar(
            member_lets=[(n, t.fn) for n, t in plan.member_lets],
            cheap_lets=[(n, t.fn) for n, t in plan.lets if not t.heavy],
            heavy_lets=[(n, t.fn) for n, t in plan.lets if t.heavy],
            cheap=[i for i, r in enumerate(plan.rules) if not r.heavy],
            heavy=[i for i, r in enumerate(plan.rules) if r.heavy],
            oks=[r.ok.fn for r in plan.rules],
            aggs=aggs,
            levels=[(lid, label, t.fn) for lid, label, t in plan.levels],
            level_texts={lid: t.fn for lid, t in plan.level_texts},
        )
    result: _Scalar = plan.cache["scalar"]
    return result


def _members(plan: Plan, sc: _Scalar, hh: Household, heads: bool) -> dict[int, list[Row]]:
    by_plan = hh.members.setdefault(id(plan), {})
    if heads not in by_plan:
        if False not in by_plan:
            out: dict[int, list[Row]] = {}
            for p in hh.persons:
                if p[H] is None:
                    continue
                m = dict(p)
                for n, f in sc.member_lets:
                    m[n] = f(m)
                out.setdefault(p[H], []).append(m)
            by_plan[False] = out
        if heads:
            by_plan[True] = {h: [m for m in ms if m["relation"] == "head"] for h, ms in by_plan[False].items()}
    return by_plan[heads]


def _join(texts: list[str | None]) -> str | None:
    return SEP.join([t for t in texts if t is not None]) or None


Result = tuple[Any, ...]


def evaluate(plan: Plan, hh: Household, reasons: str = "all", envs: list[Row | None] | None = None) -> list[Result]:
    """Evaluate one compiled policy on the household's rows; tuples in ``RESULT_SCHEMA`` order.

    With ``envs``, each result's evaluated row (inputs, variables, level, amount) is appended to it,
    ``None`` where nothing was evaluated: what :mod:`.trace` explains.
    """
    p = plan.policy
    person = p.entity == "person"
    entities = hh.persons if person else hh.households
    if plan.applies is not None:  # who the policy could apply to: the others get no row
        applies = plan.applies.fn
        entities = [e for e in entities if applies(e) is not False]
    meta = (p.id, p.version, p.content_hash, p.parameters_hash, plan.as_of)

    def row(env: Row, status: str, *rest: Any) -> Result:
        return (*meta, env["household_id"], env["person_id"] if person else None, status, *rest)

    def ruled_out(env: Row, text: str | None, hint: str | None) -> Result:
        return row(env, NOT_ELIGIBLE, None, None, None, text, hint, [], [], [])

    if not p.in_force(plan.as_of):
        inactive = "not_in_force" if reasons == "kept" else f"政策「{p.name}」在 {plan.as_of} 不在有效期内"
        if envs is not None:
            envs.extend([None] * len(entities))
        return [ruled_out(e, inactive, None) for e in entities]
    sc = _scalar(plan)
    rules = plan.rules
    out = []
    for entity in entities:
        env = dict(entity)
        if envs is not None:
            envs.append(env)
        if person:
            for n, f in sc.member_lets:
                env[n] = f(env)
        for n, f in sc.cheap_lets:
            env[n] = f(env)
        oks: list[Any] = [None] * len(rules)
        for i in sc.cheap:
            oks[i] = sc.oks[i](env)
        if any(oks[i] is False for i in sc.cheap):
            failed = [i for i in sc.cheap if oks[i] is False]
            text: str | None
            hint: str | None = None
            if reasons == "kept":
                text = CODE_SEP.join([rules[i].rule.id for i in failed]) or None
            else:
                text = _join([g(env) for i in failed if (g := _fn(rules[i].fail_text)) is not None])
                hint = _join([rules[i].rule.hint for i in failed if rules[i].rule.hint])
            out.append(ruled_out(env, text, hint))
            continue
        key = env[P] if person else env[H]
        for alias, relation, heads, empty, agg in sc.aggs:
            if relation == "members":
                group = _members(plan, sc, hh, heads).get(env[H]) if env[H] is not None else None
            else:
                group = hh.group(relation, P if person else H).get(key)
            env[alias] = agg(group) if group else empty
        for n, f in sc.heavy_lets:
            env[n] = f(env)
        for i in sc.heavy:
            oks[i] = sc.oks[i](env)
        out.append(_decide(plan, sc, env, oks, reasons, row))
    return out


def _all(values: list[Any]) -> Any:
    """Kleene all (``pl.all_horizontal``)."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _decide(plan: Plan, sc: _Scalar, env: Row, oks: list[Any], reasons: str, row: Callable[..., Result]) -> Result:
    lid: str | None = None
    label: str | None = None
    if sc.levels:
        for level_id, level_label, f in sc.levels:
            v = f(env)
            if v is None:
                lid = "?"
                break
            if v:
                lid, label = level_id, level_label
                break
        lvl = None if lid == "?" else lid is not None
    else:
        lvl = True
    env["level"], env["level_label"], env["__lvl"] = lid, label, lvl
    amount: Any = None
    if plan.amount_value is not None:
        value = round_fen_py(plan.amount_value.fn(env))
        if plan.amount_cap is None:
            amount = value
            env["cap"] = env["paid"] = env["remaining"] = None
        else:
            paid = round_fen_py(plan.amount_paid.fn(env)) if plan.amount_paid is not None else 0
            cap = round_fen_py(plan.amount_cap.fn(env))
            rem = None if cap is None or paid is None else cap - paid
            amount = None if value is None or rem is None else min(value, rem)
            env["cap"], env["paid"], env["remaining"] = cap, paid, rem
        amt = None if amount is None else amount > 0
    else:
        env["cap"] = env["paid"] = env["remaining"] = None
        amt = True
    env["amount"] = amount
    rules_ok = _all(oks) if oks else True
    env["__rules"] = rules_ok  # for a trace: the arithmetic matters only when no rule failed
    ok_all = _all([rules_ok, lvl, amt])
    status = ELIGIBLE if ok_all is True else NOT_ELIGIBLE if ok_all is False else POSSIBLY
    rules_hold = rules_ok is True
    if status == NOT_ELIGIBLE and reasons == "kept":
        codes = [r.rule.id for r, ok in zip(plan.rules, oks, strict=True) if ok is False]
        if plan.levels and rules_hold and lvl is False:
            codes.append("level")
        if plan.amount_value is not None and rules_hold and lvl is True and amt is False:
            codes.append("amount")
        return row(env, NOT_ELIGIBLE, None, None, None, CODE_SEP.join(codes) or None, None, [], [], [])
    yes, no, unk = status == ELIGIBLE, status == NOT_ELIGIBLE, status == POSSIBLY
    texts: list[str | None] = []
    hints: list[str | None] = []
    facts: list[str] = []
    for r, ok in zip(plan.rules, oks, strict=True):
        t = r.pass_text if yes and ok is True else r.fail_text if no and ok is False else None
        if unk and ok is None:
            t = r.unknown_text
        texts.append(t.fn(env) if t is not None else None)
        if r.rule.hint and not yes and ok is not True:
            hints.append(r.rule.hint)
        if unk and ok is None:
            facts.append(r.rule.missing or r.rule.id)
    if plan.levels:
        if yes and lvl is True:
            level_text = sc.level_texts.get(lid or "")
            default = "认定级别：" + label if label is not None else None
            texts.append(level_text(env) if level_text is not None else default)
        elif no and lvl is False:
            texts.append(plan.no_level_text.fn(env) if plan.no_level_text is not None else None)
        elif unk and lvl is None:
            texts.append("关键事实不全，暂无法确定级别")
        if plan.policy.no_level_hint and not yes and lvl is not True:
            hints.append(plan.policy.no_level_hint)
        if unk and lvl is None:
            facts.append("确定级别所需的收入、支出等事实")
    if plan.amount_value is not None:
        if yes and amt is True:
            texts.append(plan.amount_text.fn(env) if plan.amount_text is not None else None)
        elif no and amt is False and rules_hold and lvl is True:
            zero = plan.zero_text.fn(env) if plan.zero_text is not None else None
            if plan.amount_cap is not None and not (env["remaining"] is not None and env["remaining"] <= 0):
                zero = "按规定计算的可发金额为零"
            texts.append(zero)
        if unk and amt is None and lvl is True and rules_hold:
            facts.append("计算金额所需的事实")
    docs = []
    for kind, needed, on_file in plan.documents:
        need = needed.fn(env)
        if k_and(k_and(not no, True if need is None else need), k_not(on_file.fn(env))) is True:
            docs.append(kind)
    whose: list[str | None] = [env["person_id"] if plan.policy.entity == "person" else None] * len(facts)
    if unk:
        for fact, alias in plan.member_missing:
            facts += [fact] * len(env[alias])
            whose += env[alias]
    shown = not no and lvl is True
    return row(
        env,
        status,
        lid if shown else None,
        label if shown else None,
        None if no or amount is None else Decimal(amount).scaleb(-2),  # fen → yuan, exact
        _join(texts),
        _join(hints),
        facts,
        docs,
        whose,
    )


def results_frame(rows: list[Result], schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """The result tuples (amount already in yuan) as a frame of ``schema``."""
    return pl.DataFrame(rows, schema=dict(schema), orient="row")


def screen_rows(
    plans: Sequence[Plan], tables: Mapping[str, pl.DataFrame | pl.LazyFrame | None], reasons: str = "all"
) -> list[Result]:
    """Every plan over the (few) households in ``tables``: result tuples."""
    hh = household_rows(tables, plans)
    out: list[Result] = []
    for plan in plans:
        out.extend(evaluate(plan, hh, reasons))
    return out
