"""No uploaded file can take the server down: hostile xlsx and csv files are refused, bounded.

The hostile files are written by hand here, as an attacker would write them. Each refusal
goes through `import_file` (for real, not a dry run) and proves that the message names
the problem and the fix, that nothing was written, and — by the test going on at all —
that the test process survived.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from python_calamine import load_workbook

from niangjia.conftest import Tree
from niangjia.core.models import AuditEntry
from niangjia.core.tabular.reading import read_rows
from niangjia.registry.importing import ImportFileError, import_file
from niangjia.registry.models import Worker
from niangjia.registry.tests.fixtures.sheets import person_id

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def cell(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(dimension: str, rows: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def hand_xlsx(path: Path, sheet: str, extra_parts: dict[str, bytes] | None = None) -> Path:
    """A minimal xlsx package around one sheet's XML, written part by part."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        package.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra_parts or {}).items():
            package.writestr(name, data)
    return path


def far_cell_xlsx(path: Path, *, dimension: str) -> Path:
    """The outside test's file: a cell at A1 and one at XFD1048576 (calamine asks for 512 GB)."""
    rows = f'<row r="1">{cell("A1", "姓名")}</row><row r="1048576">{cell("XFD1048576")}</row>'
    return hand_xlsx(path, sheet_xml(dimension, rows))


def refusal(path: Path, tree: Tree) -> str:
    """Import `path` for real and return the refusal; prove nothing was written."""
    with pytest.raises(ImportFileError) as refused:
        import_file(kind="workers", path=path, user=tree.yanliang_staff)
    assert not Worker.objects.exists()
    assert not AuditEntry.objects.filter(action="registry.import").exists()
    return str(refused.value)


# --- xlsx: the reach of the sheet --------------------------------------------------------


def test_cell_at_xfd1048576_with_honest_dimension_is_refused_unread(tmp_path: Path, tree: Tree) -> None:
    path = far_cell_xlsx(tmp_path / "far.xlsx", dimension="A1:XFD1048576")
    assert path.stat().st_size < 2048

    assert refusal(path, tree) == (
        "文件声明的工作表范围为 A1:XFD1048576（约 171 亿个单元格），超过上限（最多 200000 行、200 列）。"
        "这通常是表格下方或右侧有大量设置过格式的空行空列；请删除多余的空行空列后另存再导入。"
    )


def test_cell_at_xfd1048576_behind_a_lying_dimension_is_refused_unread(tmp_path: Path, tree: Tree) -> None:
    path = far_cell_xlsx(tmp_path / "far.xlsx", dimension="A1")

    assert refusal(path, tree).startswith(
        "工作表的内容一直延伸到单元格 XFD1048576，超过上限（最多 200000 行、200 列）。请删除多余的空行空列"
    )


def test_far_cell_in_a_row_without_number_is_refused_by_its_reference(tmp_path: Path, tree: Tree) -> None:
    rows = f"<row>{cell('A1')}{cell('XFD1')}</row>"
    path = hand_xlsx(tmp_path / "wide.xlsx", sheet_xml("A1", rows))

    assert refusal(path, tree).startswith("工作表的内容一直延伸到单元格 XFD1，超过上限（最多 200000 行、200 列）。")


def test_small_declared_range_with_more_rows_than_the_bound_is_refused(
    tmp_path: Path, tree: Tree, settings: object
) -> None:
    settings.NIANGJIA_IMPORT_MAX_ROWS = 50  # type: ignore[attr-defined]
    rows = "".join(f'<row r="{r}">{cell(f"A{r}")}{cell(f"B{r}")}</row>' for r in range(1, 61))
    path = hand_xlsx(tmp_path / "liar.xlsx", sheet_xml("A1:B2", rows))

    assert refusal(path, tree).startswith("工作表的内容一直延伸到单元格 A51，超过上限（最多 50 行、200 列）。")


def test_rows_without_references_are_counted_after_loading(tmp_path: Path, tree: Tree, settings: object) -> None:
    settings.NIANGJIA_IMPORT_MAX_ROWS = 50  # type: ignore[attr-defined]
    rows = "<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 60
    path = hand_xlsx(tmp_path / "plain.xlsx", sheet_xml("A1", rows))

    assert refusal(path, tree).startswith("工作表的内容一直延伸到第 60 行、第 1 列，超过上限（最多 50 行、200 列）。")


# --- xlsx: the package -------------------------------------------------------------------


def test_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path, tree: Tree, settings: object) -> None:
    settings.NIANGJIA_IMPORT_MAX_UNPACKED_BYTES = 20 * 2**20  # type: ignore[attr-defined]
    padding = b"<!-- " + b" " * (64 * 2**20) + b" -->"
    path = hand_xlsx(tmp_path / "bomb.xlsx", sheet_xml("A1", ""), {"xl/media/padding.xml": padding})
    assert path.stat().st_size < 200_000

    assert refusal(path, tree) == (
        "文件解压后约 64 MB，超过上限 20 MB。请删除多余的工作表和空行空列后另存再导入；"
        "内容确实很多时，请把文件拆成几个较小的文件分别导入。"
    )


def test_part_compressed_beyond_the_ratio_is_refused(tmp_path: Path, tree: Tree) -> None:
    padding = b" " * (4 * 2**20)
    path = hand_xlsx(tmp_path / "dense.xlsx", sheet_xml("A1", ""), {"xl/media/padding.xml": padding})

    message = refusal(path, tree)
    assert message.startswith("文件中的“xl/media/padding.xml”压缩比约为 ")
    assert "倍，超过上限 100 倍，不像是正常的 Excel 文件（可能是恶意构造的“压缩炸弹”），不予读取。" in message


