"""The signed-in staff user of a request, typed."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from niangjia.orgs.models import StaffUser


def staff_of(request: HttpRequest) -> StaffUser:
    """Return the request's user as a StaffUser (views are behind login_required or API auth)."""
    return cast(StaffUser, request.user)
