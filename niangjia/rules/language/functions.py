"""Built-in functions of the expression language: dates, windows, and related-table aggregates.

Windows follow RULES.md exactly: "within N days" is ``as_of − N ≤ date ≤ as_of``; "more than
N days before" is ``date < as_of − N``. Anything dated after ``as_of`` is ignored by the window
functions, so re-running a past date reproduces the past list.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

from niangjia.rules.language.typed import (
    NUMERIC,
    ExprError,
    Fn,
    Row,
    Typed,
    as_kind,
    combine,
    const,
    getter,
    lifted,
    to_fen,
)

if TYPE_CHECKING:  # the compiler calls these functions: it imports this module, not the reverse
    from niangjia.rules.language.expression import Compiler

FunctionImpl = Callable[["Compiler", ast.Call], Typed]
F = TypeVar("F", bound=FunctionImpl)
_DTYPES: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "money": pl.Int64(),
    "num": pl.Float64(),
    "date": pl.Date(),
    "str": pl.String(),
}


def _args(c: Compiler, node: ast.Call, low: int, high: int, kw: tuple[str, ...] = ()) -> list[Typed]:
    name = node.func.id  # type: ignore[attr-defined]
    if not low <= len(node.args) <= high:
        want = str(low) if low == high else f"{low}–{high}"
        raise ExprError(f"函数 {name} 需要 {want} 个参数，写了 {len(node.args)} 个", "对照 docs/policies.md 的函数表")
    for k in node.keywords:
        if k.arg not in kw:
            raise ExprError(f"函数 {name} 不接受参数 {k.arg}", "删除该参数")
    return [c.visit(a) for a in node.args]


def _kind(t: Typed, *kinds: str, what: str) -> Typed:
    if t.kind not in kinds:
        raise ExprError(f"{what} 需要 {'/'.join(kinds)} 类型，得到 {t.kind}", "检查传入的字段")
    return t


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
        _kind(d, "date", what=part)
        if d.is_const:
            return const(getattr(d.const, part))
        expr = getattr(d.expr.dt, part)().cast(pl.Int64)  # Int8 would overflow in sums
        return combine(expr, "int", d, fn=lifted(lambda v: getattr(v, part), d.fn))

    return impl


for _part in ("year", "month", "day"):
    register(_part)(_date_part(_part))


@register("date")
def _date(c: Compiler, node: ast.Call) -> Typed:
    parts = [_kind(t, "int", what="date") for t in _args(c, node, 3, 3)]
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
    _kind(birth, "date", what="age")
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
    _kind(d, "date", what="days_since")
    on = c.scope.as_of
    expr = (pl.lit(on) - d.expr).dt.total_days().cast(pl.Int64)
    return combine(expr, "int", d, fn=lifted(lambda v: (on - v).days, d.fn))


@register("within_days")
def _within(c: Compiler, node: ast.Call) -> Typed:
    """``as_of − n ≤ d ≤ as_of``."""
    d, n = _args(c, node, 2, 2)
    _kind(d, "date", what="within_days")
    on = c.scope.as_of
    lower = on - dt.timedelta(days=_int_const(n, "天数"))
    expr = (d.expr >= pl.lit(lower)) & (d.expr <= pl.lit(on))
    return combine(expr, "bool", d, fn=lifted(lambda v: lower <= v <= on, d.fn))


@register("before_days")
def _before(c: Compiler, node: ast.Call) -> Typed:
    """``d < as_of − n`` ("more than n days before as_of")."""
    d, n = _args(c, node, 2, 2)
    _kind(d, "date", what="before_days")
    bound = c.scope.as_of - dt.timedelta(days=_int_const(n, "天数"))
    return combine(d.expr < pl.lit(bound), "bool", d, fn=lifted(lambda v: v < bound, d.fn))


@register("same_year")
def _same_year(c: Compiler, node: ast.Call) -> Typed:
    """In as_of's calendar year and not after as_of."""
    (d,) = _args(c, node, 1, 1)
    _kind(d, "date", what="same_year")
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
    _kind(d, "date", what="season_of")
    if d.is_const:
        season = _season(d.const)
        return const(season) if season is not None else Typed(pl.lit(None, pl.Int64), "int", fn=lambda row: None)
    m, y = d.expr.dt.month(), d.expr.dt.year().cast(pl.Int64)
    expr = pl.when(m >= 11).then(y).when(m <= 2).then(y - 1).otherwise(None)
    return combine(expr, "int", d, fn=lifted(_season, d.fn))


@register("in_season")
def _in_season(c: Compiler, node: ast.Call) -> Typed:
    (d,) = _args(c, node, 1, 1)
    _kind(d, "date", what="in_season")
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
            return _aggregate(c, node, fn_name)
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


