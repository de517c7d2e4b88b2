"""Import speed, run on demand: `NIANGJIA_IMPORT_BENCH=10000 pytest -s niangjia/registry/tests/test_import_speed.py`."""

from __future__ import annotations

import os
import resource
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import xlsxwriter

from niangjia.conftest import Tree
from niangjia.core.identifiers import make_id_number
from niangjia.registry.importing import import_file
from niangjia.registry.models import Worker
from niangjia.registry.tests.fixtures.sheets import WORKER_HEADER, enterprise

ROWS = int(os.environ.get("NIANGJIA_IMPORT_BENCH", "0"))


def write_big(path: Path, count: int) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, WORKER_HEADER)
    for i in range(count):
        born = date(1960, 1, 1) + timedelta(days=i // 1000)
        id_number = make_id_number("610114", born, (i % 1000) // 2, "M" if i % 2 else "F")
        phone = f"138{i:08d}"
        sheet.write_row(i + 1, 0, [f"职工{i}", id_number, phone, "阎良航空配件厂", "外卖骑手", "2025-03-01", "是"])
    workbook.close()


@pytest.mark.skipif(not ROWS, reason="set NIANGJIA_IMPORT_BENCH=<rows> to measure import speed")
@pytest.mark.django_db(transaction=True)
def test_import_speed(tmp_path: Path, tree: Tree) -> None:
    enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001")
    path = tmp_path / "big.xlsx"
    write_big(path, ROWS)

    timings = {}
    for label, dry_run in (("dry run", True), ("commit", False), ("re-import", False)):
        started = time.perf_counter()
        result = import_file(kind="workers", path=path, user=tree.yanliang_staff, dry_run=dry_run)
        timings[label] = time.perf_counter() - started
        assert result.error_rows == 0, result.errors[:3]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert Worker.objects.count() == ROWS
    for label, seconds in timings.items():
        print(f"{label}: {ROWS} rows in {seconds:.1f} s = {ROWS / seconds:,.0f} rows/s")
    print(f"peak RSS {peak:.0f} MB")
