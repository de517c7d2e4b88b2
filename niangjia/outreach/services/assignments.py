"""Cadres' enterprise assignments follow the published pairings.

The invariant: for every cadre a campaign touches, the registry's assignments (`EnterpriseAssignment`, what
scoping reads for a cadre) are exactly the cadre's pairings in the campaigns whose pairing is current
(published and not released). Every service that changes a current pairing calls `assignments_sync` for the
cadres concerned, inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign, Pairing
from niangjia.registry.services.enterprises import enterprise_assignments_replace


def current_pairs(cadre_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(cadre id, enterprise id) of the cadres' pairings in campaigns whose pairing is current."""
    ids = sorted(set(cadre_ids))
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(ids), 900):
        pairs += Pairing.objects.filter(
            cadre_id__in=ids[start : start + 900],
            campaign__pairing_published_at__isnull=False,
            campaign__pairing_released_at__isnull=True,
        ).values_list("cadre_id", "enterprise_id")
    return sorted(set(pairs))


def assignments_sync(*, actor: StaffUser | None, cadre_ids: Iterable[int], now: datetime) -> tuple[int, int]:
    """Make these cadres' assignments their current pairings; return (added, removed)."""
    ids = sorted(set(cadre_ids))
    if not ids:
        return 0, 0
    return enterprise_assignments_replace(
        cadre_ids=ids, pairs=current_pairs(ids), since=timezone.localdate(now), actor=actor
    )


def pairing_released(*, actor: StaffUser | None, campaign: Campaign, now: datetime) -> None:
    """Stop a campaign's pairing from being current and withdraw its enterprises from its cadres.

    Call inside the caller's transaction, the campaign row locked.
    """
    campaign.pairing_released_at = now
    campaign.save(update_fields=["pairing_released_at"])
    cadres = Pairing.objects.filter(campaign=campaign).values_list("cadre_id", flat=True).distinct()
    added, removed = assignments_sync(actor=actor, cadre_ids=list(cadres), now=now)
    audit_record(
        actor=actor, action="outreach.pairing.release", target=campaign,
        new={"assignments_removed": removed, "assignments_added": added}, org_path=campaign.org.path,
    )  # fmt: skip
