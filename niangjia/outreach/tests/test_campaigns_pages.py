"""Campaign pages for each role: the list and a campaign's page show what the role may see and only the
buttons it may use; the form creates a campaign with its targets, and bad input answers 400 in Chinese."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from niangjia.outreach.models import Campaign, CampaignTarget
from niangjia.outreach.services.campaigns import CampaignData, campaign_create
from niangjia.outreach.tests.test_pairing_fixtures import city_campaign, client_for


def _form(tree: Any, **fields: Any) -> dict[str, Any]:
    rows = {"targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "0", "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "200",
            "targets-0-org": str(tree.yanliang.pk), "targets-0-enterprises": "30", "targets-0-homes": "8",
            "targets-1-org": "", "targets-1-enterprises": "", "targets-1-homes": ""}  # fmt: skip
    return {"name": "2026年春季大走访", "starts_on": "2026-03-01", "ends_on": "2026-04-30", "org": str(tree.city.pk),
            "enterprise_groups": ["non_public", "small_micro"], "worker_groups": ["archived"],
            "enterprises_per_cadre": "1", **rows, **fields}  # fmt: skip


@pytest.mark.django_db
def test_the_list_shows_each_role_its_campaigns_and_the_new_button_to_runners(tree) -> None:  # type: ignore[no-untyped-def]
    city_campaign(tree)
    campaign_create(
        actor=tree.yanta_staff,
        data=CampaignData(name="雁塔区企业走访", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), org=tree.yanta),
    )
    pages = {u.username: client_for(u).get("/outreach/campaigns/") for u in
             (tree.city_admin, tree.yanliang_staff, tree.yanliang_leader, tree.yanliang_cadre)}  # fmt: skip
    assert all(r.status_code == 200 for r in pages.values())
    html = {name: r.content.decode() for name, r in pages.items()}
    assert "雁塔区企业走访" in html["admin"] and "2026年大走访" in html["admin"]
    assert "2026年大走访" in html["yl_staff"] and "雁塔区企业走访" not in html["yl_staff"]
    assert "2026年大走访" in html["yl_leader"] and "新建走访活动" not in html["yl_leader"]
    assert "新建走访活动" in html["yl_staff"] and "新建走访活动" in html["admin"]
    assert "2026年大走访" not in html["yl_cadre"]  # a cadre sees the campaigns they are paired in


@pytest.mark.django_db
def test_a_campaign_page_shows_the_buttons_of_the_role(tree) -> None:  # type: ignore[no-untyped-def]
    campaign = city_campaign(tree)
    url = f"/outreach/campaigns/{campaign.pk}/"
    admin = client_for(tree.city_admin).get(url).content.decode()
    staff = client_for(tree.yanliang_staff).get(url).content.decode()
    leader = client_for(tree.city_leader).get(url).content.decode()
    assert "启动活动" in admin and "结束活动" in admin and "修改" in admin
    assert "阎良区总工会" in staff and "启动活动" not in staff and "结束活动" not in staff
    assert "启动活动" not in leader and "/edit/" not in leader
    assert client_for(tree.yanliang_cadre).get(url).status_code == 404
    assert client_for(tree.yanliang_staff).get(f"/outreach/campaigns/{campaign.pk}/edit/").status_code == 403
    assert client_for(tree.yanliang_staff).post(f"/outreach/campaigns/{campaign.pk}/activate/").status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == "draft"


@pytest.mark.django_db
def test_the_form_creates_a_campaign_with_its_targets(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(tree.city_admin)
    page = client.get("/outreach/campaigns/new/").content.decode()
    assert "阎良区总工会" in page and "雁塔区总工会" in page and 'name="targets-TOTAL_FORMS"' in page
    response = client.post("/outreach/campaigns/new/", _form(tree))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outreach/campaigns/{campaign.pk}/"
    assert (campaign.org, campaign.enterprise_groups, campaign.worker_groups) == (
        tree.city, ["non_public", "small_micro"], ["archived"],
    )  # fmt: skip
    assert list(CampaignTarget.objects.values_list("org", "enterprises", "homes")) == [(tree.yanliang.pk, 30, 8)]
    edit = client.post(f"/outreach/campaigns/{campaign.pk}/edit/", _form(tree, name="2026年春季走访"))
    campaign.refresh_from_db()
    assert edit.status_code == 302 and campaign.name == "2026年春季走访"


@pytest.mark.django_db
def test_bad_input_answers_400_in_chinese_and_writes_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    client = client_for(tree.yanliang_staff)
    bad = [
        (_form(tree, org=str(tree.yanliang.pk), ends_on="2026-02-01"), "结束日期不能早于开始日期"),
        (_form(tree, org=str(tree.yanliang.pk), **{"targets-0-homes": "-3"}), "入户走访目标"),
        (_form(tree, org=str(tree.yanliang.pk), enterprises_per_cadre="99"), "每名干部结对企业数"),
        (_form(tree, org=str(tree.city.pk)), "有效的选项"),  # the city is not among a district staff's organizers
        (_form(tree, org=str(tree.yanliang.pk), **{"targets-1-org": str(tree.yanliang.pk)}), "填写了两次"),
    ]
    for data, words in bad:
        response = client.post("/outreach/campaigns/new/", data)
        assert response.status_code == 400 and words in response.content.decode(), words
    assert not Campaign.objects.exists()
    assert client_for(tree.yanliang_cadre).get("/outreach/campaigns/new/").status_code == 403
