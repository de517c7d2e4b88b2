"""Chinese sentences from templates such as ``家庭月人均纯收入 {pc} 元低于低保 {dibao} 元``.

A template is compiled once into a Polars ``concat_str``: the placeholders are names from the
policy's scope, formatted by kind (money as yuan with 2 decimals, dates ISO, booleans 是/否).
So the per-person explanation comes from the same columns as the bulk result.
"""

from __future__ import annotations

import re

import polars as pl

from niangjia.rules.expr import Compiler, ExprError, Scope, Typed, combine, round_fen

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
UNKNOWN = "未知"


def money_text(fen: pl.Expr) -> pl.Expr:
    """Format fen (int or fractional) as yuan with exactly two decimals, rounding half-up."""
    f = round_fen(fen)
    a = f.abs()
    return pl.concat_str(
        [
            pl.when(f < 0).then(pl.lit("-")).otherwise(pl.lit("")),
            (a // 100).cast(pl.String),
            pl.lit("."),
            (a % 100).cast(pl.String).str.zfill(2),
        ]
    )


def format_value(t: Typed) -> pl.Expr:
    """Render one value for a sentence; unknown renders as 未知."""
    if t.kind == "money":
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
    used: list[Typed] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append(pl.lit(template[pos : m.start()]))
        try:
            value = Compiler(scope).compile(m.group(1))
        except ExprError as exc:
            raise ExprError(f"说明文字中的 {{{m.group(1)}}} 无法解析：{exc.message}", exc.fix) from None
        used.append(value)
        parts.append(format_value(value))
        pos = m.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
    if not used:
        return Typed(pl.lit(template), "str", const=template)
    return combine(pl.concat_str(parts), "str", *used)
