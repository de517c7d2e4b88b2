"""Read the five input tables from a workbook or a directory of files; write results to a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final

import polars as pl
from python_calamine import CalamineError, CalamineWorkbook

from niangjia.rules.tables.checks import ROW
from niangjia.rules.tables.schema import TABLES


def _cell_text(value: Any) -> str | None:
    """One Excel cell as the text a CSV would hold, so the schema types both sources alike."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Excel keeps every number as a float: 610102.0 is the code 610102, 12.5 stays 12.5.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sheet_frame(rows: list[list[Any]], first_row: int = 1) -> pl.DataFrame:
    """A sheet (first row = column names) as a frame of text columns; empty rows are dropped.

    ``__row`` keeps each row's number in the sheet (``first_row`` is the header's), so problems
    are reported where the user will look for them.
    """
    if not rows:
        return pl.DataFrame()
    header = [_cell_text(h) for h in rows[0]]
    keep = [(i, str(h).strip()) for i, h in enumerate(header) if h is not None and str(h).strip()]
    data: dict[str, list[str | None]] = {name: [] for _, name in keep}
    numbers: list[int] = []
    for n, row in enumerate(rows[1:], start=first_row + 1):
        cells = [_cell_text(row[i]) if i < len(row) else None for i, _ in keep]
        if all(c is None for c in cells):
            continue
        numbers.append(n)
        for (_, name), cell in zip(keep, cells, strict=True):
            data[name].append(cell)
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    return frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64))


# Result files are written once and read whole (loaded into the database, opened by analysts):
# lz4 writes a screening's results about 15 % faster than zstd, for files about twice as large.
RESULTS_COMPRESSION: Final = "lz4"
# A single results file keeps null counts but no min/max per row group: its row groups follow the
# input's order (policy by policy), so household-id ranges overlap and a reader can rarely skip
# one, while computing them costs 30 ms of the 180 ms it takes to write 3M rows. The parts of a
# chunked screening do cover ranges of household ids, and keep full statistics (tools.screen_chunked).
RESULTS_STATISTICS: Final = {"min": False, "max": False, "distinct_count": False, "null_count": True}


def read_workbook(path: str | Path) -> dict[str, pl.DataFrame | pl.LazyFrame | None]:
    """Read the sheets named after the tables from an ``.xlsx`` file, every cell as text."""
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:  # damaged, encrypted or not a workbook at all
        raise ValueError(
            f"{Path(path).name} 不是可以读取的 Excel 文件（{exc}）。请用 Excel 打开后另存为 .xlsx"
        ) from exc
    try:
        names = list(book.sheet_names)
        unknown = set(names) - set(TABLES)
        if unknown:
            raise ValueError(f"工作簿中有未知的工作表 {sorted(unknown)}；工作表名应为 {sorted(TABLES)}")
        out: dict[str, pl.DataFrame | pl.LazyFrame | None] = dict.fromkeys(TABLES)
        for name in names:
            sheet = book.get_sheet_by_name(name)
            start = sheet.start  # (row, column) of the used range, 0-based; None for an empty sheet
            out[name] = _sheet_frame(sheet.to_python(), first_row=start[0] + 1 if start else 1)
    finally:
        book.close()
    if out["households"] is None:
        raise ValueError(f"{path} 中没有 households 工作表")
    return out


def _scan(src: Path, name: str) -> pl.DataFrame | pl.LazyFrame | None:
    parquet, parts, csv = src / f"{name}.parquet", src / name, src / f"{name}.csv"
    if parquet.exists():
        return pl.scan_parquet(parquet)
    if parts.is_dir() and any(parts.glob("*.parquet")):
        return pl.scan_parquet(parts / "*.parquet")  # a table written in parts (large extracts)
    if csv.exists():
        return _read_csv(csv)
    return None


def _read_csv(path: Path) -> pl.DataFrame:
    """A CSV file, every cell as text (the schema decides types, so "007" and "610102" survive).

    UTF-8, with or without BOM; a file that is not UTF-8 is read as GB18030 (a superset of GBK,
    what Excel writes for Chinese CSV). ``__row`` is the line in the file (the header is line 1).
    """
    options: dict[str, Any] = {"infer_schema": False, "row_index_name": ROW, "row_index_offset": 2}
    try:
        try:
            return pl.read_csv(path, **options)
        except pl.exceptions.ComputeError as exc:
            if "utf-8" not in str(exc):
                raise
            return pl.read_csv(path, encoding="gb18030", **options)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        reason = str(exc).strip().splitlines()[0]
        raise ValueError(
            f"{path.name} 无法读取（{reason}）。请用 Excel 打开后另存为 .xlsx，或另存为 UTF-8 编码的 CSV"
        ) from exc


def read_tables(path: str | Path) -> dict[str, pl.DataFrame | pl.LazyFrame | None]:
    """Read sheets (xlsx) or files (``<table>.csv`` / ``<table>.parquet`` / ``<table>/*.parquet``)."""
    src = Path(path)
    if src.is_file():
        return read_workbook(src)
    out: dict[str, pl.DataFrame | pl.LazyFrame | None] = {name: _scan(src, name) for name in TABLES}
    if out["households"] is None:
        raise ValueError(f"{src} 中没有 households.csv 或 households.parquet")
    return out


def flatten(results: pl.DataFrame) -> pl.DataFrame:
    """Make results spreadsheet-friendly: lists become 、-joined text, categories plain text."""
    return results.with_columns(
        pl.col("missing_facts").list.join("、"),
        pl.col("missing_documents").list.join("、"),
        pl.col("missing_fact_persons").list.eval(pl.element().fill_null("")).list.join("、"),
        pl.col(pl.Categorical, pl.Enum).cast(pl.String),
    )


def write_results(results: pl.DataFrame, output: str | Path) -> None:
    """Write results to ``.xlsx`` (one sheet ``results``), ``.csv`` or ``.parquet``."""
    out = Path(output)
    if out.suffix == ".parquet":
        results.write_parquet(out, compression=RESULTS_COMPRESSION, statistics=RESULTS_STATISTICS)
    elif out.suffix == ".csv":
        flatten(results).write_csv(out)
    else:
        flatten(results).write_excel(out, worksheet="results")