def test_reader_over_its_memory_limit_dies_alone(tmp_path: Path, tree: Tree, settings: object) -> None:
    settings.NIANGJIA_IMPORT_READER_MEMORY_BYTES = 384 * 2**20  # type: ignore[attr-defined]
    # Within the row and column bounds, but 200,000 × 200 cells are 1.2 GB to calamine.
    rows = f'<row r="1">{cell("A1")}</row><row r="200000">{cell("GR200000")}</row>'
    path = hand_xlsx(tmp_path / "heavy.xlsx", sheet_xml("A1:GR200000", rows))

    assert refusal(path, tree) == (
        "读取文件时超出内存上限（384 MB），文件内容过多或已损坏。请删除多余的工作表和空行空列后另存再导入；"
        "内容确实很多时，请把文件拆成几个较小的文件分别导入。"
    )


def test_reader_over_its_time_limit_is_stopped(tmp_path: Path, tree: Tree, settings: object) -> None:
    settings.NIANGJIA_IMPORT_READER_SECONDS = 0.001  # type: ignore[attr-defined]
    path = hand_xlsx(tmp_path / "slow.xlsx", sheet_xml("A1", f'<row r="1">{cell("A1")}</row>'))

    assert refusal(path, tree).startswith("读取文件超过 0.001 秒仍未完成，文件内容过多或已损坏。")


def test_cells_keep_their_types_through_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "types.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamps = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = workbook.add_format({"num_format": "hh:mm:ss"})
    sheet.write_row(0, 0, ["姓名", 610103199001011000.0, 35, True, "＂引号\n换行＂"])
    sheet.write_datetime(1, 0, date(2025, 3, 1), dates)
    sheet.write_datetime(1, 1, datetime(2025, 3, 1, 8, 30, 5), stamps)
    sheet.write_datetime(1, 2, time(8, 30), clock)
    workbook.close()

    expected = list(load_workbook(str(path)).get_sheet_by_index(0).iter_rows())
    read = [cells for _, cells in read_rows(path)]

    assert read == expected
    assert [[type(c) for c in row] for row in read] == [[type(c) for c in row] for row in expected]
    assert isinstance(read[1][1], datetime) and type(read[1][0]) is date


# --- csv -----------------------------------------------------------------------------------


def test_csv_line_of_ten_million_commas_is_refused(tmp_path: Path, tree: Tree) -> None:
    path = tmp_path / "commas.csv"
    path.write_bytes(b"," * 10_000_000 + b"\n")

    assert refusal(path, tree) == (
        "CSV 文件第 1 行过长（超过 1,048,576 个字符），不像是正常的名册文件。"
        "请检查该行（是否有大量逗号或极长的内容），或用 Excel 打开后另存为 .xlsx 再导入。"
    )


def test_csv_giant_field_is_refused_in_bounded_memory(tmp_path: Path, tree: Tree) -> None:
    path = tmp_path / "field.csv"
    with path.open("wb") as handle:
        handle.write("姓名,身份证号\n甲,".encode())
        for _ in range(40):
            handle.write(b"9" * 2**20)
        handle.write(b"\n")

    tracemalloc.start()
    try:
        message = refusal(path, tree)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith("CSV 文件第 2 行过长（超过 1,048,576 个字符）")
    assert peak < 16 * 2**20


def test_csv_field_spanning_lines_past_the_field_limit_is_refused(tmp_path: Path, tree: Tree) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('姓名,身份证号\n甲,"' + ("9" * 1000 + "\n") * 200 + '"\n', encoding="utf-8")

    assert refusal(path, tree) == (
        "CSV 文件第 2 行有一个单元格超过 128 KB，不像是正常的名册内容（常见原因是引号没有配对）。请检查该行后再导入。"
    )


def test_csv_row_with_too_many_fields_is_refused(tmp_path: Path, tree: Tree) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("姓名,身份证号\n甲" + "," * 1000 + "\n", encoding="utf-8")

    assert refusal(path, tree) == (
        "CSV 文件第 2 行有 1001 列，超过上限（最多 200000 行、200 列）。请删除多余的空列（行末多余的逗号）后再导入。"
    )


def test_csv_with_more_rows_than_the_bound_is_refused(tmp_path: Path, tree: Tree, settings: object) -> None:
    settings.NIANGJIA_IMPORT_MAX_ROWS = 5  # type: ignore[attr-defined]
    path = tmp_path / "long.csv"
    lines = ["姓名,身份证号,工作单位"] + [f"甲{n},{person_id(n)},阎良航空配件厂" for n in range(10)]
    path.write_text("\n".join(lines), encoding="utf-8")

    assert refusal(path, tree) == (
        "CSV 文件超过 5 行的上限。请删除末尾多余的空行；行数确实很多时，请把文件拆成几个较小的文件分别导入。"
    )


# --- the web upload ------------------------------------------------------------------------


def test_upload_of_the_far_cell_file_gets_a_400_page_with_the_message(
    client: Client, tree: Tree, tmp_path: Path, settings: object
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    client.force_login(tree.yanliang_staff)
    data = far_cell_xlsx(tmp_path / "far.xlsx", dimension="A1:XFD1048576").read_bytes()

    response = client.post(
        reverse("registry:import"),
        {"kind": "workers", "file": SimpleUploadedFile("名册.xlsx", data, content_type="application/octet-stream")},
    )

    assert response.status_code == 400
    assert "文件声明的工作表范围为 A1:XFD1048576（约 171 亿个单元格），超过上限" in response.content.decode()
    assert not Worker.objects.exists()
    assert list((tmp_path / "media" / "imports").iterdir()) == []
