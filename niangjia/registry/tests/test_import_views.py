"""The import pages: upload → preview with errors → confirm → result; report and template downloads."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from python_calamine import load_workbook

from niangjia.conftest import Tree
from niangjia.core.models import AuditEntry
from niangjia.registry.models import Worker
from niangjia.registry.tests.fixtures.sheets import WORKER_HEADER, enterprise, person_id, write_xlsx


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: object) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def staff(client: Client, tree: Tree) -> Client:
    enterprise(tree.yanliang_street, seq=1, name="阎良航空配件厂", area_code="610114001")
    client.force_login(tree.yanliang_staff)
    return client


def upload(client: Client, tmp_path: Path, rows: list[list[object]], **extra: str) -> object:
    data = write_xlsx(tmp_path / "名册.xlsx", rows).read_bytes()
    file = SimpleUploadedFile("名册.xlsx", data, content_type="application/octet-stream")
    return client.post("/registry/import/", {"kind": "workers", "file": file, **extra})


ROWS = [WORKER_HEADER, ["甲", person_id(1), "", "阎良航空配件厂", "", "", "是"],
        ["乙", "610114199001011239", "", "阎良航空配件厂", "", "", "是"]]  # fmt: skip


def test_upload_preview_confirm_result(staff: Client, tmp_path: Path) -> None:
    response = upload(staff, tmp_path, ROWS)
    assert response.status_code == 302
    preview_url = response["Location"]

    page = staff.get(preview_url).content.decode()
    assert "有错误的行" in page and "身份证号码校验不通过" in page and ">3</td>" in page
    assert re.search(r'id="confirm"[^>]*disabled', page)
    assert not Worker.objects.exists()

    report = staff.get(preview_url + "report.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(0).iter_rows())
    assert rows[3][:2] == [3.0, "身份证号"]

    done = staff.post(preview_url, {"good_rows_only": "1"})
    assert done.status_code == 302 and done["Location"].endswith("/result/")
    result = staff.get(done["Location"]).content.decode()
    assert "已导入" in result
    assert Worker.objects.count() == 1
    assert AuditEntry.objects.filter(action="registry.import").count() == 1
    # Confirming twice does not import twice.
    assert staff.post(preview_url).status_code == 302
    assert AuditEntry.objects.filter(action="registry.import").count() == 1


def test_all_or_nothing_confirm_writes_nothing(staff: Client, tmp_path: Path) -> None:
    preview_url = upload(staff, tmp_path, ROWS)["Location"]

    staff.post(preview_url)

    assert not Worker.objects.exists()


def test_bad_file_is_refused_on_the_upload_page(staff: Client) -> None:
    file = SimpleUploadedFile("x.csv", "随便,什么\n1,2\n".encode(), content_type="text/csv")

    response = staff.post("/registry/import/", {"kind": "workers", "file": file})

    assert response.status_code == 400
    assert "没有找到表头" in response.content.decode()


def test_another_user_cannot_see_the_upload(staff: Client, tmp_path: Path, tree: Tree) -> None:
    preview_url = upload(staff, tmp_path, ROWS)["Location"]
    other = Client()
    other.force_login(tree.yanta_staff)

    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url, {"good_rows_only": "1"}).status_code == 404
    assert other.get(preview_url + "report.xlsx").status_code == 404


def test_leader_cannot_import(client: Client, tree: Tree) -> None:
    client.force_login(tree.yanliang_leader)
    assert client.get("/registry/import/").status_code == 403


def test_upload_page_and_template_download(staff: Client) -> None:
    page = staff.get("/registry/import/").content.decode()
    assert 'name="viewport"' in page and "职工导入模板.xlsx" in page

    response = staff.get("/registry/import/template/workers.xlsx")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    headers = next(load_workbook(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0).iter_rows())
    assert headers[:2] == ["姓名", "身份证号"]
    assert staff.get("/registry/import/template/nothing.xlsx").status_code == 404
