"""The pairing page for each role: the run's figures against the baseline, the map's points and the table
within scope, the forms only for those who may use them; run, try, publish, swap, fix and exclude by POST."""

from __future__ import annotations

import json
import re

import pytest

from niangjia.outreach.models import Pairing, PairingExclusion, PairingRun
from niangjia.outreach.services.pairing import pairing_publish, pairing_run
from niangjia.outreach.tests.test_pairing_fixtures import Ground, city_campaign, client_for, ground
from niangjia.registry.models import EnterpriseAssignment

__all__ = ["ground"]  # the fixture, imported


def _points(html: str) -> list[dict]:  # type: ignore[type-arg]
    found = re.search(r'<script id="pairing-points" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_each_role_sees_its_part_of_the_pairing_and_only_its_buttons(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    pairing_run(actor=t.city_admin, campaign=campaign)
    pairing_publish(actor=t.city_admin, campaign=campaign)
    url = f"/outreach/campaigns/{campaign.pk}/pairing/"
    admin = client_for(t.city_admin).get(url).content.decode()
    staff = client_for(t.yanliang_staff).get(url).content.decode()
    yanta = client_for(t.yanta_staff).get(url).content.decode()
    cadre = client_for(ground.cb).get(url).content.decode()
    leader = client_for(t.yanliang_leader).get(url).content.decode()
    assert "计算结对" in admin and "解除结对" in admin and "轮流分配" in admin and "已证明最优" in admin
    assert len(_points(admin)) == 5
    assert {p["enterprise"] for p in _points(staff)} == {ground.a.name, ground.b.name, "阎良餐饮有限公司",
                                                        "阎良物流有限公司"}  # fmt: skip
    assert "交换" in staff and 'data-testid="run-form"' not in staff  # district staff adjust, the city runs
    assert [p["enterprise"] for p in _points(yanta)] == [ground.y1.name] and ground.a.name not in yanta
    assert [p["enterprise"] for p in _points(cadre)] == [ground.b.name]
    assert 'data-testid="swap-form"' not in cadre and 'data-testid="run-form"' not in cadre
    assert 'data-testid="swap-form"' not in leader and "发布结对" not in leader and len(_points(leader)) == 4
    point = next(p for p in _points(admin) if p["enterprise"] == ground.a.name)
    assert point["e"] == [34.65, 109.2] and point["c"] == [34.65, 109.2] and point["km"] == 0.0
    assert client_for(t.yanliang_staff).get(f"{url}?district={t.yanta.pk}").status_code == 200
    filtered = client_for(t.city_admin).get(f"{url}?district={t.yanta.pk}").content.decode()
    assert [p["enterprise"] for p in _points(filtered)] == [ground.y1.name]
    searched = client_for(t.city_admin).get(f"{url}?q=cb").content.decode()
    assert [p["enterprise"] for p in _points(searched)] == [ground.b.name]


@pytest.mark.django_db
def test_the_page_runs_tries_and_publishes(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    client = client_for(t.city_admin)
    base = f"/outreach/campaigns/{campaign.pk}/pairing/"
    tried = client.post(f"{base}run/", {"enterprises_per_cadre": "1", "dry_run": "on"})
    assert tried.status_code == 200 and "试算结果没有保存" in tried.content.decode()
    assert "比轮流分配少走" in tried.content.decode() and not Pairing.objects.exists()
    assert client.post(f"{base}run/", {"enterprises_per_cadre": "1"}).status_code == 302
    assert Pairing.objects.count() == 5 and PairingRun.objects.count() == 1
    refused = client.post(f"{base}run/", {"enterprises_per_cadre": "0"}, follow=True).content.decode()
    assert "每名干部结对企业数应为 1 到 50" in refused and PairingRun.objects.count() == 1
    assert not EnterpriseAssignment.objects.filter(cadre=ground.cb).exists()
    client.post(f"{base}publish/")
    assert set(EnterpriseAssignment.objects.filter(cadre=ground.cb).values_list("enterprise", flat=True)) == {
        ground.b.pk
    }
    assert client_for(t.yanliang_staff).post(f"{base}run/", {"enterprises_per_cadre": "1"}).status_code == 302
    assert PairingRun.objects.count() == 1  # refused: district staff cannot run the city's campaign


@pytest.mark.django_db
def test_swap_fix_and_exclusions_from_the_page(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    pairing_run(actor=t.city_admin, campaign=campaign)
    client = client_for(t.yanliang_staff)
    base = f"/outreach/campaigns/{campaign.pk}/pairing/"
    done = client.post(f"{base}swap/", {"swap-first": ground.a.name, "swap-second": ground.b.uscc}, follow=True)
    assert "已交换" in done.content.decode()
    assert Pairing.objects.get(enterprise=ground.a).cadre == ground.cb
    refused = client.post(f"{base}swap/", {"swap-first": ground.a.name, "swap-second": ground.y1.name}, follow=True)
    assert "没有您管辖范围内的“雁塔甲科技有限公司”的结对" in refused.content.decode()
    fixed = client.post(f"{base}fix/", {"fix-enterprise": ground.c.name, "fix-cadre": "ca"}, follow=True)
    assert "上限" in fixed.content.decode()  # ca already has 乙 (k = 1)
    pairing = Pairing.objects.get(enterprise=ground.a)
    unfix = client.post(f"{base}{pairing.pk}/unfix/", follow=True)
    assert "已取消固定" in unfix.content.decode() and not Pairing.objects.get(enterprise=ground.a).fixed
    data = {"exclude-enterprise": ground.c.name, "exclude-cadre": "yl_cadre", "exclude-reason": "亲属经营"}
    assert "已登记不结对" in client.post(f"{base}exclusions/", data, follow=True).content.decode()
    exclusion = PairingExclusion.objects.get()
    assert (exclusion.cadre, exclusion.enterprise, exclusion.reason) == (t.yanliang_cadre, ground.c, "亲属经营")
    assert "撤销" in client.get(base).content.decode()
    assert client_for(t.yanta_staff).post(f"{base}exclusions/{exclusion.pk}/remove/", follow=True).status_code == 200
    assert PairingExclusion.objects.exists()
    client.post(f"{base}exclusions/{exclusion.pk}/remove/")
    assert not PairingExclusion.objects.exists()
    cadre_try = client_for(ground.ca).post(f"{base}swap/", {"swap-first": ground.a.name, "swap-second": ground.b.name})
    assert cadre_try.status_code == 302 and Pairing.objects.get(enterprise=ground.a).cadre == ground.cb
