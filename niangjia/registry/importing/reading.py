"""Reading xlsx, xls and csv files row by row, with the row numbers Excel shows.

Excel files are read with python-calamine directly, so each cell keeps the type
Excel stored (a number stays a float: an ID number saved as a number is caught,
never guessed). CSV files may be UTF-8 (with or without BOM) or GBK/GB18030.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from niangjia.registry.importing.result import ImportFileError

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_bytes() -> int:
    """The largest file accepted (setting NIANGJIA_IMPORT_MAX_BYTES, default 50 MB)."""
    return int(settings.NIANGJIA_IMPORT_MAX_BYTES)


def check_size(size: int, limit: int | None = None) -> None:
    """Refuse a file larger than `limit` (default: the configured upload limit)."""
    limit = limit or max_bytes()
    if size > limit:
        raise ImportFileError(
            f"文件过大：{size / 1024 / 1024:.1f} MB，超过上限 {limit / 1024 / 1024:.0f} MB。"
            "请把文件拆成几个较小的文件分别导入。"
        )


def file_format(path: Path) -> str:
    """Return "xlsx", "xls" or "csv", from the file's first bytes (names can lie)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head == _OLE_MAGIC:
        return "xls"
    if path.suffix.lower() in {".xlsx", ".xls", ".xlsm"} and head:
        raise ImportFileError("文件不是有效的 Excel 文件，可能已损坏。请用 Excel 打开后另存为 .xlsx 再导入。")
    return "csv"


def read_rows(path: Path, *, limit: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Yield (Excel row number, cells) for every row of the first sheet, or of the CSV."""
    check_size(path.stat().st_size, limit)
    kind = file_format(path)
    if kind == "csv":
        yield from _csv_rows(path)
    else:
        yield from _excel_rows(path)


def _excel_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(str(path))
        if not workbook.sheet_names:
            raise ImportFileError("Excel 文件中没有工作表。")
        sheet = workbook.get_sheet_by_index(0)
        # iter_rows starts at row 1 even when the first rows are empty, so the
        # position is the row number Excel shows.
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, list(cells)
    except (CalamineError, ValueError, OSError) as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise ImportFileError(f"Excel 文件无法读取（{exc}）。请用 Excel 打开后另存为 .xlsx 再导入。") from exc


def csv_encoding(path: Path) -> str:
    """Return the encoding of a CSV file: utf-8-sig, utf-16, utf-8 or gb18030 (a superset of GBK)."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = csv_encoding(path)
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
        try:
            sample = stream.read(8192)
            stream.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
            except csv.Error:
                dialect = csv.excel
            for number, cells in enumerate(csv.reader(stream, dialect), start=1):
                yield number, list(cells)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "CSV 文件的编码无法识别。请用 Excel 打开后另存为 .xlsx 或 UTF-8 的 CSV 再导入。"
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(f"CSV 文件格式有误（{exc}）。") from exc
