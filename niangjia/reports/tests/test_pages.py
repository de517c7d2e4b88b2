"""Report pages for each role: the dashboard, tables with definitions, the records behind a cell, exports,
refresh; scoped, protected, Chinese messages for bad input."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from niangjia.core.models import AuditEntry
from niangjia.reports.models import Refresh
from niangjia.reports.services import campaign_refresh

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def ready(tree, campaign, visits):  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    return campaign


@pytest.mark.parametrize(
    ("who", "title", "homes"),
    [("city_admin", "西安市总工会 · 工作概览", "13"), ("city_leader", "西安市总工会 · 工作概览", "13"),
     ("yanliang_staff", "阎良区总工会 · 工作概览", "7"), ("yanliang_leader", "阎良区总工会 · 工作概览", "7")],
)  # fmt: skip
def test_the_dashboard_for_each_role(client, tree, ready, who, title, homes) -> None:  # type: ignore[no-untyped-def]
    client.force_login(getattr(tree, who))
    response = client.get("/reports/")
    assert response.status_code == 200
    page = text(response)
    assert title in page and "千名干部进千企" in page and "数据更新于" in page
    assert re.search(rf'data-testid="cell-total-homes_visited">{homes}<', response.content.decode())
    # Each headline figure is shown with its definition beside it.
    assert "本活动中至少入户走访过一次的职工家庭数" in page
    leader = who.endswith("leader")
    assert ("不足 5 人，不显示具体数字" in page) == leader
    assert ('data-testid="refresh"' in response.content.decode()) == (not leader)


def test_a_leader_drills_down_to_a_district(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_leader)
    response = client.get(f"/reports/c/{ready.pk}/?org={tree.yanliang.pk}")
    assert response.status_code == 200 and "阎良区总工会 · 工作概览" in text(response)
    assert "阎良街道工会" in text(response)


def test_the_table_page_shows_every_section_with_its_definitions(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_admin)
    response = client.get(f"/reports/c/{ready.pk}/table/")
    page = text(response)
    for heading in ("走访进度", "困难职工", "问需解难", "满意度", "帮扶申请", "帮扶资金"):
        assert heading in page
    assert "发现的困难家庭中，活动开始前不在档案中的" in page
    by_cadre = text(client.get(f"/reports/c/{ready.pk}/table/?org={tree.yanliang.pk}&by=cadre"))
    assert "yl_cadre" in by_cadre and "yl_cadre2" in by_cadre


def test_the_records_behind_a_cell_are_scoped(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.yanliang_staff)
    response = client.get(f"/reports/c/{ready.pk}/list/homes_visited/?org={tree.yanliang.pk}")
    assert response.status_code == 200
    assert response.content.decode().count("家庭 #") == 7
    assert client.get(f"/reports/c/{ready.pk}/list/homes_visited/?org={tree.yanta.pk}").status_code == 404
    # Asked for the whole city, district staff get their district only.
    city = client.get(f"/reports/c/{ready.pk}/list/homes_visited/?org={tree.city.pk}")
    assert city.status_code == 404


def test_hardship_lists_are_for_roles_that_see_family_circumstances(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_leader)
    assert client.get(f"/reports/c/{ready.pk}/list/hardship_found/?org={tree.yanliang.pk}").status_code == 403
    assert client.get(f"/reports/c/{ready.pk}/list/homes_visited/?org={tree.yanliang.pk}").status_code == 200
    client.force_login(tree.yanliang_staff)
    response = client.get(f"/reports/c/{ready.pk}/list/hardship_found/?org={tree.yanliang.pk}")
    assert response.status_code == 200 and response.content.decode().count("家庭 #") == 4
    assert "深度困难" in text(response)


def test_records_come_fifty_a_page(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    from niangjia.reports.selectors import records

    client.force_login(tree.city_admin)
    records.PAGE_SIZE, saved = 5, records.PAGE_SIZE
    try:
        first = client.get(f"/reports/c/{ready.pk}/list/homes_visited/?org={tree.city.pk}")
    finally:
        records.PAGE_SIZE = saved
    assert 'data-testid="next-page"' not in first.content.decode()  # the default page (50) holds all 13
    assert first.content.decode().count("家庭 #") == 13


@pytest.mark.parametrize(
    ("query", "message"),
    [("as_of=2026-13-01", "统计截至日期：统计截至日期格式应为 2026-05-31。"), ("org=abc", "组织："),
     ("as_of=1800-01-01", "统计截至日期应在 1900-01-01 至 2100-12-31 之间")],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese(client, tree, ready, query, message) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_admin)
    response = client.get(f"/reports/c/{ready.pk}/table/?{query}")
    assert response.status_code == 400 and message in text(response)


def test_another_districts_organization_or_campaign_is_not_found(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.yanliang_leader)
    assert client.get(f"/reports/c/{ready.pk}/table/?org={tree.yanta.pk}").status_code == 404
    assert client.get(f"/reports/c/{ready.pk + 99}/").status_code == 404


def test_the_export_is_the_page_with_its_as_of_time(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_leader)
    response = client.get(f"/reports/c/{ready.pk}/export.xlsx?as_of=2026-04-30")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[:3] == ["走访进度", "困难职工", "问需解难"]
    rows = book.get_sheet_by_name("困难职工").to_python()
    assert rows[1][0].startswith("统计截至 2026-04-30 24:00")
    assert rows[2][0].startswith("<5：不足 5 人")
    by_org = {row[0]: row[1:] for row in rows[6:]}
    assert by_org["阎良区总工会"][0] == "<5"
    assert AuditEntry.objects.filter(action="core.export", actor_id=tree.city_leader.pk).count() == 1
    client.force_login(tree.city_admin)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"/reports/c/{ready.pk}/export.xlsx").content))
    sheet = rows.get_sheet_by_name("困难职工").to_python()
    assert sheet[1][0].startswith("数据更新于")
    assert {row[0]: row[1] for row in sheet[5:]}["阎良区总工会"] == 4


def test_staff_refresh_and_leaders_cannot(client, tree, ready) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_leader)
    assert client.post(f"/reports/c/{ready.pk}/refresh/").status_code == 403
    assert not Refresh.objects.filter(status="queued").exists()
    client.force_login(tree.yanliang_staff)
    response = client.post(f"/reports/c/{ready.pk}/refresh/", {"next": f"/reports/c/{ready.pk}/"})
    assert "刚刚刷新过，请 2 分钟后再试。" in text(client.get(response["Location"]))  # the fixture's refresh
    Refresh.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    response = client.post(f"/reports/c/{ready.pk}/refresh/", {"next": f"/reports/c/{ready.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/reports/c/{ready.pk}/"
    assert Refresh.objects.filter(status="queued", actor=tree.yanliang_staff).count() == 1
    page = text(client.get(f"/reports/c/{ready.pk}/"))
    assert "正在刷新" in page


def test_the_dashboard_without_a_campaign(client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_leader)
    response = client.get("/reports/")
    assert response.status_code == 200 and "暂无走访活动" in text(response)


def test_the_definitions_page(client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.yanliang_cadre)
    page = text(client.get("/reports/indicators/"))
    assert "走访企业（家）" in page and "发放帮扶资金（元）" in page


def test_the_table_page_reads_a_bounded_number_of_queries(client, tree, ready, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.city_leader)
    with django_assert_max_num_queries(60):
        assert client.get(f"/reports/c/{ready.pk}/table/").status_code == 200
