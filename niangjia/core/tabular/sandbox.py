"""Reading an Excel file in a child process, so that no file can take the web process down.

The child (sandbox_child.py) checks the package and the sheet's reach before calamine
allocates anything, runs under an address-space and a CPU limit, and streams the rows
back as JSON lines with dates tagged, so the cells keep calamine's types. The parse (up
to the first row) has a wall-clock limit too; after that the child waits on the pipe,
paced by the import, and only its CPU time counts.
"""

from __future__ import annotations

import datetime
import json
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from niangjia.core.tabular.errors import ImportFileError
from niangjia.core.tabular.limits import ReadLimits, bounds_text, count_text

CHILD = Path(__file__).with_name("sandbox_child.py")
RESAVE = "请用 Excel 打开后另存为 .xlsx 再导入。"
SPLIT = "请删除多余的工作表和空行空列后另存再导入；内容确实很多时，请把文件拆成几个较小的文件分别导入。"


def excel_rows(path: Path, *, kind: str, limits: ReadLimits) -> Iterator[tuple[int, list[Any]]]:
    """Yield (Excel row number, cells) of the first sheet of an xlsx or xls file, read in a child."""
    with tempfile.TemporaryFile() as errors:
        child = _start(path, kind, limits, errors)
        timer = _Deadline(child, limits.seconds)
        try:
            assert child.stdout is not None
            yield from _decoded(child.stdout, timer, limits)
        except _ChildDied:
            child.wait()
            raise ImportFileError(_death_message(child.returncode, errors, timer.expired, limits)) from None
        finally:
            timer.cancel()
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()  # type: ignore[union-attr]


def _start(path: Path, kind: str, limits: ReadLimits, errors: IO[bytes]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(  # noqa: S603 - our own script, the file path as an argument
            [sys.executable, "-I", str(CHILD), str(path), json.dumps(limits.for_child(kind))],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, bufsize=1 << 16,
            env={"RUST_BACKTRACE": "0", "LC_ALL": "C.UTF-8"},
        )  # fmt: skip
    except OSError as exc:  # no process to be had (the server is at its limits)
        raise ImportFileError("服务器暂时无法读取文件，请稍后再试。") from exc


class _ChildDied(Exception):
    """The child's output ended without its end record."""


class _Deadline:
    """Kill the child unless the parse is done within `seconds`."""

    def __init__(self, child: subprocess.Popen[bytes], seconds: float) -> None:
        self.expired = False
        self._child = child
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        self._child.kill()

    def cancel(self) -> None:
        self._timer.cancel()


def _decoded(stream: IO[bytes], deadline: _Deadline, limits: ReadLimits) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    for line in stream:
        try:
            record = json.loads(line, object_hook=_untagged)
        except ValueError as exc:
            raise _ChildDied from exc
        if isinstance(record, list):
            number += 1
            yield number, record
        elif "ready" in record:
            deadline.cancel()
        elif "end" in record:
            return
        else:
            raise ImportFileError(refusal_message(record, limits))
    raise _ChildDied


def _untagged(tagged: dict[str, Any]) -> Any:
    if "datetime" in tagged:
        return datetime.datetime.fromisoformat(tagged["datetime"])
    if "date" in tagged:
        return datetime.date.fromisoformat(tagged["date"])
    if "time" in tagged:
        return datetime.time.fromisoformat(tagged["time"])
    if "timedelta" in tagged:
        days, seconds, microseconds = tagged["timedelta"]
        return datetime.timedelta(days=days, seconds=seconds, microseconds=microseconds)
    return tagged


def refusal_message(record: dict[str, Any], limits: ReadLimits) -> str:
    """The Chinese message for an error record of the child."""
    code = record.get("error")
    if code == "declared_range":
        cells = record["rows"] * record["columns"]
        return (
            f"文件声明的工作表范围为 {record['ref']}（约 {count_text(cells)}个单元格），"
            f"超过上限（{bounds_text(limits)}）。这通常是表格下方或右侧有大量设置过格式的空行空列；"
            "请删除多余的空行空列后另存再导入。"
        )
    if code == "actual_range":
        where = f"单元格 {record['ref']}" if record.get("ref") else f"第 {record['rows']} 行、第 {record['columns']} 列"
        return (
            f"工作表的内容一直延伸到{where}，超过上限（{bounds_text(limits)}）。"
            "请删除多余的空行空列（包括远处看不见的单元格）后另存再导入；行数确实超过上限时，请把文件拆成几个较小的文件分别导入。"
        )
    if code == "unpacked_size":
        return (
            f"文件解压后约 {record['unpacked'] // 2**20} MB，超过上限 {limits.max_unpacked_bytes // 2**20} MB。{SPLIT}"
        )
    if code == "ratio":
        return (
            f"文件中的“{record['part']}”压缩比约为 {record['ratio']} 倍，超过上限 {limits.max_ratio} 倍，"
            f"不像是正常的 Excel 文件（可能是恶意构造的“压缩炸弹”），不予读取。{RESAVE}"
        )
    if code == "memory":
        return _memory_message(limits)
    if code == "no_sheet":
        return "Excel 文件中没有工作表。"
    return f"Excel 文件无法读取（{record.get('detail', '')}）。{RESAVE}"


def _memory_message(limits: ReadLimits) -> str:
    return f"读取文件时超出内存上限（{limits.memory_bytes // 2**20} MB），文件内容过多或已损坏。{SPLIT}"


def _death_message(returncode: int, errors: IO[bytes], expired: bool, limits: ReadLimits) -> str:
    if expired or returncode == -signal.SIGXCPU:
        return f"读取文件超过 {limits.seconds:g} 秒仍未完成，文件内容过多或已损坏。{SPLIT}"
    errors.seek(0)
    said = errors.read(4096)
    if b"memory allocation" in said or b"MemoryError" in said or returncode == -signal.SIGKILL:
        return _memory_message(limits)
    return f"Excel 文件无法读取（读取程序意外退出，代码 {returncode}）。{RESAVE}"
