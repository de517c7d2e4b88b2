"""The staff roster import: bad inputs reported by row and column, all or nothing, one-time passwords."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from niangjia.core.models import AuditEntry
from niangjia.core.roles import Role
from niangjia.core.tabular.errors import ImportFileError
from niangjia.orgs.import_files import passwords_write, template_write
from niangjia.orgs.importing import staff_import
from niangjia.orgs.models import StaffUser


def sheet_rows(data: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


HEADER = ["姓名", "工号/用户名", "所属组织", "手机号", "角色"]


def write_csv(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "roster.csv"
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def write_xlsx(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "roster.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["2026年工会干部名册"])
    sheet.write_row(1, 0, HEADER)
    for number, row in enumerate(rows, start=2):
        sheet.write_row(number, 0, row)
    workbook.close()
    return path


def reasons(result) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(error.row, error.column, error.reason) for error in result.errors]


def test_a_good_roster_creates_accounts_with_generated_usernames(tree, tmp_path):
    path = write_xlsx(tmp_path, [
        ["张三", "", "阎良街道工会", "13800001234", ""],
        ["张三", "", "阎良区总工会", "", "工会干部"],
        ["王五", "wangwu", "阎良区总工会", "", "领导"],
    ])  # fmt: skip
    result = staff_import(path=path, actor=tree.yanliang_staff, file_label="roster.xlsx")
    assert result.committed and (result.rows, result.new, result.error_rows) == (3, 3, 0)
    users = {user.username: user for user in StaffUser.objects.filter(username__in=["zhangsan", "zhangsan2", "wangwu"])}
    assert set(users) == {"zhangsan", "zhangsan2", "wangwu"}
    assert users["wangwu"].role == Role.LEADER and users["zhangsan"].org == tree.yanliang_street
    assert users["zhangsan"].phone_masked == "138****1234"
    for _row, username, _name, _org, _role, password in result.accounts:
        user = users[username]
        assert user.must_change_password and user.check_password(password)
    assert AuditEntry.objects.filter(action="orgs.staff.create", actor=tree.yanliang_staff).count() == 3
    summary = AuditEntry.objects.get(action="orgs.staff.import")
    assert summary.new_values == {"created": 3} and summary.target_label == "导入roster.xlsx"


def test_a_dry_run_writes_nothing_and_shows_no_passwords(tree, tmp_path):
    path = write_csv(tmp_path, [["张三", "", "阎良街道工会", "", ""]])
    result = staff_import(path=path, actor=tree.yanliang_staff, dry_run=True)
    assert not result.committed and result.new == 1
    assert result.accounts == [(2, "zhangsan", "张三", "阎良街道工会", "工会干部", "")]
    assert not StaffUser.objects.filter(username="zhangsan").exists()
    assert not AuditEntry.objects.filter(action__startswith="orgs.staff").exists()


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(tree, tmp_path):
    path = write_csv(tmp_path, [
        ["张三", "zs", "阎良街道工会", "13800001234", ""],
        ["张三", "zs", "阎良街道工会", "13800001234", ""],   # duplicate row
        ["李四", "zs", "阎良区总工会", "", ""],                # duplicate username in file
        ["王五", "yl_cadre", "阎良区总工会", "", ""],          # username taken in the database
        ["赵六", "", "不存在的工会", "", ""],                  # unknown org
        ["钱七", "", "雁塔街道工会", "", ""],                  # org outside the subtree: same answer
        ["孙八", "", "阎良街道工会", "1380000", ""],           # bad phone
        ["周九", "", "阎良区总工会", "", "市总工会管理员"],     # role above the ceiling
        ["吴十", "", "阎良街道工会", "", "区县总工会工作人员"],  # role at the wrong level
        ["", "", "阎良街道工会", "", ""],                     # no name
        ["郑一", "张 三", "阎良街道工会", "", ""],              # username with Han characters and a space
        ["", "", "", "", ""],                                 # empty row: skipped
        ["陈二", "", "阎良街道工会", "", "主任"],               # unknown role
    ])  # fmt: skip
    result = staff_import(path=path, actor=tree.yanliang_staff)
    assert not result.committed
    assert (result.rows, result.new, result.error_rows) == (12, 1, 11)
    found = reasons(result)
    assert found[0] == (3, "姓名", "与第 2 行是同一人（姓名、组织、手机号都相同），请删除重复的行。")
    assert found[1] == (4, "工号/用户名", "与第 2 行的用户名重复，请换一个或留空由系统生成。")
    assert found[2] == (5, "工号/用户名", "该用户名已被占用，请换一个或留空由系统生成。")
    unknown = "在您的管辖范围内找不到组织“{}”。请填写组织全称（与“组织”页面上的名称一致）或组织标识。"
    assert found[3] == (6, "所属组织", unknown.format("不存在的工会"))
    assert found[4] == (7, "所属组织", unknown.format("雁塔街道工会"))
    assert found[5][:2] == (8, "手机号") and "1 开头的 11 位数字" in found[5][2]
    assert found[6] == (
        9,
        "角色",
        "您无权授予“市总工会管理员”角色，可选：区县总工会工作人员、工会干部、企业工会主席、领导(只读)。",
    )
    assert found[7][:2] == (10, "角色") and "只能设在区县总工会、开发区工会" in found[7][2]
    assert found[8] == (11, "姓名", "姓名不能为空，请填写。")
    assert found[9][:2] == (12, "工号/用户名") and "英文字母" in found[9][2]
    assert found[10][:2] == (14, "角色") and "不是可选的角色" in found[10][2]
    assert {error.value for error in result.errors[3:5]} == {"不存在的工会", "雁塔街道工会"}
    assert not StaffUser.objects.filter(username="zs").exists()
    assert not AuditEntry.objects.filter(action__startswith="orgs.staff").exists()


def test_good_rows_only_takes_the_good_rows(tree, tmp_path):
    path = write_csv(tmp_path, [["张三", "", "阎良街道工会", "", ""], ["李四", "", "雁塔街道工会", "", ""]])
    result = staff_import(path=path, actor=tree.yanliang_staff, good_rows_only=True)
    assert result.committed and (result.new, result.error_rows) == (1, 1)
    assert StaffUser.objects.filter(username="zhangsan", org=tree.yanliang_street).exists()


def test_full_width_digits_and_letters_are_folded(tree, tmp_path):
    path = write_csv(tmp_path, [["张三", "ｚｓ０１", "阎良街道工会", "１３８－００００－１２３４", ""]])
    result = staff_import(path=path, actor=tree.yanliang_staff)
    assert result.committed, reasons(result)
    user = StaffUser.objects.get(username="zs01")
    assert user.phone_masked == "138****1234"


def test_an_organization_may_be_named_by_its_key(tree, tmp_path):
    tree.yanliang_street.key = "yl-street"
    tree.yanliang_street.save()
    result = staff_import(path=write_csv(tmp_path, [["张三", "", "YL-STREET", "", ""]]), actor=tree.yanliang_staff)
    assert result.committed and StaffUser.objects.get(username="zhangsan").org == tree.yanliang_street


def test_files_refused_as_a_whole(tree, tmp_path):
    with pytest.raises(ImportFileError, match="没有找到表头"):
        staff_import(path=write_csv(tmp_path, [["a", "b"]], header=["甲", "乙"]), actor=tree.yanliang_staff)
    with pytest.raises(ImportFileError, match="缺少必填列：“所属组织”"):
        staff_import(path=write_csv(tmp_path, [["张三", "zs"]], header=["姓名", "用户名"]), actor=tree.yanliang_staff)
    with pytest.raises(ImportFileError, match="没有数据行"):
        staff_import(path=write_csv(tmp_path, [["", "", "", "", ""]]), actor=tree.yanliang_staff)


def test_a_roster_of_1400_cadres_is_one_file(tree, tmp_path):
    """The campaign's 1,400 cadres: checked, then imported, all with a password to set at first login."""
    rows = [[f"干部{n:04d}", f"cadre{n:04d}", "阎良街道工会", f"139{n:08d}", ""] for n in range(1400)]
    path = write_xlsx(tmp_path, rows)
    preview = staff_import(path=path, actor=tree.yanliang_staff, dry_run=True)
    result = staff_import(path=path, actor=tree.yanliang_staff)
    assert preview.new == 1400 and result.committed and result.new == 1400
    assert StaffUser.objects.filter(org=tree.yanliang_street, must_change_password=True).count() == 1400


