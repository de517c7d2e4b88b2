"""The visit pages for each role: the phone form and its service worker, visits, photos, conflicts."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from niangjia.outreach.models import FactConflict
from niangjia.outreach.services.visits import visit_record
from niangjia.outreach.tests.visits_fixtures import (
    NeedData,
    SignalData,
    World,
    client_for,
    home_visit,
    new_id,
    visit_urls,
    world,
)

__all__ = ["visit_urls", "world"]
pytestmark = pytest.mark.usefixtures("visit_urls")


def test_the_form_page_holds_what_the_phone_needs_offline(world: World) -> None:
    url = f"/outreach/visits/record/{world.campaign.pk}/"
    page = client_for(world.tree.yanliang_cadre).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "记录走访" in text and "2026年大走访" in text and 'id="visit-config"' in text
    assert "vendor/dexie/dexie.min.js" in text and "outreach/visits.js" in text
    config = json.loads(re.search(r'id="visit-config" type="application/json">(.*?)</script>', text).group(1))  # type: ignore[union-attr]
    assert config["signals"]["illness"]["label"] == "患重大疾病"  # the labels travel with the page, offline too
    assert config["campaign"] == world.campaign.pk and ["home", "入户"] in config["kinds"]
    assert client_for(world.tree.yanliang_leader).get(url).status_code == 403  # a leader records nothing
    assert Client().get(url).status_code == 302


def test_the_service_worker_may_control_the_outreach_pages(world: World) -> None:
    response = Client().get("/outreach/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/outreach/"
    assert b"niangjia-visits-v1" in response.content


def test_a_visit_page_shows_its_need_and_signal_in_scope_only(world: World) -> None:
    head = world.member("冯建民")
    visit, _ = visit_record(
        actor=world.tree.yanliang_cadre,
        client_id=new_id(),
        data=home_visit(
            world,
            needs=[NeedData(kind="need", title="子女入学咨询")],
            signals=[SignalData(kind="illness", member=head, base={"health": ""})],
        ),
    )
    for user in (world.tree.yanliang_cadre, world.tree.yanliang_staff, world.tree.city_admin):
        text = client_for(user).get(f"/outreach/visits/{visit.pk}/").content.decode()
        assert "子女入学咨询" in text and "患重大疾病 · 冯建民" in text and "已更新家庭信息" in text
    assert client_for(world.tree.yanta_staff).get(f"/outreach/visits/{visit.pk}/").status_code == 404
    assert client_for(world.tree.yanliang_cadre2).get(f"/outreach/visits/{visit.pk}/").status_code == 404
    listed = client_for(world.tree.yanliang_cadre).get("/outreach/visits/").content.decode()
    assert "入户 · 家庭" in listed and "记录走访（2026年大走访）" in listed
    leader = client_for(world.tree.yanliang_leader).get("/outreach/visits/").content.decode()
    assert "记录走访（" not in leader


def test_a_conflict_is_offered_to_a_person_and_settled_on_its_page(world: World) -> None:
    cadre = world.tree.yanliang_cadre
    child = world.member("冯小雨")
    for kind, values in (("school_start", {"school_stage": "primary"}), ("job_loss", {})):
        visit_record(
            actor=cadre,
            client_id=new_id(),
            data=home_visit(
                world, signals=[SignalData(kind=kind, member=child, values=values, base={"work_status": ""})]
            ),
        )
    conflict = FactConflict.objects.get()
    listed = client_for(cadre).get("/outreach/conflicts/").content.decode()
    assert "冯小雨的工作状态" in listed and "系统中：在校学生；走访填报：失业/未就业" in listed
    assert client_for(world.tree.yanta_staff).get(f"/outreach/conflicts/{conflict.pk}/").status_code == 404
    assert client_for(world.tree.yanliang_leader).get("/outreach/conflicts/").status_code == 403
    page = client_for(world.tree.yanliang_staff).get(f"/outreach/conflicts/{conflict.pk}/").content.decode()
    assert "采用走访时填报的值：失业/未就业" in page and "保留现有的值：在校学生" in page
    staff = client_for(world.tree.yanliang_staff)
    refused = staff.post(f"/outreach/conflicts/{conflict.pk}/resolve/", {"choice": "other"})
    assert refused.status_code == 400 and "请选择列出的两项之一" in refused.content.decode()
    done = staff.post(f"/outreach/conflicts/{conflict.pk}/resolve/", {"choice": "proposed"})
    assert done.status_code == 302
    child.refresh_from_db()
    assert child.work_status == "unemployed"
    after = staff.get(f"/outreach/conflicts/{conflict.pk}/").content.decode()
    assert "已确认：采用走访时填报的值" in after and 'name="choice"' not in after
