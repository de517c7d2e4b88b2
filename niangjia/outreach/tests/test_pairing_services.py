"""Pairing services: the run over a campaign's cadres and enterprises, publication and the cadre's scope,
swaps, fixed pairs, exclusions, release; refusals write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from niangjia.core.models import AuditEntry
from niangjia.outreach.models import Pairing, PairingExclusion, PairingRun
from niangjia.outreach.services.campaigns import campaign_close
from niangjia.outreach.services.pairing import (
    exclusion_add,
    pairing_fix,
    pairing_publish,
    pairing_release,
    pairing_run,
    pairing_swap,
    pairing_unfix,
)
from niangjia.outreach.tests.test_pairing_fixtures import Ground, city_campaign, ground
from niangjia.registry import selectors as registry_selectors
from niangjia.registry.models import EnterpriseAssignment
from niangjia.registry.selectors import EnterpriseFilter, WorkerFilter

__all__ = ["ground"]  # the fixture, imported


def _pairs(campaign) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(p.cadre.username, p.enterprise.name) for p in Pairing.objects.filter(campaign=campaign)}


def _assigned(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(EnterpriseAssignment.objects.filter(cadre=user).values_list("enterprise__name", flat=True))


def _sees(user) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.name for e in registry_selectors.enterprise_list(user=user, filters=EnterpriseFilter(), limit=500)}


@pytest.mark.django_db
def test_a_run_pairs_each_cadre_with_the_nearest_enterprises_inside_their_district(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    outcome = pairing_run(actor=t.city_admin, campaign=campaign)
    assert _pairs(campaign) == {
        ("ca", ground.a.name), ("cb", ground.b.name), ("cy", ground.y1.name),
        ("yl_cadre", "阎良餐饮有限公司"), ("yl_cadre2", "阎良物流有限公司"),
    } or _pairs(campaign) == {
        ("ca", ground.a.name), ("cb", ground.b.name), ("cy", ground.y1.name),
        ("yl_cadre", "阎良物流有限公司"), ("yl_cadre2", "阎良餐饮有限公司"),
    }  # fmt: skip
    # Every cadre sits where an enterprise of their own is (an enterprise union, or the street's centre,
    # where the two enterprises without coordinates are placed): the optimum is 0 km, the baseline is not.
    assert set(Pairing.objects.filter(campaign=campaign).values_list("distance_km", flat=True)) == {Decimal("0.00")}
    run = PairingRun.objects.get(campaign=campaign)
    assert (run.cadres, run.enterprises, run.paired, run.total_km, run.optimal) == (5, 9, 5, Decimal("0.00"), True)
    assert run.baseline_total_km is not None and run.baseline_total_km > 0
    assert outcome.solution.total_km == 0
    assert sorted(r["name"] for r in run.districts) == ["阎良区总工会", "雁塔区总工会"]
    assert AuditEntry.objects.filter(action="outreach.pairing.create").count() == 5
    assert AuditEntry.objects.filter(action="outreach.pairing.run", target_id=str(campaign.pk)).count() == 1


@pytest.mark.django_db
def test_target_groups_choose_the_enterprises_and_the_nearest_cadre_takes_them(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t, enterprise_groups=["platform"])
    pairing_run(actor=t.city_admin, campaign=campaign)
    # 阎良丁配送站 is the only platform enterprise; cb's union (at 乙) is 1.0 km away, the street centre 2.2 km.
    assert _pairs(campaign) == {("cb", ground.d.name)}
    assert Pairing.objects.get(campaign=campaign).distance_km == ground.km(ground.cb, ground.d)


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing(ground: Ground) -> None:
    campaign = city_campaign(ground.tree)
    outcome = pairing_run(actor=ground.tree.city_admin, campaign=campaign, dry_run=True)
    assert outcome.solution.paired == 5 and outcome.run is None
    assert not Pairing.objects.exists() and not PairingRun.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="outreach.pairing").exists()


@pytest.mark.django_db
def test_k_per_cadre_and_crossing_districts(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    pairing_run(actor=t.city_admin, campaign=campaign, enterprises_per_cadre=2)
    counts: dict[str, int] = {}
    for p in Pairing.objects.filter(campaign=campaign):
        counts[p.cadre.username] = counts.get(p.cadre.username, 0) + 1
    # 阎良: 6 enterprises for 4 cadres × 2; 雁塔: 3 enterprises for cy alone, who takes 2.
    assert sum(counts.values()) == 8 and max(counts.values()) == 2 and counts["cy"] == 2
    assert all(p.enterprise.org.path.startswith(t.yanta.path) for p in Pairing.objects.filter(cadre=ground.cy))
    pairing_run(actor=t.city_admin, campaign=campaign, enterprises_per_cadre=1, cross_district=True)
    run = PairingRun.objects.first()
    assert run is not None and run.cross_district and run.paired == 5 and run.districts[0]["name"] == "西安市总工会"


@pytest.mark.django_db
def test_publication_makes_the_cadres_scope_exactly_their_pairings_and_a_repairing_moves_it(ground: Ground) -> None:
    t, r = ground.tree, ground.registry
    campaign = city_campaign(t, enterprise_groups=["platform"])
    pairing_run(actor=t.city_admin, campaign=campaign)
    assert _assigned(t.yanliang_cadre) == {"阎良餐饮有限公司"}  # the registry's assignment, before publication
    pairing_publish(actor=t.city_admin, campaign=campaign)
    # cb is paired with 丁 only; yl_cadre, in the scope but unpaired, keeps nothing.
    assert _assigned(ground.cb) == {ground.d.name} and _sees(ground.cb) == {ground.d.name}
    assert _assigned(t.yanliang_cadre) == set() and _sees(t.yanliang_cadre) == set()
    assert registry_selectors.worker_list(user=t.yanliang_cadre, filters=WorkerFilter()) == []
    with pytest.raises(Http404):
        registry_selectors.household_get(user=t.yanliang_cadre, pk=r.yl_household.pk)
    # A manual fix gives 阎良餐饮 (with a worker and a household) to yl_cadre: they see it and its people.
    pairing_fix(actor=t.yanliang_staff, campaign=campaign, cadre=t.yanliang_cadre, enterprise=r.yl_enterprise)
    assert _sees(t.yanliang_cadre) == {"阎良餐饮有限公司"}
    assert [w.name for w in registry_selectors.worker_list(user=t.yanliang_cadre, filters=WorkerFilter())] == ["冯建民"]
    assert registry_selectors.household_get(user=t.yanliang_cadre, pk=r.yl_household.pk)
    # Re-pairing: the fix moves 阎良餐饮 to yl_cadre2; yl_cadre's old enterprise and its people are gone.
    pairing_fix(actor=t.yanliang_staff, campaign=campaign, cadre=t.yanliang_cadre2, enterprise=r.yl_enterprise)
    assert _sees(t.yanliang_cadre) == set() and _sees(t.yanliang_cadre2) == {"阎良餐饮有限公司"}
    assert registry_selectors.worker_list(user=t.yanliang_cadre, filters=WorkerFilter()) == []
    changes = AuditEntry.objects.filter(action="registry.enterprise.assign", target_label="阎良餐饮有限公司")
    assert list(changes.order_by("id").values_list("old_values", "new_values"))[-1] == (
        {"cadres": "yl_cadre"},
        {"cadres": "yl_cadre2"},
    )


@pytest.mark.django_db
def test_a_rerun_of_a_published_pairing_moves_the_assignments_at_once(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t, enterprise_groups=["platform"])
    pairing_run(actor=t.city_admin, campaign=campaign)
    pairing_publish(actor=t.city_admin, campaign=campaign)
    exclusion_add(actor=t.city_admin, campaign=campaign, cadre=ground.ca, enterprise=ground.d, reason="亲属经营")
    with pytest.raises(ValidationError, match="请先交换或改派"):
        exclusion_add(actor=t.city_admin, campaign=campaign, cadre=ground.cb, enterprise=ground.d, reason="回避")
    pairing_fix(actor=t.city_admin, campaign=campaign, cadre=t.yanliang_cadre, enterprise=ground.d)
    pairing_unfix(actor=t.city_admin, pairing=Pairing.objects.get(enterprise=ground.d))
    pairing_run(actor=t.city_admin, campaign=campaign)
    assert _pairs(campaign) == {("cb", ground.d.name)}
    assert _assigned(ground.cb) == {ground.d.name} and _assigned(t.yanliang_cadre) == set()


@pytest.mark.django_db
def test_fixed_pairs_are_kept_and_exclusions_honoured_by_a_run(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    pairing_fix(actor=t.yanliang_staff, campaign=campaign, cadre=ground.ca, enterprise=ground.c)
    exclusion_add(actor=t.yanliang_staff, campaign=campaign, cadre=ground.cb, enterprise=ground.b, reason="亲属经营")
    pairing_run(actor=t.city_admin, campaign=campaign)
    pairs = _pairs(campaign)
    assert ("ca", ground.c.name) in pairs and ("cb", ground.b.name) not in pairs
    assert Pairing.objects.get(campaign=campaign, cadre=ground.ca).fixed
    # cb, kept off 乙, takes the nearest enterprise left: 丁 (1.0 km) rather than 甲 or 乙.
    assert ("cb", ground.d.name) in pairs
    assert Pairing.objects.get(campaign=campaign, cadre=ground.cb).distance_km == ground.km(ground.cb, ground.d)
    run = PairingRun.objects.get()
    assert run.fixed == 1 and run.paired == 5


@pytest.mark.django_db
def test_a_swap_exchanges_cadres_fixes_both_and_follows_a_published_pairing(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    pairing_run(actor=t.city_admin, campaign=campaign)
    pairing_publish(actor=t.city_admin, campaign=campaign)
    a, b = Pairing.objects.get(enterprise=ground.a), Pairing.objects.get(enterprise=ground.b)
    pairing_swap(actor=t.yanliang_staff, first=a, second=b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.cadre, b.cadre, a.fixed, b.fixed, a.manual) == (ground.cb, ground.ca, True, True, True)
    assert a.distance_km == ground.km(ground.cb, ground.a) == b.distance_km
    assert _assigned(ground.ca) == {ground.b.name} and _assigned(ground.cb) == {ground.a.name}
    assert AuditEntry.objects.filter(action="outreach.pairing.swap").count() == 2


@pytest.mark.django_db
def test_refused_changes_write_nothing(ground: Ground) -> None:
    t = ground.tree
    campaign = city_campaign(t)
    pairing_run(actor=t.city_admin, campaign=campaign)
    a, y1 = Pairing.objects.get(enterprise=ground.a), Pairing.objects.get(enterprise=ground.y1)
    before = (_pairs(campaign), AuditEntry.objects.count(), PairingExclusion.objects.count())
    with pytest.raises(PermissionDenied):  # 雁塔 staff, a 阎良 pairing
        pairing_swap(actor=t.yanta_staff, first=a, second=y1)
    with pytest.raises(ValidationError, match="不在同一区县"):
        pairing_swap(actor=t.city_admin, first=a, second=y1)
    with pytest.raises(PermissionDenied):  # a cadre, a leader
        pairing_swap(actor=t.yanliang_cadre, first=a, second=a)
    with pytest.raises(PermissionDenied):
        pairing_fix(actor=t.yanliang_leader, campaign=campaign, cadre=ground.ca, enterprise=ground.b)
    with pytest.raises(PermissionDenied):  # district staff cannot run the city's campaign
        pairing_run(actor=t.yanliang_staff, campaign=campaign)
    with pytest.raises(ValidationError, match="上限"):
        pairing_fix(actor=t.city_admin, campaign=campaign, cadre=ground.ca, enterprise=ground.c)
    with pytest.raises(ValidationError, match="不在同一区县"):
        pairing_fix(actor=t.city_admin, campaign=campaign, cadre=ground.cy, enterprise=ground.c)
    assert (_pairs(campaign), AuditEntry.objects.count(), PairingExclusion.objects.count()) == before


@pytest.mark.django_db
def test_closing_releases_the_pairing_unless_kept_and_a_closed_campaign_is_frozen(ground: Ground) -> None:
    t = ground.tree
    kept = city_campaign(t, enterprise_groups=["platform"])
    pairing_run(actor=t.city_admin, campaign=kept)
    pairing_publish(actor=t.city_admin, campaign=kept)
    campaign_close(actor=t.city_admin, campaign=kept, keep_pairing=True)
    assert _assigned(ground.cb) == {ground.d.name}
    with pytest.raises(ValidationError, match="已经结束"):
        pairing_run(actor=t.city_admin, campaign=kept)
    pairing_release(actor=t.city_admin, campaign=kept)
    assert _assigned(ground.cb) == set()
    released = city_campaign(t, name="第二轮走访", enterprise_groups=["platform"])
    pairing_run(actor=t.city_admin, campaign=released)
    pairing_publish(actor=t.city_admin, campaign=released)
    assert _assigned(ground.cb) == {ground.d.name}
    campaign_close(actor=t.city_admin, campaign=released)
    released.refresh_from_db()
    assert released.pairing_released_at is not None and _assigned(ground.cb) == set()
    assert AuditEntry.objects.filter(action="outreach.pairing.release").count() == 2
