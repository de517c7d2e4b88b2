"""Each list's filter, declared once: the page, its export link, the export and the API agree (issue 11, item 1)."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from niangjia.core.models import AuditEntry
from niangjia.registry import selectors
from niangjia.registry.tests.conftest import YL_ID


def _sheet(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python()


def test_the_filter_reads_a_query_and_writes_it_back():
    filters = selectors.WorkerFilter.from_query({"is_migrant": "1", "form": "gig", "area": "", "union_member": "x"})
    assert (filters.is_migrant, filters.form, filters.union_member) == (True, "gig", None)
    assert filters.query() == "form=gig&is_migrant=1"
    assert filters.describe({"area": [("610114", "阎良区")]}) == "用工形式：新就业形态(全部)；农民工：是"
    assert selectors.WorkerFilter().describe() == "全部"


def test_area_choices_are_the_users_own_districts(tree):
    assert selectors.area_choices(user=tree.yanliang_staff) == [("610114", "阎良区")]
    assert selectors.area_choices(user=tree.yanliang_cadre) == [("610114", "阎良区")]
    city = dict(selectors.area_choices(user=tree.city_admin))
    assert city["610113"] == "雁塔区" and city["610114"] == "阎良区"


def test_drop_downs_are_scoped_and_name_what_they_filter(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    page = client.get("/registry/workers/?is_migrant=1").content.decode()
    assert "selected>农民工：是</option>" in page and ">区县：阎良区</option>" in page
    assert "雁塔" not in page
    client.force_login(tree.yanliang_cadre)
    page = client.get("/registry/workers/").content.decode()
    assert ">企业：阎良餐饮有限公司</option>" in page and "阎良物流有限公司" not in page  # a cadre's own enterprise


def test_a_search_keeps_the_other_filters(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    rows = client.get("/registry/workers/?q=冯&form=gig").content.decode()
    assert "冯建民" not in rows  # he is not a gig worker
    rows = client.get("/registry/workers/?q=曾&form=gig").content.decode()
    assert "曾丽" in rows


def test_a_filter_change_swaps_the_list_with_its_export_link(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    fragment = client.get("/registry/workers/?form=gig", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list")
    html = fragment.content.decode()
    assert 'href="/registry/export/workers/?form=gig"' in html and "筛选：用工形式：新就业形态(全部)" in html
    assert "曾丽" in html and "冯建民" not in html
    more = client.get("/registry/workers/?form=gig", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="more").content.decode()
    assert "/registry/export/" not in more  # "加载更多" appends rows only


def test_the_export_holds_what_the_page_shows_and_says_so(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    rows = _sheet(client.get("/registry/export/workers/?area=610114&form=gig"))
    assert "筛选：区县：阎良区；用工形式：新就业形态(全部) · 共 1 行" in str(rows[0][0])
    assert [row[0] for row in rows[2:-2]] == ["曾丽"]
    entry = AuditEntry.objects.filter(action="core.export").latest("id")
    assert entry.new_values == {"rows": 1, "area": "610114", "form": "gig"}


def test_exporting_a_whole_id_search_is_an_audited_disclosure(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    rows = _sheet(client.get("/registry/export/workers/", {"q": YL_ID}))
    assert [row[0] for row in rows[2:-2]] == ["冯建民"]
    assert AuditEntry.objects.filter(action="core.identifier_search", actor=tree.yanliang_staff).count() == 1


def test_the_api_takes_the_same_filter(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    assert [w["name"] for w in client.get("/api/registry/workers", {"form": "gig"}).json()] == ["曾丽"]
    assert [w["name"] for w in client.get("/api/registry/workers", {"q": "冯", "union_member": "true"}).json()] == [
        "冯建民"
    ]
    assert client.get("/api/registry/enterprises", {"ownership": "no-such"}).status_code == 422


def test_a_worker_leads_to_the_household_and_its_policy_results(client, tree, registry):
    client.force_login(tree.yanliang_staff)
    found = client.get("/registry/workers/?q=fjm").content.decode()
    assert f'href="/registry/workers/{registry.yl_worker.pk}/"' in found
    worker = client.get(f"/registry/workers/{registry.yl_worker.pk}/").content.decode()
    assert f"/registry/households/{registry.yl_household.pk}/" in worker
    assert f'href="/screening/households/{registry.yl_household.pk}/"' in worker
    client.force_login(tree.yanliang_leader)  # no SENSITIVE action: no link to reasons it may not read
    assert "/screening/households/" not in client.get(f"/registry/workers/{registry.yl_worker.pk}/").content.decode()
