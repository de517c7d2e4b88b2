"""The demo: after `niangjia seed` (small), the dashboard and the bulletin are filled from the demo's records,
and every number agrees with the records behind it."""

from __future__ import annotations

import io
import re

import pytest
from django.db import transaction
from django.db.models import Sum

from niangjia.demo.management.commands.seed import Command as Seed
from niangjia.demo.orgs import tree_seed
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign, CampaignTarget, Pairing
from niangjia.reports import indicators
from niangjia.reports.bulletin import bulletin_data, bulletin_pdf
from niangjia.reports.choices import Measure
from niangjia.reports.selectors.records import cell_queryset
from niangjia.reports.selectors.tables import indicator_table

WORKERS = 2000


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The small demo, seeded once for the module (every part's step, the reports' one last)."""
    with django_db_blocker.unblock(), transaction.atomic():
        tree = tree_seed(seed=11)
        out = io.StringIO()
        for step in Seed()._extensions():
            step(tree=tree, seed=11, workers=WORKERS, stdout=out)
        yield tree, out.getvalue()
        transaction.set_rollback(True)  # the ledger and the audit log are append-only: nothing to flush


@pytest.mark.django_db
def test_the_demo_step_refreshes_every_campaign(demo) -> None:  # type: ignore[no-untyped-def]
    _tree, output = demo
    campaigns = list(Campaign.objects.all())
    assert campaigns and all(f"统计报表：{c.name}" in output for c in campaigns)


@pytest.mark.django_db
def test_the_dashboard_is_full_and_agrees_with_the_records(demo, client) -> None:  # type: ignore[no-untyped-def]
    tree, _ = demo
    campaign = Campaign.objects.get()
    admin = StaffUser.objects.get(username="xa_admin")
    table = indicator_table(user=admin, campaign=campaign, base=tree.city, items=indicators.INDICATORS)
    total = table.total.cells
    # Straight from the records: targets, pairings.
    assert (
        total["enterprises_target"].raw
        == CampaignTarget.objects.filter(campaign=campaign).aggregate(n=Sum("enterprises"))["n"]
    )
    assert total["enterprises_paired"].raw == Pairing.objects.filter(campaign=campaign).count() > 0
    # Every count agrees with the list behind it, for every district and the city.
    for row in [*table.rows, table.total]:
        for item in indicators.INDICATORS:
            cell = row.cells[item.code]
            if item.source is None or item.measure not in (Measure.COUNT,) or row.org is None:
                continue
            listed = cell_queryset(user=admin, campaign=campaign, item=item, base=row.org, direct=row.key == "direct")
            assert cell.raw == listed.count(), (row.label, item.code)
    filled = [item.code for item in indicators.INDICATORS if total[item.code].raw]
    assert {"enterprises_target", "enterprises_paired", "cadres_paired"} <= set(filled)
    for who in ("xa_leader", "xa_admin", "yanliang_staff"):
        client.force_login(StaffUser.objects.get(username=who))
        page = client.get("/reports/").content.decode()
        assert "2026年大走访" in page and "数据更新于" in page
        numbers = re.findall(r'data-testid="cell-total-[a-z_]+">([^<]+)<', page)
        assert numbers and any(n not in ("0", "—") for n in numbers)


@pytest.mark.django_db
def test_the_demo_bulletin(demo) -> None:  # type: ignore[no-untyped-def]
    tree, _ = demo
    campaign = Campaign.objects.get()
    bulletin = bulletin_data(campaign=campaign, base=tree.city)
    assert bulletin.headline.startswith("截至") and "名工会干部" in bulletin.headline
    assert len(bulletin.table.rows) >= 13 and bulletin.ranking
    assert bulletin_pdf(bulletin).startswith(b"%PDF")
