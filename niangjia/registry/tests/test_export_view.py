"""The export buttons: scoped, masked, audited, refused for roles that may not export."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from niangjia.core.models import AuditEntry
from niangjia.registry.tests.conftest import YL_ID, YL_PHONE


def _rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python()


def test_worker_export_is_scoped_masked_and_audited(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    response = client.get("/registry/export/workers/?union_member=1")
    assert response.status_code == 200
    rows = _rows(response)
    text = "\n".join(str(cell) for row in rows for cell in row)
    assert "导出人：yl_staff" in str(rows[0][0])
    assert "冯建民" in text and "曾丽" not in text and "王芳" not in text  # filter and scope
    assert YL_ID not in text and YL_PHONE not in text and registry.yl_worker.id_number_masked in text
    entry = AuditEntry.objects.filter(action="core.export").latest("id")
    assert entry.actor_id == tree.yanliang_staff.pk and entry.new_values["rows"] == 1


def test_enterprise_export_and_refusal(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    text = str(_rows(client.get("/registry/export/enterprises/")))
    assert "阎良餐饮有限公司" in text and "雁塔科技有限公司" not in text
    client.force_login(tree.yanliang_cadre)
    assert client.get("/registry/export/workers/").status_code == 403
    assert client.get("/registry/export/nothing/").status_code in (403, 404)
