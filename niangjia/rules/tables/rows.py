"""One household's input rows as plain dicts, typed exactly like :func:`schema.normalize_table`.

The Python backend (:mod:`niangjia.rules.backends.python`) reads these; the property tests compare the
typing with the Polars normalisation on random values (money from text and floats, booleans
from text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import polars as pl

from niangjia.rules.language.typed import Row
from niangjia.rules.tables.schema import (
    FALSE_WORDS,
    FULL_WIDTH,
    HALF_WIDTH,
    TABLES,
    TRUE_WORDS,
    Column,
    Kind,
    convert_column,
)

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


_HALF = str.maketrans(FULL_WIDTH, HALF_WIDTH)


def _clean(value: str) -> str:
    """``schema.clean_text`` on one value."""
    return value.strip().translate(_HALF)


def _parse_money(value: str) -> int | None:
    """``schema.clean_money_text`` then the Decimal cast; raises ArithmeticError on a non-number."""
    text = _clean(value).replace(",", "")
    text = (text[:-1] if text.endswith("元") else text).strip()
    return _money(text) if text else None


def _text_money(value: str | None) -> int | None:
    """Money text as the Polars path reads it: unreadable text is unknown (None)."""
    if value is None:
        return None
    try:
        return _parse_money(value)
    except ArithmeticError:  # decimal.InvalidOperation: not a number
        return None


def _text_bool(value: str | None) -> bool | None:
    if value is None:
        return None
    low = _clean(value).lower()
    return True if low in TRUE_WORDS else False if low in FALSE_WORDS else None


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
            slow.append(convert_column(col, s, dtypes[i]))
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


# --- input rows given as plain Python records (no frames at all) ------------------------------


def _record_str(v: Any) -> str | None:
    s = v if type(v) is str else str(int(v)) if type(v) is float and v.is_integer() else str(v)
    return s or None


def _record_int(v: Any) -> int | None:
    if type(v) is int:
        return v
    if isinstance(v, str):
        s = v.strip()
        return int(s) if s else None
    if isinstance(v, bool | float | Decimal):
        return int(v)
    raise TypeError


def _record_bool(v: Any) -> bool | None:
    if type(v) is bool:
        return v
    if isinstance(v, str):
        b = _text_bool(v)
        if b is None and _clean(v):
            raise ValueError  # text that is neither yes nor no: a mistake, not "unknown"
        return b
    if isinstance(v, int):
        return v != 0
    raise TypeError


def _record_date(v: Any) -> dt.date | None:
    if type(v) is dt.date:
        return v
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, str):
        s = v.strip()
        return dt.date.fromisoformat(s[:10]) if s else None
    raise TypeError


def _record_money(v: Any) -> int | None:
    if isinstance(v, str):
        return _parse_money(v)
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
        raise TypeError
    return _money(v)


_RECORD: dict[Kind, Callable[[Any], Any]] = {
    "str": _record_str,
    "int": _record_int,
    "bool": _record_bool,
    "date": _record_date,
    "money": _record_money,
}
_NATIVE: dict[Kind, type] = {"int": int, "bool": bool, "date": dt.date}
_EXPECTED = {"str": "文本", "int": "整数", "bool": "是/否", "date": "日期（YYYY-MM-DD）", "money": "金额（元）"}


def record_rows(name: str, records: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Plain records (one dict per row) typed like :func:`table_rows`: the frame-free input path.

    Values are Python values as a database cursor or JSON gives them: ``str``, ``int``, ``bool``,
    ``datetime.date`` (or ISO text), money as ``Decimal``, ``int`` yuan, ``float`` or text.
    A key that is not a column of the table, or a value that cannot be read as its column's
    kind, raises ``ValueError`` naming the table, the row, the column and the value.
    """
    spec = TABLES[name]
    # Values already of their column's type pass as they are (text always goes through: "" is unknown).
    convert = [(col, _RECORD[s.kind], _NATIVE.get(s.kind), s.kind) for col, s in spec.items()]
    rows = []
    for n, record in enumerate(records, start=1):
        extra = record.keys() - spec.keys()
        if extra:
            raise ValueError(f"表 {name} 第 {n} 行：没有列 {sorted(extra)}；可用的列见 docs/policies.md")
        r: Row = {}
        for col, conv, native, kind in convert:
            v = record.get(col)
            if v is not None and type(v) is not native:
                try:
                    v = conv(v)
                except (TypeError, ValueError, ArithmeticError):
                    raise ValueError(
                        f"表 {name} 第 {n} 行，列 {col}：{v!r} 不是{_EXPECTED[kind]}；请改为{_EXPECTED[kind]}或留空"
                    ) from None
            r[col] = v
        rows.append(r)
    if name == "households":
        for r in rows:
            if r["archive_level"] is None:
                r["archive_level"] = "none"
    return rows
