"""The demo campaign: 2026年大走访 over the demo registry, started, paired within districts and published
through the services, so that every cadre's enterprises are their pairing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from niangjia.core.models import AuditEntry
from niangjia.demo.orgs import tree_seed
from niangjia.demo.outreach_campaign import campaign_seed
from niangjia.demo.registry import registry_seed
from niangjia.outreach.models import CampaignTarget, Pairing, PairingRun
from niangjia.registry.models import EnterpriseAssignment

TODAY = date(2026, 11, 29)


@pytest.mark.django_db
def test_the_demo_campaign_is_paired_and_published() -> None:
    tree = tree_seed(seed=11)
    registry_seed(tree=tree, seed=11, workers=600, stdout=io.StringIO(), today=TODAY)
    out = io.StringIO()
    campaign = campaign_seed(tree=tree, seed=11, stdout=out, today=TODAY)
    assert (campaign.name, campaign.status, campaign.starts_on) == ("2026年大走访", "active", TODAY - timedelta(55))
    assert campaign.pairing_current and "一人一企结对 1,400 对" in out.getvalue()
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 13
    run = PairingRun.objects.get(campaign=campaign)
    assert run.paired == 1400 and run.optimal and run.mean_km is not None and run.baseline_mean_km is not None
    assert run.mean_km < run.baseline_mean_km
    pairs = set(Pairing.objects.filter(campaign=campaign).values_list("cadre_id", "enterprise_id"))
    assert len({cadre for cadre, _ in pairs}) == 1400
    assert set(EnterpriseAssignment.objects.values_list("cadre_id", "enterprise_id")) == pairs
    # Within districts: each cadre's organization and the enterprise's lie under the same district federation.
    for pairing in Pairing.objects.select_related("cadre__org", "enterprise__org")[:200]:
        assert pairing.cadre.org.path.split("/")[2] == pairing.enterprise.org.path.split("/")[2]
    assert AuditEntry.objects.filter(action="outreach.pairing.create").count() == 1400
