"""The child process that reads an Excel file for an import, under memory and CPU limits.

Run by path (`python -I sandbox_child.py FILE LIMITS_JSON`), never imported by the web
process: it needs no Django and nothing of niangjia, only the standard library and
python-calamine. It limits itself first (address space, CPU time, no core file), then,
for an xlsx, checks the package before calamine sees it — unpacked size, compression ratio, the first sheet's declared range and the furthest cell actually
referenced — because calamine allocates the whole rectangle up to the furthest cell at
once (one cell at XFD1048576 asks for 512 GB).

Output on stdout, one JSON value a line: a list is a row of cells (dates and times tagged
as {"date": iso}, {"datetime": iso}, {"time": iso}, {"timedelta": [days, seconds, µs]});
an object is a control record: {"ready": …} once the sheet is loaded, {"end": true} after
the last row, or {"error": code, …} — the parent turns codes into messages.
"""

from __future__ import annotations

import datetime
import json
import posixpath
import re
import resource
import sys
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree

# A part larger than this is not worth a ratio test (nothing small can hurt).
RATIO_FLOOR_BYTES = 1 << 20
# workbook.xml and its rels are small; larger ones are refused unparsed.
MAX_INDEX_PART_BYTES = 4 << 20
# Cell references are found in 1 MB windows overlapping by more than the longest match.
_TAG_SPAN = 128
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]{0,256}?\bref\s*=\s*[\"']([^\"']{1,64})[\"']")
# The r attribute of any element (in practice <row r="5"> and <c r="B5">): a stray match only
# makes the check stricter, and a reference written to slip past it (say, with a hundred
# spaces around "=") meets the memory limit instead.
_REFERENCE = re.compile(rb"\sr\s{0,32}=\s{0,32}[\"']([A-Za-z]{0,4})(\d{1,10})")
_CELL = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,10})")


