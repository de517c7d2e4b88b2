"""One household's input rows as plain dicts, typed exactly like :func:`schema.normalize_table`.

The scalar path (:mod:`niangjia.rules.scalar`) reads these; the property tests compare the
typing with the Polars normalisation on random values (money from text and floats, booleans
from text).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import polars as pl

from niangjia.rules.schema import _FALSE, _TRUE, TABLES, Column, _convert
from niangjia.rules.typed import Row

_CENT = Decimal("0.01")
_INTS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


# --- input rows, typed exactly like schema.normalize_table ---------------------------------


def _money(value: Any) -> int:
    # Polars casts text and floats to Decimal(18, 2) rounding half-even on the shortest decimal
    # form of the value ("2.675" → 2.68); integers are yuan.
    if isinstance(value, int):
        return value * 100
    d = Decimal(value.strip() if isinstance(value, str) else repr(value) if isinstance(value, float) else value)
    return int(d.quantize(_CENT, rounding=ROUND_HALF_EVEN) * 100)


def _text_money(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    return _money(value)


def _text_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    low = value.strip().lower()
    return True if low in _TRUE else False if low in _FALSE else None


_SAME: Callable[[Any], Any] = lambda v: v  # noqa: E731


def _converter(spec: Column, dtype: pl.DataType) -> Callable[[Any], Any] | None:
    """A Python converter for a column of ``dtype``, or None to let Polars convert it."""
    kind = spec.kind
    if kind == "str" and dtype == pl.String:
        return lambda v: v if v != "" else None
    if (
        (kind == "int" and dtype in _INTS)
        or (kind == "bool" and dtype == pl.Boolean)
        or (kind == "date" and dtype == pl.Date)
    ):
        return _SAME
    if kind == "bool" and dtype == pl.String:
        return _text_bool
    if kind == "money":
        if dtype == pl.String:
            return _text_money
        if dtype in _INTS or dtype.is_float() or isinstance(dtype, pl.Decimal):
            return _money
    return None


def table_rows(name: str, frame: pl.DataFrame | pl.LazyFrame | None) -> list[Row]:
    """``frame``'s rows with exactly the schema's columns, typed (``normalize_table`` on dicts)."""
    spec = TABLES[name]
    if frame is None:
        return []
    df = frame if isinstance(frame, pl.DataFrame) else frame.collect()
    if df.height == 0:
        return []
    where = {c: i for i, c in enumerate(df.columns)}
    dtypes = df.dtypes
    plan: list[tuple[str, int | None, Callable[[Any], Any] | None]] = []
    slow = []
    for col, s in spec.items():
        i = where.get(col)
        if i is None:
            plan.append((col, None, None))
            continue
        conv = _converter(s, dtypes[i])
        if conv is None:  # unusual input types: the very Polars conversion of the bulk path
            slow.append(_convert(col, s, dtypes[i]))
            plan.append((col, None, None))
        else:
            plan.append((col, i, None if conv is _SAME else conv))
    rows = []
    for values in df.rows():
        r: Row = {}
        for col, i, conv in plan:
            v = None if i is None else values[i]
            r[col] = v if v is None or conv is None else conv(v)
        rows.append(r)
    if slow:
        for series in df.select(slow).get_columns():
            for r, v in zip(rows, series.to_list(), strict=True):
                r[series.name] = v
    if name == "households":
        for r in rows:
            if r["archive_level"] is None:
                r["archive_level"] = "none"
    return rows
