"""Aggregates over a related table — ``any``, ``all``, ``count``, ``sum``, ``max``/``min`` over
rows, ``head`` — each registered with the scope as a group-by to join back (``Scope.add_agg``).

Three-valued like the rest: an aggregate is unknown when a relevant row is unknown; an entity
with no related rows gets the closed-world value (false, 0, or the ``default``). Each gets, next
to its Polars aggregation, a function over one entity's rows for the Python backend.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from niangjia.rules.language.typed import NUMERIC, ExprError, Fn, Row, Typed, const, getter, require_kind, to_fen

if TYPE_CHECKING:  # the compiler calls these functions: it imports them, not the reverse
    from niangjia.rules.language.expression import Compiler

_DTYPES: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "money": pl.Int64(),
    "num": pl.Float64(),
    "date": pl.Date(),
    "str": pl.String(),
}


def aggregate(c: Compiler, node: ast.Call, fn: str) -> Typed:
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
            return _aggregation(c, relation, pl.len() if where.const else pl.lit(0), n, 0, "int", parts)
        fixed = bool(where.const)
        return _aggregation(c, relation, pl.lit(fixed), lambda rows: fixed, fn == "all", "bool", parts)
    w, fw = where.expr, where.fn
    if fn == "any":
        return _aggregation(c, relation, w.any(ignore_nulls=False), _kleene_quantifier(fw, True), False, "bool", parts)
    if fn == "all":
        return _aggregation(c, relation, w.all(ignore_nulls=False), _kleene_quantifier(fw, False), True, "bool", parts)
    if fn == "count":
        agg = pl.when(w.is_null().any()).then(None).otherwise(w.sum().cast(pl.Int64))

        def count(rows: list[Row]) -> Any:
            hits = [fw(r) for r in rows]
            return None if None in hits else sum(1 for h in hits if h)

        return _aggregation(c, relation, agg, count, 0, "int", parts)
    assert value is not None
    require_kind(value, *(NUMERIC + (("date",) if fn != "sum" else ())), what=fn)
    v, fv = value.expr, value.fn
    default = _default(c, node, value) if fn != "sum" else 0
    pick: Callable[[list[Any]], Any] = sum if fn == "sum" else max if fn == "max" else min
    if where.is_const and not where.const:
        return _aggregation(c, relation, pl.lit(default), lambda rows: default, default, value.kind, parts)
    if where.is_const:  # every related row counts: plain aggregations (the fast path)
        unknown, picked = v.is_null().any(), (v.sum() if fn == "sum" else v.max() if fn == "max" else v.min())

        def whole(rows: list[Row]) -> Any:
            values = [fv(r) for r in rows]
            return None if None in values else pick(values)

        return _aggregation(
            c, relation, pl.when(unknown).then(None).otherwise(picked), whole, default, value.kind, parts
        )
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
        return _aggregation(c, relation, agg, filtered, 0, value.kind, parts)
    picked = v.filter(w).max() if fn == "max" else v.filter(w).min()
    agg = pl.when(unknown).then(None).when(w.sum() == 0).then(default).otherwise(picked)
    return _aggregation(c, relation, agg, filtered, default, value.kind, parts)


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


def _aggregation(
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


def head(c: Compiler, node: ast.Call) -> Typed:
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
    t = _aggregation(c, "members", first, lambda rows: fv(rows[0]), None, value.kind, [value], heads_only=True)
    return replace(t, vocabulary=value.vocabulary)
