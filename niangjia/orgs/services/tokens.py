"""API tokens: created once (the plaintext shown once), stored as digests."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.orgs.models import ApiToken, StaffUser


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: StaffUser, name: str) -> tuple[ApiToken, str]:
    """Create an API token for `user`; return it with the plaintext, shown only once."""
    raw = f"nj_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, digest=_digest(raw), prefix=raw[:8])
        audit_record(actor=user, action="orgs.token.create", target=token)
    return token, raw


def token_authenticate(*, raw: str) -> StaffUser | None:
    """Return the active user owning the bearer token `raw`, or None."""
    token = (
        ApiToken.objects.filter(digest=_digest(raw), revoked=False, user__is_active=True)
        .select_related("user", "user__org")
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
