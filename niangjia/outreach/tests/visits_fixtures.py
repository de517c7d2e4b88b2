"""Fixtures of the visit tests: the shared tree, the small registry, an active campaign with two pairings.

Test modules import the fixtures they use from here (the part's conftest is shared with the pairing tests).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.outreach.models import Campaign, Pairing
from niangjia.outreach.services.signals import SignalData
from niangjia.outreach.services.visits import NeedData, VisitData
from niangjia.registry.models import HouseholdMember
from niangjia.registry.tests.conftest import Registry, build_registry


@dataclass
class World:
    tree: Any
    registry: Registry
    campaign: Campaign

    @property
    def household(self) -> Any:
        return self.registry.yl_household

    def member(self, name: str) -> HouseholdMember:
        return HouseholdMember.objects.get(household=self.registry.yl_household, name=name)


def make_campaign(tree: Any, registry: Registry, **fields: Any) -> Campaign:
    """An active city campaign over the last and next 30 days; yl_cadre paired with 阎良餐饮, yl_cadre2 with 阎良物流."""
    today = timezone.localdate()
    values = {
        "name": "2026年大走访",
        "org": tree.city,
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=30),
        "status": "active",
        "created_by": tree.city_admin,
        "enterprise_groups": ["non_public", "small_micro"],
        "worker_groups": ["archived", "not_archived", "sudden"],
    } | fields
    campaign = Campaign.objects.create(**values)
    Pairing.objects.create(campaign=campaign, cadre=tree.yanliang_cadre, enterprise=registry.yl_enterprise)
    Pairing.objects.create(campaign=campaign, cadre=tree.yanliang_cadre2, enterprise=registry.yl_enterprise2)
    return campaign


@pytest.fixture
def world(tree: Any) -> World:
    registry = build_registry(tree)
    return World(tree=tree, registry=registry, campaign=make_campaign(tree, registry))


@pytest.fixture
def visit_urls(settings: Any, tmp_path: Any) -> None:
    """Photos written under a temporary MEDIA_ROOT (the visit pages and API are the site's own)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_visit(world: World, **fields: Any) -> VisitData:
    """A home visit to 冯建民's household today (fields override)."""
    values: dict[str, Any] = {
        "campaign": world.campaign,
        "kind": "home",
        "date": timezone.localdate(),
        "household": world.household,
        "people_met": 2,
        "people_notes": "冯建民及其女儿",
        "basic_clear": True,
        "hardship_clear": True,
        "satisfaction": 5,
    } | fields
    return VisitData(**values)


def enterprise_visit(world: World, **fields: Any) -> VisitData:
    values: dict[str, Any] = {
        "campaign": world.campaign,
        "kind": "enterprise",
        "date": timezone.localdate(),
        "enterprise": world.registry.yl_enterprise,
        "people_met": 6,
        "satisfaction": 4,
    } | fields
    return VisitData(**values)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


__all__ = [
    "NeedData",
    "SignalData",
    "World",
    "client_for",
    "enterprise_visit",
    "home_visit",
    "make_campaign",
    "new_id",
    "visit_urls",
    "world",
]
