"""The `import` command, the error report and the templates (round trip)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from python_calamine import load_workbook

from niangjia.conftest import Tree
from niangjia.registry.importing import KINDS, import_file, template_write
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.tests.fixtures.sheets import enterprise, person_id, uscc, write_csv, write_xlsx


def rows_of(path: Path) -> list[list[object]]:
    return [list(r) for r in load_workbook(str(path)).get_sheet_by_index(0).iter_rows()]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_has_every_header_and_dropdowns(kind: str) -> None:
    stream = io.BytesIO()
    template_write(kind, stream)

    headers = rows_of_bytes(stream.getvalue())[0]
    assert headers == [column.header for column in KINDS[kind]]
    sheet_xml = zipfile.ZipFile(io.BytesIO(stream.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    if kind == "workers":
        assert 'type="list"' in sheet_xml and "选项!$A$1:$A$2" in sheet_xml  # 性别: 男、女


def rows_of_bytes(data: bytes) -> list[list[object]]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).get_sheet_by_index(0).iter_rows()]


def test_template_round_trip(tmp_path: Path, tree: Tree) -> None:
    """Download the template, fill it in (as a user would, keeping its headers), import it."""
    template = tmp_path / "template.xlsx"
    call_command("import", "enterprises", str(template), "--template", stdout=io.StringIO())
    headers = [str(h) for h in rows_of(template)[0]]
    filled = {"企业名称": "凤凰路餐饮店", "统一社会信用代码": uscc(11), "经济类型": "个体", "规模": "微型",
              "平台企业": "否", "行业门类": "H 住宿和餐饮业", "所在区划": "610114001", "职工人数": "6"}  # fmt: skip
    path = write_xlsx(tmp_path / "filled.xlsx", [headers, [filled.get(h) for h in headers]])

    out = io.StringIO()
    call_command("import", "enterprises", str(path), "--user", "yl_staff", stdout=out)

    assert "新增 1" in out.getvalue()
    assert Enterprise.objects.get().industry == "H"


def test_command_dry_run_report_and_refusal(tmp_path: Path, tree: Tree) -> None:
    enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001")
    rows = [["姓名", "身份证号", "工作单位"], ["甲", person_id(1), "阎良航空配件厂"], ["乙", "12345", "阎良航空配件厂"]]
    path = write_csv(tmp_path / "w.csv", rows, encoding="gbk")
    report = tmp_path / "errors.xlsx"

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="文件中有错误"):  # a dry run of a file with errors exits non-zero
        call_command("import", "workers", str(path), "--dry-run", "--report", str(report), stdout=out, stderr=err)

    assert "第 3 行【身份证号】“12345”：身份证号码应为 18 位（旧号码为 15 位），实际为 5 位" in err.getvalue()
    assert "没有写入任何数据" in out.getvalue() and not Worker.objects.exists()
    report_rows = rows_of(report)
    assert report_rows[2][:4] == ["行号", "列", "内容", "错误原因及修改方法"]
    assert report_rows[3][:4] == [3.0, "身份证号", "12345", "身份证号码应为 18 位（旧号码为 15 位），实际为 5 位"]

    with pytest.raises(CommandError, match="整个文件未导入"):
        call_command("import", "workers", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Worker.objects.exists()

    call_command("import", "workers", str(path), "--good-rows-only", stdout=io.StringIO(), stderr=io.StringIO())
    assert Worker.objects.count() == 1


def test_command_refuses_unknown_user_and_unreadable_file(tmp_path: Path, tree: Tree) -> None:
    path = write_csv(tmp_path / "w.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(CommandError, match="找不到启用中的工作人员"):
        call_command("import", "workers", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="没有找到表头"):
        call_command("import", "workers", str(path))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="Excel 文件无法读取"):
        call_command("import", "workers", str(broken))


def test_import_as_system_with_org(tmp_path: Path, tree: Tree) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", [["姓名", "身份证号"], ["无单位者", person_id(5)]])

    result = import_file(kind="workers", path=path, user=None, org=tree.yanta_street)

    assert result.committed and Worker.objects.get().org == tree.yanta_street