class Refused(Exception):
    """The file is refused; `record` is the error record sent to the parent."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code)
        self.record = {"error": code, **details}


def main(path: str, limits: dict[str, Any]) -> None:
    _limit_self(memory_bytes=limits["memory_bytes"], cpu_seconds=limits["cpu_seconds"])
    out = open(sys.stdout.fileno(), "wb", buffering=1 << 16, closefd=False)  # noqa: SIM115 - stdout, flushed below
    try:
        if limits["kind"] == "xlsx":
            check_package(path, limits)
        for line in _rows(path, limits):
            out.write(json.dumps(line, ensure_ascii=False, default=_tagged).encode() + b"\n")
            if isinstance(line, dict):  # {"ready": …}: let the parent stop its parse clock
                out.flush()
    except Refused as refusal:
        out.write(json.dumps(refusal.record, ensure_ascii=False).encode() + b"\n")
    except MemoryError:
        out.write(b'{"error": "memory"}\n')
    out.flush()


def _limit_self(*, memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def check_package(path: str, limits: dict[str, Any]) -> None:
    """Refuse an xlsx whose parts unpack too large, or whose first sheet reaches too far."""
    try:
        with zipfile.ZipFile(path) as package:
            _check_sizes(package.infolist(), limits)
            parts = _first_sheet_parts(package)
            for part in parts:
                with package.open(part) as stream:
                    _check_reach(stream, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, EOFError, OSError) as exc:
        raise Refused("unreadable", detail=str(exc) or type(exc).__name__) from exc


def _check_sizes(members: list[zipfile.ZipInfo], limits: dict[str, Any]) -> None:
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits["max_unpacked_bytes"]:
        raise Refused("unpacked_size", unpacked=unpacked, packed=sum(m.compress_size for m in members))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limits["max_ratio"]:
            raise Refused("ratio", part=member.filename, ratio=round(ratio))


def _first_sheet_parts(package: zipfile.ZipFile) -> list[str]:
    """The part calamine reads as sheet index 0; all worksheets when that cannot be told."""
    names = set(package.namelist())
    if "xl/workbook.xml" not in names:  # not an xlsx: leave calamine no other zip format to try
        raise Refused("unreadable", detail="no xl/workbook.xml")
    try:
        workbook = _small_xml(package, "xl/workbook.xml")
        rels = _small_xml(package, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return _all_worksheets(names)
    first = next((el for el in workbook.iter() if _local(el.tag) == "sheet"), None)
    rel_id = next((v for k, v in first.attrib.items() if _local(k) == "id"), "") if first is not None else ""
    targets = {el.get("Id"): el.get("Target", "") for el in rels.iter() if _local(el.tag) == "Relationship"}
    target = targets.get(rel_id) or ""
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return [part] if target and part in names else _all_worksheets(names)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _all_worksheets(names: set[str]) -> list[str]:
    return sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _small_xml(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = package.getinfo(name)
    if info.file_size > MAX_INDEX_PART_BYTES:
        raise Refused("unreadable", detail=f"{name} too large")
    data = package.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Refused("unreadable", detail=f"{name} declares a DTD")
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD (refused above), size bounded


def _check_reach(stream: IO[bytes], limits: dict[str, Any]) -> None:
    """Refuse a sheet declaring, or referencing, a cell beyond the row or column bound."""
    max_rows, max_columns = limits["max_rows"], limits["max_columns"]
    head = stream.read(64 << 10)
    if declared := _DIMENSION.search(head):
        ref = declared.group(1).decode("ascii", "replace")
        rows, columns = _range_size(ref)
        if rows > max_rows or columns > max_columns:
            raise Refused("declared_range", ref=ref, rows=rows, columns=columns)
    window = head
    while window:
        found: list[tuple[bytes, bytes]] = _REFERENCE.findall(window)
        if found:
            rows = max(int(digits) for _, digits in found)
            columns = max(column_number(letters.decode()) for letters in {letters for letters, _ in found})
            if rows > max_rows or columns > max_columns:
                raise Refused("actual_range", **_far_reference(found, max_rows, max_columns))
        chunk = stream.read(1 << 20)
        window = window[-_TAG_SPAN:] + chunk if chunk else b""


def _far_reference(found: list[tuple[bytes, bytes]], max_rows: int, max_columns: int) -> dict[str, Any]:
    """The first reference past a bound, a cell's rather than a row's if there is one."""
    beyond = [
        (letters.decode().upper(), int(digits))
        for letters, digits in found
        if int(digits) > max_rows or column_number(letters.decode()) > max_columns
    ]
    letters, row = next((ref for ref in beyond if ref[0]), beyond[0])
    return {"ref": f"{letters}{row}" if letters else "", "rows": row, "columns": column_number(letters)}


def _range_size(ref: str) -> tuple[int, int]:
    """(rows, columns) from A1 up to the last cell of a range such as "A1:XFD1048576"."""
    cells = [_CELL.fullmatch(part.strip()) for part in ref.split(":")]
    rows = max((int(c.group(2)) for c in cells if c), default=0)
    columns = max((column_number(c.group(1)) for c in cells if c), default=0)
    return rows, columns


def column_number(letters: str) -> int:
    """1 for A, 27 for AA, 16384 for XFD."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _rows(path: str, limits: dict[str, Any]) -> Iterator[Any]:
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(path)
        if not workbook.sheet_names:
            raise Refused("no_sheet")
        sheet = workbook.get_sheet_by_index(0)
        rows, columns = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
        if rows > limits["max_rows"] or columns > limits["max_columns"]:
            raise Refused("actual_range", ref="", rows=rows, columns=columns)
        yield {"ready": True, "rows": rows, "columns": columns}
        yield from sheet.iter_rows()
    except (CalamineError, ValueError, OSError) as exc:
        raise Refused("unreadable", detail=str(exc)) from exc
    yield {"end": True}


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"timedelta": [value.days, value.seconds, value.microseconds]}
    raise TypeError(f"cell of type {type(value).__name__}")


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
