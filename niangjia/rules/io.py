"""Read the five input tables from an Excel workbook or a directory; write results to Excel."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from niangjia.rules.schema import TABLES


def read_tables(path: str | Path) -> dict[str, pl.DataFrame | pl.LazyFrame | None]:
    """Read sheets (xlsx) or files (``<table>.csv`` / ``<table>.parquet``) named after the tables."""
    src = Path(path)
    if src.is_file():
        sheets = pl.read_excel(src, sheet_id=0, engine="calamine")
        unknown = set(sheets) - set(TABLES)
        if unknown:
            raise ValueError(f"工作簿中有未知的工作表 {sorted(unknown)}；工作表名应为 {sorted(TABLES)}")
        return {name: sheets.get(name) for name in TABLES}
    out: dict[str, pl.DataFrame | pl.LazyFrame | None] = {}
    for name in TABLES:
        parquet, csv = src / f"{name}.parquet", src / f"{name}.csv"
        if parquet.exists():
            out[name] = pl.scan_parquet(parquet)
        elif csv.exists():
            # Read text as text: the schema decides types, so "007" ids and "610102" codes survive.
            out[name] = pl.scan_csv(csv, infer_schema=False)
        else:
            out[name] = None
    if out["households"] is None:
        raise ValueError(f"{src} 中没有 households.csv 或 households.parquet")
    return out


def flatten(results: pl.DataFrame) -> pl.DataFrame:
    """Make results spreadsheet-friendly: lists become 、-joined text."""
    return results.with_columns(
        pl.col("missing_facts").list.join("、"),
        pl.col("missing_documents").list.join("、"),
        pl.col("status").cast(pl.String),
    )


def write_results(results: pl.DataFrame, output: str | Path) -> None:
    """Write results to ``.xlsx`` (one sheet ``results``), ``.csv`` or ``.parquet``."""
    out = Path(output)
    if out.suffix == ".parquet":
        results.write_parquet(out)
    elif out.suffix == ".csv":
        flatten(results).write_csv(out)
    else:
        flatten(results).write_excel(out, worksheet="results")
