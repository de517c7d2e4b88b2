"""Reading xlsx, xls and csv files row by row, with the row numbers Excel shows.

Excel files are read with python-calamine, in a child process (sandbox.py), so each
cell keeps the type Excel stored (a number stays a float: an ID number saved as a
number is caught, never guessed). CSV files may be UTF-8 (with or without BOM) or
GBK/GB18030.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from niangjia.core.tabular.errors import ImportFileError
from niangjia.core.tabular.limits import ReadLimits, bounds_text, read_limits
from niangjia.core.tabular.sandbox import excel_rows

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A CSV record (its line, or lines within quotes) longer than this is refused unparsed.
MAX_CSV_RECORD_CHARS = 1 << 20


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
    """Yield (Excel row number, cells) for every row of the first sheet, or of the CSV.

    Reading is bounded (docs/import.md, "Bounds"): Excel files are read in a child process
    under memory and time limits; CSV files line by line with bounded lines and rows.
    """
    check_size(path.stat().st_size, limit)
    kind = file_format(path)
    if kind == "csv":
        yield from _csv_rows(path, read_limits())
    else:
        yield from excel_rows(path, kind=kind, limits=read_limits())


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


def _csv_rows(path: Path, limits: ReadLimits) -> Iterator[tuple[int, list[Any]]]:
    encoding = csv_encoding(path)
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
        lines = _BoundedLines(stream)
        try:
            sample = stream.read(8192)
            stream.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
            except csv.Error:
                dialect = csv.excel
            for number, cells in enumerate(csv.reader(lines, dialect), start=1):
                _check_csv_row(number, cells, limits)
                lines.record_done()
                yield number, cells
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "CSV 文件的编码无法识别。请用 Excel 打开后另存为 .xlsx 或 UTF-8 的 CSV 再导入。"
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(_csv_error_message(exc, lines.records + 1)) from exc


class _BoundedLines:
    """The lines of a CSV stream, refusing a record (one or more lines) longer than MAX_CSV_RECORD_CHARS.

    csv.reader would otherwise take a line of any length into memory, and a line of ten
    million commas into a list of ten million fields.
    """

    def __init__(self, stream: io.TextIOWrapper) -> None:
        self.stream = stream
        self.records = 0
        self._used = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(MAX_CSV_RECORD_CHARS + 1 - self._used)
        if not line:
            raise StopIteration
        self._used += len(line)
        if self._used > MAX_CSV_RECORD_CHARS:
            raise ImportFileError(
                f"CSV 文件第 {self.records + 1} 行过长（超过 {MAX_CSV_RECORD_CHARS:,} 个字符），"
                "不像是正常的名册文件。请检查该行（是否有大量逗号或极长的内容），或用 Excel 打开后另存为 .xlsx 再导入。"
            )
        return line

    def record_done(self) -> None:
        self.records += 1
        self._used = 0


def _check_csv_row(number: int, cells: list[str], limits: ReadLimits) -> None:
    if len(cells) > limits.max_columns:
        raise ImportFileError(
            f"CSV 文件第 {number} 行有 {len(cells)} 列，超过上限（{bounds_text(limits)}）。"
            "请删除多余的空列（行末多余的逗号）后再导入。"
        )
    if number > limits.max_rows:
        raise ImportFileError(
            f"CSV 文件超过 {limits.max_rows} 行的上限。请删除末尾多余的空行；行数确实很多时，请把文件拆成几个较小的文件分别导入。"
        )


def _csv_error_message(exc: csv.Error, number: int) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"CSV 文件第 {number} 行有一个单元格超过 {csv.field_size_limit() // 1024} KB，"
            "不像是正常的名册内容（常见原因是引号没有配对）。请检查该行后再导入。"
        )
    return f"CSV 文件第 {number} 行格式有误（{exc}）。"
