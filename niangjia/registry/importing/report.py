"""The error report of an import, as an xlsx file the user fixes their sheet from."""

from __future__ import annotations

from typing import IO

from niangjia.core.tabular.report import errors_write
from niangjia.registry.importing.columns import KIND_LABELS
from niangjia.registry.importing.result import ImportResult


def summary_line(result: ImportResult) -> str:
    """One Chinese sentence of counts, for the report, the command and the result page."""
    state = "已导入" if result.committed else "未写入"
    return (
        f"{KIND_LABELS[result.kind]}导入（{state}）：共 {result.rows} 行，新增 {result.new}，更新 {result.updated}，"
        f"无变化 {result.unchanged}，有错误 {result.error_rows} 行（{result.error_count} 处）。"
    )


def report_write(result: ImportResult, stream: IO[bytes] | str) -> None:
    """Write the counts and every kept row error (row, column, value, reason) to an xlsx file."""
    errors_write(result.errors, stream, summary=summary_line(result), error_count=result.error_count)
