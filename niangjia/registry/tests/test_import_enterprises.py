"""Importing enterprises: owning org by area, idempotent by USCC, messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from niangjia.conftest import Tree
from niangjia.core.models import AuditEntry
from niangjia.registry.importing import import_file
from niangjia.registry.models import Enterprise
from niangjia.registry.tests.fixtures.sheets import uscc, write_xlsx

HEADER = ["企业名称", "统一社会信用代码", "经济类型", "规模", "平台企业", "行业门类", "所在区划", "经度", "纬度",
          "联系电话", "职工人数"]  # fmt: skip


def row(seq: int, area: object = "610114001", **changes: object) -> list[object]:
    values: dict[str, object] = {
        "企业名称": f"企业{seq}", "统一社会信用代码": uscc(seq), "经济类型": "私营", "规模": "小型", "平台企业": "否",
        "行业门类": "H", "所在区划": area, "经度": 109.226, "纬度": "34.6615", "联系电话": "029-86861234",
        "职工人数": "35人",
    }  # fmt: skip
    values.update(changes)
    return [values[h] for h in HEADER]


def test_enterprises_go_to_the_union_of_their_area(tmp_path: Path, tree: Tree) -> None:
    rows = [HEADER, row(1), row(2, area="610114", 行业门类="制造业"), row(3, area="凤凰路街道", 行业门类="C 制造业")]
    path = write_xlsx(tmp_path / "e.xlsx", rows)

    result = import_file(kind="enterprises", path=path, user=tree.yanliang_staff)

    assert (result.new, result.error_rows, result.committed) == (3, 0, True), result.errors
    first = Enterprise.objects.get(uscc=uscc(1))
    assert (first.org, first.industry, first.lng, first.lat) == (
        tree.yanliang_street,
        "H",
        Decimal("109.226000"),
        Decimal("34.661500"),
    )
    assert (first.contact_phone, first.employee_count, first.is_platform) == ("029-86861234", 35, False)
    assert Enterprise.objects.get(uscc=uscc(2)).org == tree.yanliang
    assert Enterprise.objects.get(uscc=uscc(3)).industry == "C"


def test_reimport_is_idempotent_and_a_change_is_audited(tmp_path: Path, tree: Tree) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [HEADER, row(1), row(2)])
    import_file(kind="enterprises", path=path, user=tree.yanliang_staff)

    same = import_file(kind="enterprises", path=path, user=tree.yanliang_staff)
    changed_path = write_xlsx(tmp_path / "e2.xlsx", [HEADER, row(1, 规模="中型"), row(2)])
    changed = import_file(kind="enterprises", path=changed_path, user=tree.yanliang_staff)

    assert (same.new, same.unchanged, same.updated) == (0, 2, 0)
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert Enterprise.objects.count() == 2
    entry = AuditEntry.objects.get(action="registry.enterprise.change")
    assert (entry.old_values, entry.new_values) == ({"size_class": "small"}, {"size_class": "medium"})


def test_area_outside_the_users_district_is_a_row_error(tmp_path: Path, tree: Tree) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [HEADER, row(1, area="610113001")])

    result = import_file(kind="enterprises", path=path, user=tree.yanliang_staff)

    assert [(e.row, e.column) for e in result.errors] == [(2, "所在区划")]
    assert "不在您所在工会的管辖范围内" in result.errors[0].reason
    assert not Enterprise.objects.exists()


def test_enterprise_messages(tmp_path: Path, tree: Tree) -> None:
    bad_uscc = uscc(5)[:17] + ("0" if uscc(5)[17] != "0" else "1")
    rows = [HEADER, row(4, 经济类型="", 行业门类="Z"), row(5, 统一社会信用代码=bad_uscc), row(6, 所在区划="999999")]
    path = write_xlsx(tmp_path / "e.xlsx", rows)

    result = import_file(kind="enterprises", path=path, user=tree.yanliang_staff)

    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert reasons[(2, "行业门类")] == "“Z”不是国民经济行业门类，请填写门类字母（A 到 T）或名称，如 C 或 制造业。"
    assert reasons[(3, "统一社会信用代码")].startswith("统一社会信用代码校验不通过")
    assert reasons[(4, "所在区划")] == "区划代码“999999”不存在，请填写 6 位或 9 位行政区划代码，如 610113001。"
    assert len(reasons) == 3


def test_new_enterprise_must_give_its_type(tmp_path: Path, tree: Tree) -> None:
    path = write_xlsx(tmp_path / "e.xlsx", [HEADER, row(4, 经济类型="")])

    result = import_file(kind="enterprises", path=path, user=tree.yanliang_staff)

    assert [(e.column, e.reason) for e in result.errors] == [("经济类型", "新登记的企业必须填写“经济类型”。")]
