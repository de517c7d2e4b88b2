"""One shape for the buttons that move a campaign on (start it, publish or release its pairing): run the
service on the campaign in the user's scope, say what happened, go back to the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from niangjia.orgs.auth import staff_of
from niangjia.outreach.selectors import campaigns as campaign_selectors


def refused(request: HttpRequest, exc: ValidationError | PermissionDenied | Http404) -> None:
    """Show why a service refused, in its own words."""
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or "记录不存在或不在您的管辖范围内。")


def campaign_move(request: HttpRequest, pk: int, service: Callable[..., Any], done: str, *, back: str) -> HttpResponse:
    """`service(actor=…, campaign=…)` on campaign `pk`; `done` as the message on success; back to URL name `back`."""
    user = staff_of(request)
    campaign = campaign_selectors.campaign_get(user=user, pk=pk)
    try:
        service(actor=user, campaign=campaign)
        messages.success(request, done)
    except ValidationError as exc:  # a refusal of rights stays a 403
        refused(request, exc)
    return redirect(back, pk=pk)
