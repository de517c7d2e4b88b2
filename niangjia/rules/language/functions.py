"""Built-in functions of the expression language: dates, windows, values (aggregates: :mod:`.aggregates`).

Windows follow RULES.md exactly: "within N days" is ``as_of − N ≤ date ≤ as_of``; "more than
N days before" is ``date < as_of − N``. Anything dated after ``as_of`` is ignored by the window
functions, so re-running a past date reproduces the past list.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from niangjia.rules.language.aggregates import aggregate, head
from niangjia.rules.language.typed import (
    NUMERIC,
    ExprError,
    Row,
    Typed,
    as_kind,
    combine,
    const,
    lifted,
    require_kind,
    to_fen,
)

if TYPE_CHECKING:  # the compiler calls these functions: it imports this module, not the reverse
    from niangjia.rules.language.expression import Compiler

FunctionImpl = Callable[["Compiler", ast.Call], Typed]
F = TypeVar("F", bound=FunctionImpl)


def _args(c: Compiler, node: ast.Call, low: int, high: int, kw: tuple[str, ...] = ()) -> list[Typed]:
    name = node.func.id  # type: ignore[attr-defined]
    if not low <= len(node.args) <= high:
        want = str(low) if low == high else f"{low}–{high}"
        raise ExprError(f"函数 {name} 需要 {want} 个参数，写了 {len(node.args)} 个", "对照 docs/policies.md 的函数表")
    for k in node.keywords:
        if k.arg not in kw:
            raise ExprError(f"函数 {name} 不接受参数 {k.arg}", "删除该参数")
    return [c.visit(a) for a in node.args]


def _int_const(t: Typed, what: str) -> int:
    if not (t.is_const and t.kind == "int"):
        raise ExprError(f"{what} 必须是整数常量", "例如 within_days(date, 365)")
    return int(t.const)


FUNCTIONS: dict[str, FunctionImpl] = {}  # name → implementation; the compiler looks calls up here


def register(name: str) -> Callable[[F], F]:
    """Make the decorated function the implementation of ``name(...)`` in formulas."""

    def wrap(fn: F) -> F:
        FUNCTIONS[name] = fn
        return fn

    return wrap


def _date_part(part: str) -> Any:
    def impl(c: Compiler, node: ast.Call) -> Typed:
        (d,) = _args(c, node, 1, 1)
        require_kind(d, "date", what=part)
        if d.is_const:
            return const(getattr(d.const, part))
        expr = getattr(d.expr.dt, part)().cast(pl.Int64)  # Int8 would overflow in sums
        return combine(expr, "int", d, fn=lifted(lambda v: getattr(v, part), d.fn))

    return impl


for _part in ("year", "month", "day"):
    register(_part)(_date_part(_part))


@register("date")
def _date(c: Compiler, node: ast.Call) -> Typed:
    parts = [require_kind(t, "int", what="date") for t in _args(c, node, 3, 3)]
    if all(p.is_const for p in parts):
        try:
            return const(dt.date(*(int(p.const) for p in parts)))
        except ValueError:
            raise ExprError("不存在的日期", "检查年月日") from None

    def make(y: int, m: int, d: int) -> dt.date | None:
        try:
            return dt.date(y, m, d)
        except ValueError:
            return None

    return combine(pl.date(*(p.expr for p in parts)), "date", *parts, fn=lifted(make, *(p.fn for p in parts)))


@register("age")
def _age(c: Compiler, node: ast.Call) -> Typed:
    """Completed years on as_of; someone born on 29 Feb ages on 1 Mar in common years."""
    (birth,) = _args(c, node, 1, 1)
    require_kind(birth, "date", what="age")
    on = c.scope.as_of
    # Cast first: Polars' month/day are Int8, and month * 100 would overflow.
    month, day = birth.expr.dt.month().cast(pl.Int32), birth.expr.dt.day().cast(pl.Int32)
    not_yet = (month * 100 + day) > (on.month * 100 + on.day)
    expr = (pl.lit(on.year) - birth.expr.dt.year()).cast(pl.Int64) - not_yet.cast(pl.Int64)
    on_md = on.month * 100 + on.day

    def age(b: dt.date) -> int:
        return on.year - b.year - int(b.month * 100 + b.day > on_md)

    return combine(expr, "int", birth, fn=lifted(age, birth.fn))


@register("days_since")
def _days_since(c: Compiler, node: ast.Call) -> Typed:
    (d,) = _args(c, node, 1, 1)
    require_kind(d, "date", what="days_since")
    on = c.scope.as_of
    expr = (pl.lit(on) - d.expr).dt.total_days().cast(pl.Int64)
    return combine(expr, "int", d, fn=lifted(lambda v: (on - v).days, d.fn))


@register("within_days")
def _within(c: Compiler, node: ast.Call) -> Typed:
    """``as_of − n ≤ d ≤ as_of``."""
    d, n = _args(c, node, 2, 2)
    require_kind(d, "date", what="within_days")
    on = c.scope.as_of
    lower = on - dt.timedelta(days=_int_const(n, "天数"))
    expr = (d.expr >= pl.lit(lower)) & (d.expr <= pl.lit(on))
    return combine(expr, "bool", d, fn=lifted(lambda v: lower <= v <= on, d.fn))


@register("before_days")
def _before(c: Compiler, node: ast.Call) -> Typed:
    """``d < as_of − n`` ("more than n days before as_of")."""
    d, n = _args(c, node, 2, 2)
    require_kind(d, "date", what="before_days")
    bound = c.scope.as_of - dt.timedelta(days=_int_const(n, "天数"))
    return combine(d.expr < pl.lit(bound), "bool", d, fn=lifted(lambda v: v < bound, d.fn))


@register("same_year")
def _same_year(c: Compiler, node: ast.Call) -> Typed:
    """In as_of's calendar year and not after as_of."""
    (d,) = _args(c, node, 1, 1)
    require_kind(d, "date", what="same_year")
    on = c.scope.as_of
    start = dt.date(on.year, 1, 1)
    expr = (d.expr >= pl.lit(start)) & (d.expr <= pl.lit(on))
    return combine(expr, "bool", d, fn=lifted(lambda v: start <= v <= on, d.fn))


