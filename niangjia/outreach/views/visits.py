"""Visit pages: the phone form (works offline), the service worker, visits, photos and fact conflicts."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from niangjia.core.scoping import Action, allows, can
from niangjia.orgs.auth import staff_of
from niangjia.outreach.forms.visits import ConflictForm
from niangjia.outreach.selectors import visits as selectors
from niangjia.outreach.services.facts import signal_specs
from niangjia.outreach.services.signals import conflict_resolve
from niangjia.outreach.visit_choices import ConflictStatus, NeedKind, VisitKind
from niangjia.tickets.choices import NeedCategory

SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "outreach" / "visit-sw.js"


@login_required
def record_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The visit form of a campaign: a page the service worker keeps, filled from the offline list."""
    user = staff_of(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    if not allows(user, Action.CHANGE):
        raise PermissionDenied("您的角色只能查看，不能记录走访。")
    context = {
        "campaign": campaign,
        "today": timezone.localdate(),
        "form_data": {
            "campaign": campaign.pk,
            "campaign_name": campaign.name,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "user": user.pk,
            "kinds": VisitKind.choices,
            "need_kinds": NeedKind.choices,
            "categories": NeedCategory.choices,
            "signals": signal_specs(),
        },
    }
    return render(request, "outreach/visit_record.html", context)


@never_cache
def service_worker_view(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /outreach/ so that it may control the visit pages."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/outreach/"
    return response


@login_required
def visit_list_view(request: HttpRequest) -> HttpResponse:
    """Visits in scope, latest first (keyset pages)."""
    user = staff_of(request)
    after = _int(request.GET.get("after"))
    rows = selectors.visit_list(user=user, after_id=after, limit=selectors.PAGE_SIZE + 1)
    more = len(rows) > selectors.PAGE_SIZE
    rows = rows[: selectors.PAGE_SIZE]
    context = {
        "rows": rows,
        "next_after": rows[-1].pk if more and rows else None,
        "campaigns": list(selectors.campaigns_for(user=user, active_only=True)[:20]),
        "can_record": allows(user, Action.CHANGE),
    }
    return render(request, "outreach/visit_list.html", context)


@login_required
def visit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit: who, where, the checklist, needs (tickets), signals, photos."""
    user = staff_of(request)
    visit = selectors.visit_get(user=user, pk=pk)
    context = {
        "v": visit,
        "sensitive": allows(user, Action.SENSITIVE),
        "needs": list(visit.needs.all()),
        "signals": list(visit.signals.all()),
        "photos": list(visit.photos.all()),
        "conflicts": selectors.conflict_rows(selectors.conflicts_of_visit(user=user, visit=visit)),
    }
    return render(request, "outreach/visit_detail.html", context)


@login_required
def photo_view(request: HttpRequest, pk: int) -> FileResponse:
    """A visit photo, for those who may see the visit (never a public media URL)."""
    photo = selectors.photo_get(user=staff_of(request), pk=pk)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def conflict_list_view(request: HttpRequest) -> HttpResponse:
    """Fact conflicts waiting for a person: two edits of one household fact disagree."""
    user = staff_of(request)
    show_all = request.GET.get("all") == "1"
    rows = selectors.conflict_list(user=user, open_only=not show_all)
    context = {"rows": selectors.conflict_rows(rows), "show_all": show_all, "sensitive": allows(user, Action.SENSITIVE)}
    return render(request, "outreach/visit_conflicts.html", context)


@login_required
def conflict_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One conflict and, for those who may change it, the choice between the two values."""
    user = staff_of(request)
    conflict = selectors.conflict_get(user=user, pk=pk)
    row = selectors.conflict_rows([conflict])[0]
    may = conflict.status == ConflictStatus.OPEN and can(user, Action.CHANGE, conflict)
    form = ConflictForm(row=row) if may else None
    return render(request, "outreach/visit_conflict.html", {"row": row, "form": form})


@login_required
@require_POST
def conflict_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle a conflict; a refused choice is shown in Chinese and changes nothing."""
    user = staff_of(request)
    conflict = selectors.conflict_get(user=user, pk=pk)
    row = selectors.conflict_rows([conflict])[0]
    form = ConflictForm(request.POST, row=row)
    if form.is_valid():
        try:
            conflict_resolve(actor=user, conflict=conflict, choice=form.cleaned_data["choice"])
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, f"已确认：{row['who']}的{row['fact']}。")
            return redirect("outreach:conflict_list")
    return render(request, "outreach/visit_conflict.html", {"row": row, "form": form}, status=400)


def _int(value: str | None) -> int | None:
    if value and value.isdigit() and len(value) < 19:
        return int(value)
    return None