def test_the_command_checks_imports_and_writes_the_passwords_once(tree, tmp_path):
    path = write_csv(tmp_path, [["张三", "", "阎良街道工会", "", ""]])
    out = io.StringIO()
    call_command("import_staff", str(path), "--dry-run", "--as", "yl_staff", stdout=out)
    assert "未写入" in out.getvalue() and not StaffUser.objects.filter(username="zhangsan").exists()
    with pytest.raises(CommandError, match="--passwords"):
        call_command("import_staff", str(path), stdout=io.StringIO())
    passwords = tmp_path / "passwords.xlsx"
    call_command("import_staff", str(path), "--as", "yl_staff", "--passwords", str(passwords), stdout=out)
    row = sheet_rows(passwords.read_bytes())[3]
    assert row[1:5] == ["zhangsan", "张三", "阎良街道工会", "工会干部"]
    assert StaffUser.objects.get(username="zhangsan").check_password(row[5])
    bad = write_csv(tmp_path, [["李四", "", "雁塔街道工会", "", ""]])
    with pytest.raises(CommandError, match="没有写入"):
        call_command("import_staff", str(bad), "--as", "yl_staff", "--passwords", str(tmp_path / "p2.xlsx"), stdout=out)
    assert "第 2 行 · 所属组织" in out.getvalue()


def test_template_and_password_files_open(tmp_path):
    stream = io.BytesIO()
    template_write(stream)
    assert sheet_rows(stream.getvalue())[0] == ["姓名", "用户名", "所属组织", "手机号", "角色"]
    from niangjia.orgs.importing import StaffImportResult

    result = StaffImportResult(accounts=[(2, "zs", "张三", "阎良街道工会", "工会干部", "abc-def")])
    stream = io.BytesIO()
    passwords_write(result, stream)
    assert sheet_rows(stream.getvalue())[3][5] == "abc-def"
