"""Exports: masked identifiers, no sensitive facts, a byline, an audit entry, scope."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from python_calamine import load_workbook

from niangjia.conftest import Tree
from niangjia.core.models import AuditEntry
from niangjia.core.scoping import Action, restrict
from niangjia.registry.exporting import export_enterprises, export_workers
from niangjia.registry.importing import import_file
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.tests.fixtures.sheets import WORKER_HEADER, enterprise, person_id, write_xlsx


def sheet_rows(data: bytes | Path) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    return [list(r) for r in book.get_sheet_by_index(0).iter_rows()]


@pytest.fixture
def workers(tree: Tree, tmp_path: Path) -> None:
    enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001")
    enterprise(tree.yanta_street, seq=2, name="雁塔外卖站", area_code="610113001")
    rows = [WORKER_HEADER, ["王强", person_id(1), "13800000001", "阎良航空配件厂", "外卖骑手", "2025-03-01", "是"],
            ["赵敏", person_id(2, sex="F"), "13800000002", "雁塔外卖站", "", "", "否"]]  # fmt: skip
    assert import_file(kind="workers", path=write_xlsx(tmp_path / "w.xlsx", rows), user=None).committed


def test_worker_export_is_masked_scoped_and_audited(tree: Tree, workers: None) -> None:
    stream = io.BytesIO()
    queryset = restrict(Worker.objects.all(), tree.yanliang_staff, Action.EXPORT)

    count = export_workers(user=tree.yanliang_staff, queryset=queryset, stream=stream, filters={"org": "阎良"})

    rows = sheet_rows(stream.getvalue())
    assert count == 1
    assert rows[0][0].startswith("职工名册 · 导出人：yl_staff（阎良区总工会） · 导出时间：")
    assert rows[1][:3] == ["姓名", "身份证号", "性别"]
    assert rows[2][:7] == ["王强", person_id(1)[:4] + "*" * 10 + person_id(1)[-4:], "男", 1990.0, "汉族",
                           "138****0001", "阎良航空配件厂"]  # fmt: skip
    text = repr(rows)
    assert person_id(1) not in text and "13800000001" not in text and "赵敏" not in text
    entry = AuditEntry.objects.get(action="core.export")
    assert (entry.actor, entry.target_label, entry.new_values) == (
        tree.yanliang_staff,
        "职工名册",
        {"rows": 1, "org": "阎良"},
    )


def test_leader_may_not_export(tree: Tree, workers: None) -> None:
    with pytest.raises(PermissionDenied):
        export_workers(user=tree.yanliang_leader, queryset=Worker.objects.none(), stream=io.BytesIO())
    assert not AuditEntry.objects.filter(action="core.export").exists()


def test_enterprise_export_and_command(tree: Tree, workers: None, tmp_path: Path) -> None:
    stream = io.BytesIO()
    assert export_enterprises(user=None, queryset=Enterprise.objects.all(), stream=stream) == 2
    assert sheet_rows(stream.getvalue())[2][:4] == ["阎良航空配件厂", Enterprise.objects.first().uscc, "私营", "小型"]

    target = tmp_path / "w.xlsx"
    call_command("export", "workers", str(target), "--user", "yt_staff", "--gig", stdout=io.StringIO())
    assert sheet_rows(target)[-1][0] == "共 0 条。"  # 赵敏 is not a gig worker
    call_command("export", "workers", str(target), "--user", "yt_staff", stdout=io.StringIO())
    assert sheet_rows(target)[2][0] == "赵敏"
