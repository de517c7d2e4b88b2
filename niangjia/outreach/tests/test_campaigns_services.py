"""Campaign services: who may run a campaign and where, the scope and targets checked, audited; the
enterprises and cadres a campaign covers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.core.models import AuditEntry
from niangjia.orgs.models import Area
from niangjia.outreach.choices import CampaignStatus
from niangjia.outreach.models import Campaign, CampaignTarget
from niangjia.outreach.selectors.pairing_inputs import campaign_cadres, campaign_enterprises
from niangjia.outreach.services.campaigns import (
    CampaignData,
    TargetData,
    campaign_activate,
    campaign_close,
    campaign_create,
    campaign_update,
)
from niangjia.outreach.tests.test_pairing_fixtures import Ground, city_campaign, ground

__all__ = ["ground"]  # the fixture, imported


def _data(org, **fields) -> CampaignData:  # type: ignore[no-untyped-def]
    return CampaignData(**{"name": "阎良区春季走访", "starts_on": date(2026, 3, 1), "ends_on": date(2026, 4, 30),
                           "org": org, **fields})  # fmt: skip


@pytest.mark.django_db
def test_district_staff_run_a_campaign_of_their_district_audited(tree) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_create(
        actor=tree.yanliang_staff,
        data=_data(tree.yanliang, enterprise_groups=["non_public", "platform"], worker_groups=["sudden"],
                   targets=[TargetData(org=tree.yanliang, enterprises=40, homes=12)]),
    )  # fmt: skip
    assert (campaign.status, campaign.enterprise_groups, campaign.created_by) == (
        CampaignStatus.DRAFT, ["non_public", "platform"], tree.yanliang_staff,
    )  # fmt: skip
    assert list(CampaignTarget.objects.values_list("org__name", "enterprises", "homes")) == [("阎良区总工会", 40, 12)]
    entry = AuditEntry.objects.get(action="outreach.campaign.create")
    assert entry.new_values is not None and entry.new_values["targets"] == f"{tree.yanliang.pk}:40/12"
    assert entry.org_path == tree.yanliang.path
    campaign_activate(actor=tree.yanliang_staff, campaign=campaign)
    campaign_update(actor=tree.yanliang_staff, campaign=campaign, data=_data(tree.yanliang, name="阎良区春季大走访"))
    change = AuditEntry.objects.get(action="outreach.campaign.change")
    assert change.old_values == {"name": "阎良区春季走访", "enterprise_groups": "non_public,platform",
                                 "worker_groups": "sudden", "targets": f"{tree.yanliang.pk}:40/12"}  # fmt: skip
    assert not CampaignTarget.objects.exists()
    campaign_close(actor=tree.yanliang_staff, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    with pytest.raises(ValidationError, match="已结束"):
        campaign_update(actor=tree.yanliang_staff, campaign=campaign, data=_data(tree.yanliang))


@pytest.mark.django_db
def test_who_may_run_a_campaign(tree) -> None:  # type: ignore[no-untyped-def]
    for actor, org in [
        (tree.yanliang_staff, tree.city),  # above their district
        (tree.yanta_staff, tree.yanliang),  # another district
        (tree.yanliang_cadre, tree.yanliang),  # a cadre
        (tree.yanliang_leader, tree.yanliang),  # a leader reads only
    ]:
        with pytest.raises(PermissionDenied):
            campaign_create(actor=actor, data=_data(org))
    assert not Campaign.objects.exists() and not AuditEntry.objects.filter(action__startswith="outreach").exists()


@pytest.mark.django_db
def test_bad_input_is_refused_in_chinese_naming_the_field(tree) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (_data(tree.yanliang_street), "org", "主办组织应为"),
        (_data(tree.yanliang, ends_on=date(2026, 2, 1)), "ends_on", "结束日期不能早于开始日期"),
        (_data(tree.yanliang, enterprise_groups=["state"]), "enterprise_groups", "重点群体"),
        (_data(tree.yanliang, worker_groups=["sudden", "sudden"]), "worker_groups", "每项最多一次"),
        (_data(tree.yanliang, orgs=[tree.yanta_street]), "orgs", "下级组织"),
        (_data(tree.yanliang, areas=[Area.objects.get(code="610113")]), "areas", "阎良区"),
        (_data(tree.yanliang, targets=[TargetData(org=tree.yanta)]), "targets", "雁塔区总工会"),
        (_data(tree.yanliang, targets=[TargetData(org=tree.yanliang)] * 2), "targets", "两次"),
        (_data(tree.yanliang, targets=[TargetData(org=tree.yanliang, homes=-1)]), "targets", "入户走访目标"),
        (_data(tree.yanliang, enterprises_per_cadre=51), "enterprises_per_cadre", "1 到 50"),
        (_data(tree.yanliang, name=" "), "name", ""),
        (_data(tree.yanliang, starts_on=date(1800, 1, 1)), "starts_on", "1900"),
    ]
    for data, field, words in cases:
        with pytest.raises(ValidationError) as caught:
            campaign_create(actor=tree.city_admin, data=data)
        assert field in caught.value.message_dict and words in " ".join(caught.value.message_dict[field]), field
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_a_campaign_covers_its_scope_and_target_groups(ground: Ground) -> None:
    t = ground.tree
    everything = city_campaign(t)
    assert campaign_enterprises(everything).count() == 9
    assert set(campaign_cadres(everything).values_list("username", flat=True)) == {
        "yl_cadre", "yl_cadre2", "ca", "cb", "cy",
    }  # fmt: skip
    groups = city_campaign(t, name="重点企业", enterprise_groups=["platform", "small_micro"])
    assert set(campaign_enterprises(groups).values_list("name", flat=True)) == {
        "阎良甲机械有限公司", "阎良乙物流有限公司", "阎良丙餐饮有限公司", "阎良丁配送站", "雁塔甲科技有限公司",
        "阎良餐饮有限公司", "阎良物流有限公司", "雁塔科技有限公司",
    }  # fmt: skip
    non_public = city_campaign(t, name="非公企业", enterprise_groups=["non_public"])
    assert "雁塔乙集团有限公司" not in set(campaign_enterprises(non_public).values_list("name", flat=True))
    by_org = city_campaign(t, name="雁塔", orgs=[t.yanta_street])
    assert campaign_enterprises(by_org).count() == 3
    assert list(campaign_cadres(by_org).values_list("username", flat=True)) == ["cy"]
    by_area = city_campaign(t, name="阎良", areas=[Area.objects.get(code="610114")])
    assert campaign_enterprises(by_area).count() == 6 and campaign_cadres(by_area).count() == 4
    t.yanliang_cadre2.is_active = False
    t.yanliang_cadre2.save()
    assert campaign_cadres(by_area).count() == 3


@pytest.mark.django_db
def test_activate_and_close_follow_the_status(tree) -> None:  # type: ignore[no-untyped-def]
    campaign = city_campaign(tree)
    with pytest.raises(PermissionDenied):
        campaign_activate(actor=tree.yanliang_staff, campaign=campaign)
    campaign_activate(actor=tree.city_admin, campaign=campaign)
    with pytest.raises(ValidationError, match="只有筹备中"):
        campaign_activate(actor=tree.city_admin, campaign=campaign)
    campaign_close(actor=tree.city_admin, campaign=campaign)
    with pytest.raises(ValidationError, match="已经结束"):
        campaign_close(actor=tree.city_admin, campaign=campaign)
    assert list(AuditEntry.objects.filter(action__startswith="outreach.campaign").values_list("action", flat=True)
                .order_by("id")) == ["outreach.campaign.create", "outreach.campaign.activate",
                                     "outreach.campaign.close"]  # fmt: skip
