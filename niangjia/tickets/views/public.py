"""The public pages, no login: report a hazard or a request with photos, follow it by its tracking code, rate it.

Both are rate-limited per client address; a report either gets its tracking code or a Chinese message saying
what to fix, and a refused photo refuses the whole report (nothing is stored).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from niangjia.core.middleware import client_ip
from niangjia.tickets import selectors, uploads
from niangjia.tickets.choices import AttachmentPurpose, Channel
from niangjia.tickets.forms import PublicRateForm, PublicReportForm
from niangjia.tickets.ratelimit import hit
from niangjia.tickets.services import ticket_create, ticket_requester_rate
from niangjia.tickets.views.bounds import bounded_upload
from niangjia.tickets.views.files import file_response

# A status page shows up to 3 thumbnails, so photo requests get this many times the look-ups' hourly limit.
PHOTOS_PER_LOOKUP = 4


def _limited(request: HttpRequest, bucket: str, limit: int) -> HttpResponse | None:
    if hit(address=client_ip(request), bucket=bucket, limit=limit):
        return None
    return render(request, "tickets/public_limited.html", status=429)


@bounded_upload
def public_new_view(request: HttpRequest) -> HttpResponse:
    """A worker reports a hazard or a request without logging in, with up to 3 photos, and gets a tracking code."""
    posted = request.method == "POST"
    form = PublicReportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        refused = _limited(request, "submit", settings.TICKET_PUBLIC_SUBMISSIONS_PER_HOUR)
        if refused:
            return refused
        data = form.cleaned_data
        try:
            photos = uploads.check_uploads(data["photos"], purpose=AttachmentPurpose.REPORT_PHOTO)
            _, code = ticket_create(
                actor=None,
                channel=Channel.ONLINE,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                org=data["org"],
                anonymous=data["anonymous"],
                photos=photos,
            )
        except ValidationError as exc:
            form.add_error("photos" if not hasattr(exc, "error_dict") else None, exc.messages)
        else:
            return render(request, "tickets/public_done.html", {"code": code})
    context = {"form": form, "max_files": uploads.max_files(), "max_size": uploads.megabytes(uploads.max_bytes())}
    return render(request, "tickets/public_new.html", context, status=400 if form.errors else 200)


def public_status_view(request: HttpRequest, code: str) -> HttpResponse:
    """The status of one request by its tracking code (nothing personal, no names); once resolved, the rating."""
    refused = _limited(request, "lookup", settings.TICKET_PUBLIC_LOOKUPS_PER_HOUR)
    if refused:
        return refused
    status = selectors.ticket_public_status(code=code)
    if status is None:
        return render(request, "tickets/public_unknown.html", status=404)
    form = PublicRateForm(request.POST or None) if status["can_rate"] else None
    if request.method == "POST" and form is not None and form.is_valid():
        ticket = selectors.ticket_by_code(code=code)
        assert ticket is not None
        try:
            ticket_requester_rate(
                ticket=ticket, satisfaction=form.cleaned_data["satisfaction"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("tickets:public_status", code=code)
    return render(request, "tickets/public_status.html", {"s": status, "code": code, "form": form})


def public_photo_view(request: HttpRequest, code: str, aid: int, thumb: bool = False) -> HttpResponseBase:
    """A photo the requester sent with the report, to the holder of its tracking code; nothing else."""
    refused = _limited(request, "photo", settings.TICKET_PUBLIC_LOOKUPS_PER_HOUR * PHOTOS_PER_LOOKUP)
    if refused:
        return refused
    photo = selectors.public_photo_get(code=code, pk=aid)
    return file_response(photo, thumb=thumb, filename=f"photo-{photo.pk}.jpg")
