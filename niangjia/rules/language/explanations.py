"""Chinese sentences from templates such as ``家庭月人均纯收入 {pc} 元低于低保 {dibao} 元``.

A template is compiled once into a Polars ``concat_str``: the placeholders are names from the
policy's scope, formatted by kind (money as yuan with thousands separators and 2 decimals, dates
ISO, booleans 是/否, a code of a column with a vocabulary as its Chinese label: 本科, not
``undergraduate``).
So the per-person explanation comes from the same columns as the bulk result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import polars as pl

from niangjia.rules.language.expression import Compiler, Scope
from niangjia.rules.language.typed import ExprError, Fn, Row, Typed, combine, round_fen

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
UNKNOWN = "未知"


def _groups(yuan: pl.Expr, n: int) -> list[pl.Expr]:
    """The ``n`` lowest groups of three digits of ``yuan`` (≥ 0), highest first, the first unpadded."""
    out = [(yuan // 1000 ** (n - 1)).cast(pl.String)]
    for k in range(n - 2, -1, -1):
        out += [pl.lit(","), (yuan // 1000**k % 1000).cast(pl.String).str.zfill(3)]
    return out


def _thousands(yuan: pl.Expr) -> pl.Expr:
    """Whole yuan (≥ 0) with thousands separators: 15320 → ``15,320``."""
    # Branches by size: integer arithmetic and short concatenations, several times faster
    # than a regular expression over reversed text.
    tiers: Any = pl.when(yuan < 1000).then(yuan.cast(pl.String))
    for n in (2, 3):
        tiers = tiers.when(yuan < 1000**n).then(pl.concat_str(_groups(yuan, n)))
    out: pl.Expr = tiers.otherwise(pl.concat_str(_groups(yuan, 7)).str.strip_chars_start("0,"))
    return out


def money_text(fen: pl.Expr) -> pl.Expr:
    """Format fen (int or fractional) as yuan with thousands separators and exactly two decimals,
    rounding half-up: 1532000 → ``15,320.00``."""
    f = round_fen(fen)
    a = f.abs()
    return pl.concat_str(
        [
            pl.when(f < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            _thousands(a // 100),
            pl.lit("."),
            (a % 100).cast(pl.String).str.zfill(2),
        ]
    )


def money_text_py(fen: Any) -> str:
    """:func:`money_text` on one value."""
    f = math.floor(fen + 0.5)
    a = abs(f)
    return f"{'-' if f < 0 else ''}{a // 100:,}.{a % 100:02d}"


def _num_text_py(x: Any) -> str:
    # Polars' own rounding and float printing, so both backends print the same digits.
    return str(pl.Series([float(x)]).round(2).cast(pl.String)[0])


_PY_TEXT: dict[str, Callable[[Any], str]] = {
    "money": money_text_py,
    "num": _num_text_py,
    "bool": lambda x: "是" if x else "否",
}


def format_value_py(t: Typed) -> Fn:
    """:func:`format_value` on one row."""
    f, text = t.fn, _PY_TEXT.get(t.kind, str)
    if t.vocabulary is not None:
        labels = dict(t.vocabulary)

        def text(v: Any) -> str:
            return labels.get(str(v), str(v))

    def fmt(row: Row) -> str:
        v = f(row)
        return UNKNOWN if v is None else text(v)

    return fmt


def format_value(t: Typed) -> pl.Expr:
    """Render one value for a sentence; unknown renders as 未知, a code as its Chinese label."""
    if t.vocabulary is not None:
        text = t.expr.cast(pl.String).replace(list(t.vocabulary), list(t.vocabulary.values()))
    elif t.kind == "money":
        text = money_text(t.expr)
    elif t.kind == "num":
        text = t.expr.round(2).cast(pl.String)
    elif t.kind == "bool":
        text = pl.when(t.expr).then(pl.lit("是")).otherwise(pl.lit("否"))
    else:
        text = t.expr.cast(pl.String)
    return pl.when(t.expr.is_null()).then(pl.lit(UNKNOWN)).otherwise(text)


def compile_template(template: str, scope: Scope) -> Typed | None:
    """Compile ``template`` to a string expression; None for an empty template."""
    if not template:
        return None
    parts: list[pl.Expr] = []
    pieces: list[Fn] = []
    used: list[Typed] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append(pl.lit(template[pos : m.start()]))
            pieces.append(_literal(template[pos : m.start()]))
        try:
            value = Compiler(scope).compile(m.group(1))
        except ExprError as exc:
            raise ExprError(f"说明文字中的 {{{m.group(1)}}} 无法解析：{exc.message}", exc.fix) from None
        used.append(value)
        parts.append(format_value(value))
        pieces.append(format_value_py(value))
        pos = m.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
        pieces.append(_literal(template[pos:]))
    if not used:
        return Typed(pl.lit(template), "str", const=template, fn=_literal(template))

    def render(row: Row) -> str:
        return "".join([p(row) for p in pieces])

    return combine(pl.concat_str(parts), "str", *used, fn=render)


def _literal(text: str) -> Fn:
    def lit(row: Row) -> str:
        return text

    return lit
