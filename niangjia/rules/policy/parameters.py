"""Dated, region-indexed parameters (低保标准, 最低工资 …) and their resolution.

A parameter maps GB/T 2260 region codes to dated values. For a region and an as-of date we take
the region's latest value in force; a region without one uses its nearest ancestor
(610122 → 610100 → 610000), so one city-wide row serves all its districts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl


@dataclass(frozen=True)
class Parameter:
    """One parameter: values per region, each a list of (from date, value) sorted by date."""

    name: str
    label: str
    unit: str  # "yuan" (money, stored as fen) | "number"
    values: Mapping[str, tuple[tuple[dt.date, Decimal | Mapping[str, Decimal]], ...]]
    keys: tuple[str, ...] = ()  # non-empty when each value is a mapping (e.g. amount per level)
    reference: str = ""


def ancestors(code: str) -> list[str]:
    """Return ``code`` and its ancestors, nearest first (12/9-digit codes climb to the county)."""
    chain = [code]
    while True:
        c = chain[-1]
        if len(c) > 6:
            parent = c[:9] if len(c) > 9 else c[:6]
        elif len(c) == 6 and c[4:] != "00":
            parent = c[:4] + "00"
        elif len(c) == 6 and c[2:] != "0000":
            parent = c[:2] + "0000"
        else:
            return chain
        chain.append(parent)


def resolve(param: Parameter, region: str | None, as_of: dt.date) -> Decimal | Mapping[str, Decimal] | None:
    """Value of ``param`` in ``region`` on ``as_of``; None when no region up the tree has one."""
    if not region:
        return None
    for code in ancestors(region):
        in_force = [v for start, v in param.values.get(code, ()) if start <= as_of]
        if in_force:
            return in_force[-1]
    return None


def column_name(param: str, key: str | None = None) -> str:
    """Column holding a resolved parameter in the screening frames."""
    return f"__p_{param}" if key is None else f"__p_{param}__{key}"


def cell_value(value: Decimal | None, unit: str) -> int | float | None:
    """A resolved value as the screening frames hold it: fen for money, a float otherwise."""
    if value is None:
        return None
    return int(value * 100) if unit == "yuan" else float(value)


def param_frame(params: Iterable[Parameter], regions: Iterable[str | None], as_of: dt.date) -> pl.DataFrame:
    """One row per region code with every parameter resolved (money in fen)."""
    codes = sorted({r for r in regions if r})
    data: dict[str, list[object]] = {"region_code": list(codes)}
    schema: dict[str, pl.DataType] = {"region_code": pl.String()}
    for p in params:
        dtype: pl.DataType = pl.Int64() if p.unit == "yuan" else pl.Float64()
        resolved = [resolve(p, code, as_of) for code in codes]
        for key in p.keys or (None,):
            col = column_name(p.name, key)
            schema[col] = dtype
            data[col] = [
                cell_value(v.get(key) if isinstance(v, Mapping) else v, p.unit)  # type: ignore[arg-type]
                if v is not None
                else None
                for v in resolved
            ]
    return pl.DataFrame(data, schema=schema)
