"""`niangjia pair CAMPAIGN`: by id or name, --dry-run writes nothing, --k and --cross-district, --publish;
the report compares the result with the round-robin baseline."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from niangjia.core.models import AuditEntry
from niangjia.outreach.models import Pairing, PairingRun
from niangjia.outreach.tests.test_pairing_fixtures import Ground, city_campaign, ground
from niangjia.registry.models import EnterpriseAssignment

__all__ = ["ground"]  # the fixture, imported


def _pair(*args: str) -> str:
    out = io.StringIO()
    call_command("pair", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_by_name_reports_and_writes_nothing(ground: Ground) -> None:
    city_campaign(ground.tree)
    out = _pair("2026年大走访", "--dry-run")
    assert "试算，未写入" in out and "干部 5 名，待结对企业 9 家" in out
    assert "优化结对" in out and "轮流分配" in out and "0.00 公里" in out and "已证明最优" in out
    assert "阎良区总工会：干部 4，企业 6，结对 4，总距离 0.00 公里" in out
    assert (
        not Pairing.objects.exists() and not AuditEntry.objects.filter(action__startswith="outreach.pairing").exists()
    )


@pytest.mark.django_db
def test_a_run_by_id_writes_publishes_and_records_the_user(ground: Ground) -> None:
    campaign = city_campaign(ground.tree)
    out = _pair(str(campaign.pk), "--k", "2", "--cross-district", "--publish", "--user", "admin")
    assert "每名干部最多 2 家，允许跨区县" in out and "已发布" in out
    run = PairingRun.objects.get()
    assert (run.enterprises_per_cadre, run.cross_district, run.paired, run.created_by) == (
        2, True, 9, ground.tree.city_admin,
    )  # fmt: skip
    assert Pairing.objects.count() == 9
    cadres = [ground.ca, ground.cb, ground.cy, ground.tree.yanliang_cadre, ground.tree.yanliang_cadre2]
    assert EnterpriseAssignment.objects.filter(cadre__in=cadres).count() == 9
    assert AuditEntry.objects.get(action="outreach.pairing.publish").actor_label == "admin"


@pytest.mark.django_db
def test_bad_arguments_are_refused_in_chinese(ground: Ground) -> None:
    city_campaign(ground.tree)
    for args, words in [
        (("不存在的活动",), "找不到走访活动"),
        (("2026年大走访", "--k", "0"), "--k 应在 1 到 50 之间"),
        (("2026年大走访", "--user", "nobody"), "找不到启用中的工作人员"),
        (("2026年大走访", "--user", "yl_staff"), "无权"),
    ]:
        with pytest.raises(CommandError, match=words):
            _pair(*args)
    assert not Pairing.objects.exists()
