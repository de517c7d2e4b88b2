"""Rosters read as unions write them (issue 11, item 7): header spellings, value shorthands, one error per cell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from niangjia.conftest import Tree
from niangjia.core.tabular.columns import normalize_header
from niangjia.core.tabular.errors import ImportFileError
from niangjia.registry.importing import KINDS, import_file
from niangjia.registry.models import Employment, Enterprise, Worker
from niangjia.registry.tests.fixtures.sheets import enterprise, person_id, uscc, write_csv, write_xlsx

FIRM = "阎良航空配件厂"


@pytest.fixture
def firm(tree: Tree) -> Enterprise:
    return enterprise(tree.yanliang_street, seq=1, name=FIRM, area_code="610114001")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_header_spelling_names_two_columns(kind: str) -> None:
    seen: dict[str, str] = {}
    for column in KINDS[kind]:
        for name in (column.header, *column.aliases):
            key = normalize_header(name)
            assert seen.setdefault(key, column.key) == column.key, f"“{name}” names {seen[key]} and {column.key}"


def test_headers_as_unions_write_them(tmp_path: Path, tree: Tree, firm: Enterprise) -> None:
    header = ["序号", " 职工姓名 ", "公民身份号码（18位）", "联系手机", "工作单位统一社会信用代码", "用工性质【必填】",
              "入职时间", "是否入会", "★是否农民工", "性 别"]  # fmt: skip
    rows = [header, [1, "张三", person_id(1), "13800000001", firm.uscc, "劳动合同", "2025年3月1日", "√", "×", "男"]]

    result = import_file(kind="workers", path=write_xlsx(tmp_path / "w.xlsx", rows), user=tree.yanliang_staff)

    assert (result.new, result.errors, result.ignored_headers) == (1, [], ["序号"])
    worker = Worker.objects.get()
    assert (worker.name, worker.union_member, worker.is_migrant, worker.sex) == ("张三", True, False, "M")
    job = Employment.objects.get(worker=worker)
    assert (job.enterprise, job.form, str(job.start_date)) == (firm, "standard", "2025-03-01")


@pytest.mark.parametrize(
    ("written", "form"),
    [("劳动合同", "standard"), ("全日制", "standard"), ("合同工", "standard"), ("全日制劳动合同", "standard"),
     ("派遣", "dispatched"), ("劳务派遣", "dispatched"), ("兼职", "part_time"), ("骑手", "gig_rider"),
     ("网约车", "gig_ride_hailing")],
)  # fmt: skip
def test_employment_form_shorthands(written: str, form: str) -> None:
    parse = next(column.parse for column in KINDS["workers"] if column.key == "form")
    assert parse(written) == form


@pytest.mark.parametrize(("written", "value"), [("是", True), ("否", False), ("Y", True), ("n", False), ("√", True),
                                                ("×", False), ("x", False), ("1", True), ("已", True), ("未", False)])  # fmt: skip
def test_yes_no_shorthands(written: str, value: bool) -> None:
    parse = next(column.parse for column in KINDS["workers"] if column.key == "union_member")
    assert parse(written) is value


def test_full_width_digits_and_dates_as_text(tmp_path: Path, tree: Tree, firm: Enterprise) -> None:
    wide = person_id(2).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    rows = [["姓名", "身份证号", "手机号", "工作单位", "入职日期", "合同期限（月）"],
            ["李四", f" {wide} ", "１３８ ００００ ０００２", FIRM, "2025/03/01", "３６"]]  # fmt: skip

    result = import_file(kind="workers", path=write_csv(tmp_path / "w.csv", rows), user=tree.yanliang_staff)

    assert (result.new, result.errors) == (1, [])
    job = Employment.objects.get(worker__name="李四")
    assert (str(job.start_date), job.contract_months) == ("2025-03-01", 36)


def test_a_bad_employer_code_is_one_error(tmp_path: Path, tree: Tree, firm: Enterprise) -> None:
    bad = firm.uscc[:-1] + ("0" if firm.uscc[-1] != "0" else "1")
    rows = [["姓名", "身份证号", "工作单位信用代码"], ["王五", person_id(3), bad]]

    result = import_file(kind="workers", path=write_xlsx(tmp_path / "w.xlsx", rows), user=None)

    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "工作单位信用代码",
         "统一社会信用代码校验不通过，代码中可能有字符录错或前后颠倒。请对照营业执照逐位核对全部 18 位代码。"),
    ]  # fmt: skip


def test_errors_are_in_row_then_column_order(tmp_path: Path, tree: Tree, firm: Enterprise) -> None:
    rows = [
        ["姓名", "身份证号", "工作单位", "性别", "入职日期"],
        ["甲", person_id(4), FIRM, "女", "2025-3-1"],  # the service finds the sex wrong, after the rows below
        ["乙", "12345", FIRM, "", "昨天"],  # two bad cells, the later column found first
        ["丙", person_id(5), "没有这家公司", "", ""],  # the employer is looked up after the cells are parsed
    ]

    result = import_file(kind="workers", path=write_xlsx(tmp_path / "w.xlsx", rows), user=tree.yanliang_staff)

    assert [(e.row, e.column) for e in result.errors] == [
        (2, "性别"),
        (3, "身份证号"),
        (3, "入职日期"),
        (4, "工作单位"),
    ]


def test_a_workers_file_without_an_employer_column_is_refused_naming_what_was_not_recognised(
    tmp_path: Path, tree: Tree, firm: Enterprise
) -> None:
    rows = [["姓名", "身份证号", "所属企业代码"], ["赵六", person_id(6), firm.uscc]]

    with pytest.raises(ImportFileError) as refused:
        import_file(kind="workers", path=write_xlsx(tmp_path / "w.xlsx", rows), user=tree.yanliang_staff)

    assert str(refused.value).startswith("缺少工作单位列（以下两列至少要有一列）：“工作单位”")
    assert "文件中这些列未能识别：所属企业代码。" in str(refused.value)
    assert not Worker.objects.exists()


def test_a_new_enterprise_in_a_file_without_a_required_column_refuses_the_file(tmp_path: Path, tree: Tree) -> None:
    rows = [["企业名称", "统一社会信用代码", "所有制类别", "规模", "行业门类", "所在区划"],
            ["新企业", uscc(9), "私营", "小型", "H", "610114001"]]  # fmt: skip

    with pytest.raises(ImportFileError, match="缺少新登记企业必填的列（第 2 行是新企业）：“经济类型”") as refused:
        import_file(kind="enterprises", path=write_xlsx(tmp_path / "e.xlsx", rows), user=tree.yanliang_staff)

    assert "文件中这些列未能识别：所有制类别。" in str(refused.value)


def test_the_same_code_under_two_enterprise_names_suggests_a_typing_slip(tmp_path: Path, tree: Tree) -> None:
    rows = [["企业名称", "统一社会信用代码", "经济类型", "规模", "行业门类", "所在区划"],
            ["甲公司", uscc(7), "民营", "小型", "H", "610114001"], ["乙公司", uscc(7), "私企", "小", "H", "610114001"]]  # fmt: skip

    result = import_file(kind="enterprises", path=write_xlsx(tmp_path / "e.xlsx", rows), user=tree.yanliang_staff)

    assert [(e.row, e.reason) for e in result.errors] == [
        (3, "与第 2 行（甲公司）的统一社会信用代码相同，但企业名称不同，很可能其中一行的统一社会信用代码录错了。"
            "请对照营业执照核对这两行的统一社会信用代码。"),
    ]  # fmt: skip


def test_the_command_lists_unrecognised_columns_as_the_web_page_does(
    tmp_path: Path, tree: Tree, firm: Enterprise
) -> None:
    rows = [["序号", "姓名", "身份证号", "工作单位", "备注"], [1, "钱七", person_id(8), FIRM, "新入职"]]
    out = io.StringIO()

    call_command("import", "workers", str(write_xlsx(tmp_path / "w.xlsx", rows)), "--dry-run", stdout=out)

    assert "以下列未识别，已忽略：序号、备注\n" in out.getvalue()


def test_a_dry_run_of_a_file_with_errors_exits_non_zero(tmp_path: Path, tree: Tree, firm: Enterprise) -> None:
    rows = [["姓名", "身份证号", "工作单位"], ["孙八", "12345", FIRM]]
    path = str(write_xlsx(tmp_path / "w.xlsx", rows))

    with pytest.raises(CommandError, match="文件中有错误"):
        call_command("import", "workers", path, "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("import", "workers", path, "--dry-run", "--good-rows-only", stdout=io.StringIO(), stderr=io.StringIO())
