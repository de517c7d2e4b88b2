"""Typed values of the expression language: a Polars expression and a scalar function together.

``Typed.expr`` serves the registry (bulk Polars); ``Typed.fn`` serves one household (plain
rows). The helpers here build both sides of a node at once, with the same three-valued
(Kleene) logic: ``None`` in the scalar functions is unknown exactly as null is in Polars.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

NUMERIC = ("int", "num", "money")
_NOCONST: Any = object()
Row = dict[str, Any]
Fn = Callable[[Row], Any]


class ExprError(Exception):
    """A formula the language rejects; ``col`` is the 0-based column inside the formula."""

    def __init__(self, message: str, fix: str, col: int = 0) -> None:
        super().__init__(message)
        self.message, self.fix, self.col = message, fix, col


def _no_fn(row: Row) -> Any:
    raise RuntimeError("this expression has no scalar form")


def k_and(a: Any, b: Any) -> Any:
    """Kleene and (Polars ``&`` on booleans): False wins, then unknown."""
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def k_or(a: Any, b: Any) -> Any:
    """Kleene or (Polars ``|``): True wins, then unknown."""
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def k_not(a: Any) -> Any:
    return None if a is None else not a


def getter(name: str) -> Fn:
    """The scalar form of ``pl.col(name)``."""

    def get(row: Row) -> Any:
        return row.get(name)

    return get


def lifted(op: Callable[..., Any], *fns: Fn) -> Fn:
    """``op`` over the operands' values; unknown when any operand is unknown (Polars null)."""
    if len(fns) == 1:
        (f,) = fns

        def one(row: Row) -> Any:
            x = f(row)
            return None if x is None else op(x)

        return one
    if len(fns) == 2:
        fa, fb = fns

        def two(row: Row) -> Any:
            x = fa(row)
            if x is None:
                return None
            y = fb(row)
            return None if y is None else op(x, y)

        return two

    def many(row: Row) -> Any:
        values = [f(row) for f in fns]
        return None if any(v is None for v in values) else op(*values)

    return many


def as_kind(kind: str, fn: Fn) -> Fn:
    """A ``num`` result is Float64 in Polars: make the scalar value a float too."""
    if kind != "num":
        return fn

    def to_float(row: Row) -> Any:
        x = fn(row)
        return None if x is None else float(x)

    return to_float


@dataclass(frozen=True)
class Typed:
    """A compiled sub-expression with its kind and what it depends on."""

    expr: pl.Expr
    kind: str  # bool | int | num | money | date | str
    heavy: bool = False  # needs a related-table aggregation (evaluated only for survivors)
    fields: frozenset[str] = frozenset()  # "table.column" read, for the sensitivity check
    const: Any = _NOCONST  # Python value when known at compile time
    fn: Fn = _no_fn  # the same formula over one row (a dict), None = unknown
    # A column with a vocabulary (schema ``VOCABULARIES``), read as is: code → Chinese label.
    vocabulary: Mapping[str, str] | None = field(default=None, compare=False)

    @property
    def is_const(self) -> bool:
        return self.const is not _NOCONST


def check_vocabulary(t: Typed, *values: Typed) -> None:
    """Refuse a constant compared with a column of a vocabulary that is not one of its codes."""
    if t.vocabulary is None:
        return
    for v in values:
        if v.is_const and str(v.const) not in t.vocabulary:
            codes = "、".join(f"{code}（{label}）" for code, label in t.vocabulary.items())
            raise ExprError(f"{v.const!r} 不是该字段的取值", f"可用的取值：{codes}")


def require_kind(t: Typed, *kinds: str, what: str) -> Typed:
    """``t`` when it is of one of ``kinds``; else the error naming ``what`` needed which."""
    if t.kind not in kinds:
        raise ExprError(f"{what} 需要 {'/'.join(kinds)} 类型，得到 {t.kind}", "检查传入的字段")
    return t


def const(value: Any) -> Typed:
    """Return a compile-time constant (int, Decimal, str, bool or date)."""
    if isinstance(value, bool):
        return Typed(pl.lit(value), "bool", const=value, fn=_constant(value))
    if isinstance(value, int):
        return Typed(pl.lit(value, pl.Int64), "int", const=value, fn=_constant(value))
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return const(int(value))
        return Typed(pl.lit(float(value)), "num", const=value, fn=_constant(float(value)))
    if isinstance(value, str):
        return Typed(pl.lit(value), "str", const=value, fn=_constant(value))
    if isinstance(value, dt.date):
        return Typed(pl.lit(value, pl.Date), "date", const=value, fn=_constant(value))
    raise ExprError(f"不支持的常量：{value!r}", "只能使用数字、字符串、True/False")


def _constant(value: Any) -> Fn:
    def constant(row: Row) -> Any:
        return value

    return constant


def column(
    name: str,
    kind: str,
    heavy: bool = False,
    fields: frozenset[str] = frozenset(),
    vocabulary: Mapping[str, str] | None = None,
) -> Typed:
    """A named column (input field, parameter or variable): ``pl.col(name)`` / ``row[name]``."""
    return Typed(pl.col(name), kind, heavy, fields, fn=getter(name), vocabulary=vocabulary)


def combine(expr: pl.Expr, kind: str, *parts: Typed, fn: Fn, value: Any = _NOCONST) -> Typed:
    """Build a Typed whose dependencies are the union of ``parts``; ``fn`` is its scalar form."""
    return Typed(
        expr,
        kind,
        heavy=any(p.heavy for p in parts),
        fields=frozenset().union(*(p.fields for p in parts)),
        const=value,
        fn=fn,
    )


def to_fen(t: Typed) -> Typed:
    """Scale a yuan number to fen so it can meet money; money passes through."""
    if t.kind == "money":
        return t
    if t.kind not in ("int", "num"):
        raise ExprError(f"{t.kind} 类型不能当作金额", "金额只能与数字或金额运算")
    if t.is_const:
        fen = Decimal(t.const) * 100
        value = int(fen) if fen == int(fen) else float(fen)
        return Typed(
            pl.lit(value, pl.Int64 if isinstance(value, int) else None), "money", const=fen, fn=_constant(value)
        )
    return combine(t.expr * 100, "money", t, fn=lifted(lambda x: x * 100, t.fn))


def unify(a: Typed, b: Typed) -> tuple[Typed, Typed]:
    """Bring two operands to a common unit (money wins) or fail with a clear message."""
    if a.kind == "money" and b.kind in ("int", "num"):
        return a, to_fen(b)
    if b.kind == "money" and a.kind in ("int", "num"):
        return to_fen(a), b
    if a.kind in NUMERIC and b.kind in NUMERIC:
        return a, b
    if a.kind != b.kind:
        raise ExprError(f"不能把 {a.kind} 与 {b.kind} 放在一起比较或运算", "检查两边的字段类型")
    return a, b


def round_fen(expr: pl.Expr) -> pl.Expr:
    """Round a (possibly fractional) fen amount half-up to whole fen."""
    return (expr + 0.5).floor().cast(pl.Int64, strict=False)


def round_fen_py(x: Any) -> Any:
    """:func:`round_fen` on one value (None stays None)."""
    return None if x is None else math.floor(x + 0.5)
