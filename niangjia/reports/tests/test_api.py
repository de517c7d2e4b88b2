"""The indicators through the API: the same numbers as the pages, scoped, protected, refusals in Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.reports import indicators
from niangjia.reports.models import Refresh
from niangjia.reports.services import campaign_refresh

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ready(tree, campaign, visits):  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    Refresh.objects.update(requested_at=timezone.now() - timedelta(minutes=10))
    return campaign


def test_the_definitions(client, tree) -> None:  # type: ignore[no-untyped-def]
    body = _client(tree.city_leader).get("/api/reports/indicators").json()
    assert [i["code"] for i in body] == [i.code for i in indicators.INDICATORS]
    homes = next(i for i in body if i["code"] == "homes_visited")
    assert homes["label"] == "入户走访家庭" and homes["unit"] == "户" and homes["people"] is True


def test_tables_by_organization_with_the_pages_numbers(tree, ready) -> None:  # type: ignore[no-untyped-def]
    api = _client(tree.city_admin)
    assert [c["name"] for c in api.get("/api/reports/campaigns").json()] == ["千名干部进千企"]
    response = api.get(f"/api/reports/campaigns/{ready.pk}/tables?section=困难职工")
    assert response.status_code == 200
    (table,) = response.json()
    assert table["indicators"] == ["hardship_found", "hardship_new", "hardship_archived"]
    rows = {row["label"]: row["cells"] for row in table["rows"]}
    assert rows["阎良区总工会"]["hardship_found"] == {"value": 4.0, "text": "4", "hidden": ""}
    assert table["total"]["cells"]["hardship_new"]["value"] == 5.0
    assert table["protected"] is False and table["updated_at"] is not None


def test_leaders_get_small_counts_withheld(tree, ready) -> None:  # type: ignore[no-untyped-def]
    (table,) = _client(tree.city_leader).get(f"/api/reports/campaigns/{ready.pk}/tables?section=困难职工").json()
    rows = {row["label"]: row["cells"] for row in table["rows"]}
    assert rows["阎良区总工会"]["hardship_found"] == {"value": None, "text": "<5", "hidden": "small"}
    assert table["protected"] is True


def test_district_staff_are_kept_to_their_district(tree, ready) -> None:  # type: ignore[no-untyped-def]
    api = _client(tree.yanliang_staff)
    (table,) = api.get(f"/api/reports/campaigns/{ready.pk}/tables?section=走访进度").json()
    assert table["org"] == "阎良区总工会" and [r["label"] for r in table["rows"]] == ["阎良街道工会"]
    refused = api.get(f"/api/reports/campaigns/{ready.pk}/tables?org={tree.yanta.pk}")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    refused = api.get(f"/api/reports/campaigns/{ready.pk}/records/homes_visited?org={tree.yanta.pk}")
    assert refused.status_code == 404


def test_a_cadre_gets_their_own_row(tree, ready) -> None:  # type: ignore[no-untyped-def]
    (table,) = _client(tree.yanliang_cadre).get(f"/api/reports/campaigns/{ready.pk}/tables?section=走访进度").json()
    assert table["by"] == "cadre" and [r["cadre_id"] for r in table["rows"]] == [tree.yanliang_cadre.pk]


def test_the_records_behind_a_number(tree, ready) -> None:  # type: ignore[no-untyped-def]
    api = _client(tree.yanliang_staff)
    body = api.get(f"/api/reports/campaigns/{ready.pk}/records/hardship_found?org={tree.yanliang.pk}").json()
    assert body["columns"][:2] == ["家庭", "负责工会"] and len(body["rows"]) == 4 and body["next_after"] is None
    leader = _client(tree.city_leader).get(f"/api/reports/campaigns/{ready.pk}/records/hardship_found")
    assert leader.status_code == 403 and leader.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("url", "field"),
    [("tables?as_of=2026-02-30", "as_of"), ("tables?org=0", "org"), ("tables?by=everyone", "by"),
     ("records/no_such?org=1", "code"), ("records/homes_visited?after=-1", "after")],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field(tree, ready, url, field) -> None:  # type: ignore[no-untyped-def]
    response = _client(tree.city_admin).get(f"/api/reports/campaigns/{ready.pk}/{url}")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid" and field in str(body["details"]) and body["message"].startswith("提交的")


def test_refresh_for_staff_only_and_nothing_written_on_refusal(tree, ready) -> None:  # type: ignore[no-untyped-def]
    before = Refresh.objects.count()
    refused = _client(tree.city_leader).post(f"/api/reports/campaigns/{ready.pk}/refresh")
    assert refused.status_code == 403 and Refresh.objects.count() == before
    done = _client(tree.yanliang_staff).post(f"/api/reports/campaigns/{ready.pk}/refresh")
    assert done.status_code == 202 and done.json()["status"] == "queued"
    again = _client(tree.city_admin).post(f"/api/reports/campaigns/{ready.pk}/refresh")
    assert again.status_code == 422 and "正在刷新" in again.json()["error"]["message"]
    assert Refresh.objects.count() == before + 1