def _season(d: dt.date) -> int | None:
    return d.year if d.month >= 11 else (d.year - 1 if d.month <= 2 else None)


@register("season_of")
def _season_of(c: Compiler, node: ast.Call) -> Typed:
    """The 1 Nov – end-of-February season containing d, named by its start year; null outside."""
    (d,) = _args(c, node, 1, 1)
    require_kind(d, "date", what="season_of")
    if d.is_const:
        season = _season(d.const)
        return const(season) if season is not None else Typed(pl.lit(None, pl.Int64), "int", fn=lambda row: None)
    m, y = d.expr.dt.month(), d.expr.dt.year().cast(pl.Int64)
    expr = pl.when(m >= 11).then(y).when(m <= 2).then(y - 1).otherwise(None)
    return combine(expr, "int", d, fn=lifted(_season, d.fn))


@register("in_season")
def _in_season(c: Compiler, node: ast.Call) -> Typed:
    (d,) = _args(c, node, 1, 1)
    require_kind(d, "date", what="in_season")
    if d.is_const:
        return const(_season(d.const) is not None)
    # Polars' is_in gives null for a null month: unknown stays unknown.
    return combine(
        d.expr.dt.month().is_in([11, 12, 1, 2]), "bool", d, fn=lifted(lambda v: v.month in (11, 12, 1, 2), d.fn)
    )


@register("is_known")
def _is_known(c: Compiler, node: ast.Call) -> Typed:
    (x,) = _args(c, node, 1, 1)
    fx = x.fn
    return const(True) if x.is_const else combine(x.expr.is_not_null(), "bool", x, fn=lambda row: fx(row) is not None)


def _common(parts: list[Typed]) -> list[Typed]:
    kinds = {p.kind for p in parts}
    if "money" in kinds:
        return [to_fen(p) for p in parts]
    if len(kinds) > 1 and not kinds <= set(NUMERIC):
        raise ExprError(f"参数类型不一致：{'、'.join(sorted(kinds))}", "让所有参数同为数字、金额、日期或文字")
    return parts


@register("coalesce")
def _coalesce(c: Compiler, node: ast.Call) -> Typed:
    parts = _common(_args(c, node, 2, 8))
    fns = [p.fn for p in parts]

    def first_known(row: Row) -> Any:
        for f in fns:
            v = f(row)
            if v is not None:
                return v
        return None

    kind = parts[0].kind
    num = kind != "num" and any(p.kind == "num" for p in parts)  # Polars' supertype is Float64
    return combine(pl.coalesce([p.expr for p in parts]), kind, *parts, fn=as_kind("num" if num else kind, first_known))


def _extreme(fn_name: str) -> Any:
    horizontal = pl.min_horizontal if fn_name == "min" else pl.max_horizontal

    def impl(c: Compiler, node: ast.Call) -> Typed:
        if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in c.scope.relations:
            return aggregate(c, node, fn_name)
        parts = _common(_args(c, node, 2, 8))
        kind = (
            "money" if parts[0].kind == "money" else ("num" if any(p.kind == "num" for p in parts) else parts[0].kind)
        )
        if all(p.is_const for p in parts):
            pick = min if fn_name == "min" else max
            return const(pick(p.const for p in parts))
        # Unknown in, unknown out: Polars' horizontal min/max would silently skip nulls.
        unknown = pl.any_horizontal([p.expr.is_null() for p in parts])
        expr = pl.when(unknown).then(None).otherwise(horizontal([p.expr for p in parts]))
        pick = min if fn_name == "min" else max
        return combine(expr, kind, *parts, fn=as_kind(kind, lifted(lambda *v: pick(v), *(p.fn for p in parts))))

    return impl


register("min")(_extreme("min"))
register("max")(_extreme("max"))


for _fn in ("any", "all", "count", "sum"):
    register(_fn)(lambda c, node, _f=_fn: aggregate(c, node, _f))
register("head")(head)
