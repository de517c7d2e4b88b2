"""Disclosures of a person's identity, and the hourly budget they share.

A disclosure tells a user something an identifier hides: revealing a full ID number or
phone, finding a person by their full ID number or phone, or learning that an ID number is
already registered by another union. Each is audited by the service that makes it, and each
counts against one budget per user and hour (setting NIANGJIA_DISCLOSURES_PER_HOUR), counted
from those audit entries, so a user cannot test thousands of candidate numbers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from niangjia.core.models import AuditEntry

# Audit actions that count against the budget (registered by the apps that write them).
DISCLOSURE_ACTIONS = (
    "core.reveal",
    "core.identifier_search",
    "registry.worker.found_elsewhere",
    "registry.transfer.request",
)


class DisclosureLimitReached(Exception):
    """The user has used up this hour's disclosures; the message is shown to them (HTTP 429)."""


def disclosures_left(*, actor: Any) -> int:
    """How many disclosures `actor` may still make in the current hour."""
    limit = int(settings.NIANGJIA_DISCLOSURES_PER_HOUR)
    since = timezone.now() - timedelta(hours=1)
    used = AuditEntry.objects.filter(actor_id=actor.pk, action__in=DISCLOSURE_ACTIONS, at__gte=since).count()
    return max(limit - used, 0)


def disclosure_check(*, actor: Any, count: int = 1) -> None:
    """Raise DisclosureLimitReached unless `actor` may make `count` more disclosures this hour."""
    if disclosures_left(actor=actor) < count:
        raise DisclosureLimitReached(
            f"一小时内查看完整证件号、手机号或按证件号查找的次数已达上限"
            f"（每小时 {settings.NIANGJIA_DISCLOSURES_PER_HOUR} 次），请稍后再试；如确有工作需要，请联系区县总工会。"
        )
