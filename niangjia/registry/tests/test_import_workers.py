"""Importing workers: messages, all-or-nothing, good rows only, idempotence, scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from niangjia.conftest import Tree
from niangjia.core.models import AuditEntry
from niangjia.registry.identity import id_digest
from niangjia.registry.importing import ImportResult, RowError, import_file
from niangjia.registry.models import Employment, Enterprise, Worker
from niangjia.registry.tests.fixtures.sheets import (
    WORKER_HEADER,
    enterprise,
    person_id,
    write_csv,
    write_xls,
    write_xlsx,
)


@dataclass
class Firms:
    yanliang: Enterprise
    yanta: Enterprise


@pytest.fixture
def firms(tree: Tree) -> Firms:
    return Firms(
        yanliang=enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001"),
        yanta=enterprise(tree.yanta_street, seq=2, name="雁塔外卖站", area_code="610113001"),
    )


def good_rows(count: int = 3, firm: str = "阎良航空配件厂") -> list[list[object]]:
    rows: list[list[object]] = [WORKER_HEADER]
    for i in range(count):
        rows.append([f"职工{i}", person_id(i), f"1380000{i:04d}", firm, "外卖骑手", "2025.3.1", "是"])
    return rows


def run(tmp_path: Path, rows: list[list[object]], tree: Tree, **kwargs: object) -> ImportResult:
    path = write_xlsx(tmp_path / "workers.xlsx", rows)
    options = {"user": tree.yanliang_staff, **kwargs}
    return import_file(kind="workers", path=path, **options)  # type: ignore[arg-type]


def only_error(result: ImportResult) -> RowError:
    assert result.error_count == 1, result.errors
    return result.errors[0]


def test_good_file_creates_workers_jobs_and_one_import_audit(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    result = run(tmp_path, good_rows(3), tree)

    assert (result.committed, result.new, result.updated, result.error_rows) == (True, 3, 0, 0)
    worker = Worker.objects.get(id_number_hash=id_digest(person_id(1)))
    assert worker.org == tree.yanliang_street
    assert worker.id_number_masked == person_id(1)[:4] + "*" * 10 + person_id(1)[-4:]
    assert worker.phone_masked == "138****0001"
    assert (worker.union_member, worker.birth_date, worker.sex, worker.name_pinyin) == (
        True,
        date(1990, 1, 1),
        "M",
        "zhigong1",
    )
    job = Employment.objects.get(worker=worker)
    assert (job.enterprise, job.form, job.start_date) == (firms.yanliang, "gig_rider", date(2025, 3, 1))
    entry = AuditEntry.objects.get(action="registry.import")
    assert entry.new_values["new"] == 3 and entry.actor == tree.yanliang_staff
    assert not AuditEntry.objects.filter(action="registry.worker.change").exists()


def test_reimport_changes_nothing(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    run(tmp_path, good_rows(3), tree)
    before = (Worker.objects.count(), Employment.objects.count())

    again = run(tmp_path, good_rows(3), tree)

    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert (Worker.objects.count(), Employment.objects.count()) == before
    assert not AuditEntry.objects.filter(action="registry.worker.change").exists()


def test_reimport_with_a_change_updates_and_audits_masked(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    run(tmp_path, good_rows(2), tree)
    rows = good_rows(2)
    rows[2][2] = "13900009999"

    result = run(tmp_path, rows, tree)

    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    change = AuditEntry.objects.get(action="registry.worker.change")
    assert change.old_values == {"phone": "138****0001"} and change.new_values == {"phone": "139****9999"}
    assert Worker.objects.get(id_number_hash=id_digest(person_id(1))).phone_masked == "139****9999"


def test_one_bad_row_writes_nothing(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = good_rows(3)
    rows[2][1] = person_id(1)[:17] + ("0" if person_id(1)[17] != "0" else "1")

    result = run(tmp_path, rows, tree)

    error = only_error(result)
    assert (error.row, error.column) == (3, "身份证号")
    assert error.reason.startswith("身份证号码校验不通过")
    assert not result.committed
    assert Worker.objects.count() == 0 and not AuditEntry.objects.filter(action="registry.import").exists()


def test_good_rows_only_imports_the_good_rows(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = good_rows(3)
    rows[2][5] = "2025-13-01"

    result = run(tmp_path, rows, tree, good_rows_only=True)

    assert (result.committed, result.new, result.error_rows) == (True, 2, 1)
    assert only_error(result) == RowError(3, "入职日期", "2025-13-01", "日期“2025-13-01”不存在，请检查年、月、日。")
    assert Worker.objects.count() == 2


def test_dry_run_writes_nothing_but_counts(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    result = run(tmp_path, good_rows(3), tree, dry_run=True)

    assert (result.new, result.committed) == (3, False)
    assert Worker.objects.count() == 0 and Employment.objects.count() == 0


def test_duplicate_id_in_file_names_the_first_row(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = good_rows(2)
    rows.append([rows[1][0], person_id(0), "", "阎良航空配件厂", "", "", ""])

    result = run(tmp_path, rows, tree, good_rows_only=True)

    error = only_error(result)
    assert (error.row, error.column) == (4, "身份证号")
    assert error.reason == "与第 2 行的身份证号重复，同一身份证号只能出现一次，请删除重复的行。"
    assert Worker.objects.count() == 2


def test_the_same_id_under_two_names_suggests_a_typing_slip(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = [*good_rows(2), ["重复者", person_id(0), "", "阎良航空配件厂", "", "", ""]]

    result = run(tmp_path, rows, tree, good_rows_only=True)

    error = only_error(result)
    assert (error.row, error.column) == (4, "身份证号")
    assert error.reason == (
        f"与第 2 行（{rows[1][0]}）的身份证号相同，但姓名不同，很可能其中一行的身份证号录错了。"
        "请对照身份证核对这两行的身份证号。"
    )
    assert "删除" not in error.reason and "合并" not in error.reason


def test_id_stored_as_number_by_excel_is_damaged_never_guessed(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = good_rows(1)
    rows[1][1] = float(person_id(0))

    result = run(tmp_path, rows, tree)

    error = only_error(result)
    assert (error.row, error.column) == (2, "身份证号")
    assert error.value == f"{float(person_id(0)):.15G}"
    assert "已被 Excel 转成了数字" in error.reason and "设置为“文本”格式" in error.reason


@pytest.mark.parametrize("value", ["6.10103E+17", "610114199001010011.0"])
def test_id_mangled_as_text_is_damaged(tmp_path: Path, tree: Tree, firms: Firms, value: str) -> None:
    rows = good_rows(1)
    rows[1][1] = value

    error = only_error(run(tmp_path, rows, tree))

    assert (
        error.reason == f"身份证号码“{value.upper()}”已被 Excel 转成了数字，末尾的数字已经丢失，无法还原。"
        "请把该列设置为“文本”格式后重新录入完整号码。"
    )


def test_messages_name_row_and_column(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = good_rows(1)
    rows[1][2:7] = ["12345", "阎良航空配件厂", "跑腿", "2025年3月1日", "也许"]

    result = run(tmp_path, rows, tree)

    assert {(e.row, e.column, e.reason) for e in result.errors} == {
        (
            2,
            "用工形式",
            "“跑腿”不是可选的用工形式，请从下拉列表中选择：全日制劳动合同、劳务派遣、非全日制、灵活就业、"
            "外卖骑手、快递员、网约车司机、货车司机、网络主播、其他新就业形态。",
        ),
        (2, "是否会员", "“也许”无法识别，请填写“是”或“否”。"),
        (2, "手机号", "电话号码“12345”格式不正确：手机号应为 1 开头的 11 位数字，固定电话请带区号，如 029-88886666"),
    }


def test_header_variants_title_rows_fullwidth_and_blank_rows(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    full_width_id = person_id(7).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows: list[list[object]] = [
        ["职工姓名", "公民身份号码", "联系电话", "单位名称", "入职时间", "备注"],
        ["  张 三 ", f" {full_width_id} ", "138 0000 0007", "阎良航空配件厂", 45717, "x"],
        [None, None, None, None, None, None],
        ["李四", person_id(8), None, "阎良航空配件厂", "20250301", None],
        ["", "  ", "", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "w.xlsx", rows, title="2025年阎良区职工花名册")

    result = import_file(kind="workers", path=path, user=tree.yanliang_staff)

    assert (result.rows, result.new, result.error_rows) == (2, 2, 0), result.errors
    assert result.ignored_headers == ["备注"]
    zhang = Worker.objects.get(id_number_hash=id_digest(person_id(7)))
    assert zhang.name == "张 三"
    assert Employment.objects.get(worker=zhang).start_date == date(2025, 3, 1)


def test_error_row_numbers_count_title_rows(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows = good_rows(2)
    rows[2][5] = "昨天"
    path = write_xlsx(tmp_path / "w.xlsx", rows, title="职工名册")

    error = only_error(import_file(kind="workers", path=path, user=tree.yanliang_staff))

    assert (error.row, error.column) == (5, "入职日期")
    assert error.reason == "无法识别的日期“昨天”，请写成 2025-03-01 这样的格式。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_gbk(tmp_path: Path, tree: Tree, firms: Firms, encoding: str) -> None:
    path = write_csv(tmp_path / "w.csv", good_rows(2), encoding=encoding)

    result = import_file(kind="workers", path=path, user=tree.yanliang_staff)

    assert (result.new, result.error_rows) == (2, 0), result.errors
    assert set(Worker.objects.values_list("name", flat=True)) == {"职工0", "职工1"}


def test_xls(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    pytest.importorskip("xlwt", reason="xlwt writes the legacy .xls test file; pip install xlwt")
    path = write_xls(tmp_path / "w.xls", good_rows(2))

    result = import_file(kind="workers", path=path, user=tree.yanliang_staff)

    assert (result.new, result.error_rows) == (2, 0), result.errors


def test_enterprise_outside_scope_is_a_row_error_and_nothing_is_written(
    tmp_path: Path, tree: Tree, firms: Firms
) -> None:
    rows = [*good_rows(1), ["外区职工", person_id(9), "", "雁塔外卖站", "外卖骑手", "", ""]]

    result = run(tmp_path, rows, tree)

    error = only_error(result)
    assert (error.row, error.column, error.value) == (3, "工作单位", "雁塔外卖站")
    assert error.reason == "工作单位“雁塔外卖站”不在您的管辖范围内，不能为其导入职工。"
    assert Worker.objects.count() == 0


def test_existing_worker_of_another_district_is_refused(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    run(tmp_path, good_rows(1, firm="雁塔外卖站"), tree, user=tree.yanta_staff)

    error = only_error(run(tmp_path, good_rows(1), tree))

    assert error.column == "身份证号" and "已由其他工会登记" in error.reason and "调动申请" in error.reason


def test_enterprise_by_uscc_column_and_unknown_enterprise(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    rows: list[list[object]] = [
        ["姓名", "身份证号", "统一社会信用代码"],
        ["甲", person_id(1), firms.yanliang.uscc],
        ["乙", person_id(2), "91610114MA0000099X"],
    ]

    result = run(tmp_path, rows, tree, good_rows_only=True)

    assert result.new == 1
    assert only_error(result).reason.startswith("统一社会信用代码校验不通过")


def test_system_import_without_user_needs_no_scope(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    result = run(tmp_path, good_rows(1, firm="雁塔外卖站"), tree, user=None)

    assert result.committed and Worker.objects.get().org == tree.yanta_street
    assert AuditEntry.objects.get(action="registry.import").actor is None


def test_missing_required_column_refuses_the_file(tmp_path: Path, tree: Tree, firms: Firms) -> None:
    from niangjia.registry.importing import ImportFileError

    path = write_xlsx(tmp_path / "w.xlsx", [["姓名", "手机号"], ["甲", "13800000000"]])

    with pytest.raises(ImportFileError, match="缺少必填列：“身份证号”"):
        import_file(kind="workers", path=path, user=tree.yanliang_staff)


def test_file_over_the_size_limit_is_refused(tmp_path: Path, tree: Tree, settings: object) -> None:
    from niangjia.registry.importing import ImportFileError

    settings.NIANGJIA_IMPORT_MAX_BYTES = 1024  # type: ignore[attr-defined]
    path = write_csv(tmp_path / "big.csv", good_rows(100))

    with pytest.raises(ImportFileError, match=r"文件过大：.*超过上限"):
        import_file(kind="workers", path=path, user=tree.yanliang_staff)
