"""A per-address hourly counter for the public pages, kept in the database so every web process shares it."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from niangjia.tickets.models import PublicHit


def _key(address: str | None) -> str:
    # The address is personal data: only a keyed digest is kept.
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address or '-'}".encode()).hexdigest()


def hit(*, address: str | None, bucket: str, limit: int) -> bool:
    """Count one request from `address` in `bucket`; return False when the hour's limit is already used."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    key = _key(address)
    with transaction.atomic():
        updated = PublicHit.objects.filter(address_hash=key, bucket=bucket, hour=hour, count__lt=limit).update(
            count=F("count") + 1
        )
        if updated:
            return True
        if PublicHit.objects.filter(address_hash=key, bucket=bucket, hour=hour).exists():
            return False
        try:
            with transaction.atomic():
                PublicHit.objects.create(address_hash=key, bucket=bucket, hour=hour, count=1)
        except IntegrityError:  # another request of the same address created it first
            return hit(address=address, bucket=bucket, limit=limit)
    return limit >= 1


def hits_prune(*, before: datetime) -> int:
    """Delete the counters of hours that started before `before` (they limit nothing any more); return how many."""
    deleted, _ = PublicHit.objects.filter(hour__lt=before).delete()
    return deleted