def _aggregate(c: Compiler, node: ast.Call, fn: str) -> Typed:
    """Compile ``fn(relation, [value,] [where], default=…)`` over a related table."""
    if not node.args or not isinstance(node.args[0], ast.Name):
        raise ExprError(f"{fn} 的第一个参数必须是关联表名", f"例如 {fn}(members, …)")
    relation = node.args[0].id
    inner = c.within(relation)
    rest = node.args[1:]
    needs_value = fn in ("sum", "max", "min")
    if len(rest) > (2 if needs_value else 1) or (needs_value and not rest) or (fn in ("any", "all") and not rest):
        raise ExprError(f"{fn}({relation}, …) 的参数个数不对", "见 docs/policies.md 的聚合函数说明")
    value = inner.visit(rest[0]) if needs_value else None
    where_node = rest[1] if needs_value and len(rest) > 1 else (rest[0] if not needs_value and rest else None)
    where = inner.bool_operand(where_node) if where_node is not None else const(True)
    parts = [where] + ([value] if value is not None else [])
    if where.is_const and fn in ("any", "all", "count"):
        # A constant condition: no per-row work (an entity without related rows gets ``empty``).
        if fn == "count":
            n = len if where.const else (lambda rows: 0)
            return _register(c, relation, pl.len() if where.const else pl.lit(0), n, 0, "int", parts)
        fixed = bool(where.const)
        return _register(c, relation, pl.lit(fixed), lambda rows: fixed, fn == "all", "bool", parts)
    w, fw = where.expr, where.fn
    if fn == "any":
        return _register(c, relation, w.any(ignore_nulls=False), _kleene_quantifier(fw, True), False, "bool", parts)
    if fn == "all":
        return _register(c, relation, w.all(ignore_nulls=False), _kleene_quantifier(fw, False), True, "bool", parts)
    if fn == "count":
        agg = pl.when(w.is_null().any()).then(None).otherwise(w.sum().cast(pl.Int64))

        def count(rows: list[Row]) -> Any:
            hits = [fw(r) for r in rows]
            return None if None in hits else sum(1 for h in hits if h)

        return _register(c, relation, agg, count, 0, "int", parts)
    assert value is not None
    _kind(value, *(NUMERIC + (("date",) if fn != "sum" else ())), what=fn)
    v, fv = value.expr, value.fn
    default = _default(c, node, value) if fn != "sum" else 0
    pick: Callable[[list[Any]], Any] = sum if fn == "sum" else max if fn == "max" else min
    if where.is_const and not where.const:
        return _register(c, relation, pl.lit(default), lambda rows: default, default, value.kind, parts)
    if where.is_const:  # every related row counts: plain aggregations (the fast path)
        unknown, picked = v.is_null().any(), (v.sum() if fn == "sum" else v.max() if fn == "max" else v.min())

        def whole(rows: list[Row]) -> Any:
            values = [fv(r) for r in rows]
            return None if None in values else pick(values)

        return _register(c, relation, pl.when(unknown).then(None).otherwise(picked), whole, default, value.kind, parts)
    unknown = (w.is_null() | (w & v.is_null())).any()

    def filtered(rows: list[Row]) -> Any:
        values = []
        for r in rows:
            hit = fw(r)
            if hit is None:
                return None
            if hit:
                x = fv(r)
                if x is None:
                    return None
                values.append(x)
        if fn == "sum":
            return sum(values)
        return pick(values) if values else default

    if fn == "sum":
        agg = pl.when(unknown).then(None).otherwise(v.filter(w).sum())
        return _register(c, relation, agg, filtered, 0, value.kind, parts)
    picked = v.filter(w).max() if fn == "max" else v.filter(w).min()
    agg = pl.when(unknown).then(None).when(w.sum() == 0).then(default).otherwise(picked)
    return _register(c, relation, agg, filtered, default, value.kind, parts)


def _kleene_quantifier(fw: Fn, decisive: bool) -> Callable[[list[Row]], Any]:
    """any (decisive=True) or all (decisive=False) over rows, three-valued like Polars'."""

    def quantify(rows: list[Row]) -> Any:
        unknown = False
        for r in rows:
            h = fw(r)
            if h is decisive:
                return decisive
            unknown = unknown or h is None
        return None if unknown else not decisive

    return quantify


def _default(c: Compiler, node: ast.Call, value: Typed) -> Any:
    for k in node.keywords:
        d = c.visit(k.value)
        if not d.is_const:
            raise ExprError("default 必须是常量", "例如 default=0")
        if value.kind == "money":
            d = to_fen(d)
        return int(d.const) if isinstance(d.const, Decimal) else d.const
    return None


def _cast(kind: str) -> Callable[[Any], Any]:
    """The scalar form of ``.cast(dtype)`` on an aggregate (float → Int64 truncates, as in Polars)."""
    if kind in ("int", "money"):
        return lambda x: int(x) if isinstance(x, float) else x
    if kind == "num":
        return lambda x: None if x is None else float(x)
    return lambda x: x


def _register(
    c: Compiler,
    relation: str,
    agg: pl.Expr,
    py: Callable[[list[Row]], Any],
    empty: Any,
    kind: str,
    parts: list[Typed],
    heads_only: bool = False,
) -> Typed:
    """Register an aggregation: ``agg`` per group in Polars, ``py`` over one entity's related rows."""
    dtype = _DTYPES[kind]
    cast = _cast(kind)

    def scalar(rows: list[Row]) -> Any:
        return cast(py(rows))

    alias = c.scope.add_agg(relation, agg.cast(dtype), empty, dtype, heads_only, scalar)
    fields = frozenset().union(*(p.fields for p in parts))
    return Typed(pl.col(alias), kind, heavy=True, fields=fields, fn=getter(alias))


for _fn in ("any", "all", "count", "sum"):
    register(_fn)(lambda c, node, _f=_fn: _aggregate(c, node, _f))


@register("head")
def _head(c: Compiler, node: ast.Call) -> Typed:
    """The value of a member-level formula for the household head (relation == 'head')."""
    inner = c.within("members")
    if len(node.args) != 1:
        raise ExprError("head 需要 1 个参数", "例如 head(is_migrant)")
    value = inner.visit(node.args[0])
    # Evaluated on the head rows only (the engine filters them before grouping: a fast path).
    fv = value.fn
    # Two head rows (a data error) must not make the result depend on row order after a
    # parallel join: the first-registered head (smallest person number ``__p``) counts.
    first = value.expr.get(pl.col("__p").arg_min())
    return _register(c, "members", first, lambda rows: fv(rows[0]), None, value.kind, [value], heads_only=True)
