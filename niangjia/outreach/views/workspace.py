"""The cadre's workspace: /outreach/today/, "what do I do today" on one phone page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from niangjia.orgs.auth import staff_of
from niangjia.outreach.selectors.workspace import FOLLOW_UP_DAYS, workspace


@login_required
def today_view(request: HttpRequest) -> HttpResponse:
    """My enterprises with their last visit, homes to visit, what is due, my open tickets and conflicts."""
    found = workspace(user=staff_of(request), today=timezone.localdate())
    return render(request, "outreach/workspace.html", {"w": found, "follow_up_days": FOLLOW_UP_DAYS})
