"""Demo data of the outreach part (filled in by the outreach work; see the part's docs)."""

from __future__ import annotations

from typing import Any

from niangjia.demo.orgs import TreeSeed
from niangjia.demo.outreach_campaign import campaign_seed
from niangjia.demo.outreach_visits import visits_seed


def outreach_seed(*, tree: TreeSeed, seed: int, workers: int, stdout: Any) -> None:
    """Write the outreach part's demo data through its services."""
    campaign = campaign_seed(tree=tree, seed=seed, stdout=stdout)
    visits_seed(campaign=campaign, seed=seed, stdout=stdout)
