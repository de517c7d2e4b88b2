"""A ticket's photos and papers: served only to those who may see them, and the staff upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from niangjia.orgs.auth import staff_of
from niangjia.tickets import selectors, uploads
from niangjia.tickets.attachments import attachments_add
from niangjia.tickets.choices import Kind
from niangjia.tickets.forms import AttachmentForm, errors_text
from niangjia.tickets.models import TicketAttachment
from niangjia.tickets.views.bounds import bounded_upload
from niangjia.tickets.views.staff import detail_response


def file_response(attachment: TicketAttachment, *, thumb: bool, filename: str) -> FileResponse:
    """The stored file (or its thumbnail), never sniffed into something else; a PDF only as a download."""
    name = attachment.thumb.name if thumb and attachment.thumb else attachment.file.name
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    content_type = "image/jpeg" if thumb and attachment.thumb else attachment.content_type
    response = FileResponse(handle, content_type=content_type, as_attachment=not attachment.is_photo,
                            filename=filename)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def download_name(attachment: TicketAttachment) -> str:
    """The name a download gets: the ticket, the purpose and the number, never the name sent (it may hold a name)."""
    extension = "pdf" if attachment.content_type == "application/pdf" else "jpg"
    return f"ticket-{attachment.ticket_id}-{attachment.pk}.{extension}"


@login_required
def attachment_view(request: HttpRequest, pk: int, aid: int, thumb: bool = False) -> HttpResponseBase:
    """A photo or paper of a ticket in the user's scope."""
    attachment = selectors.attachment_get(user=staff_of(request), ticket_id=pk, pk=aid)
    return file_response(attachment, thumb=thumb, filename=download_name(attachment))


@login_required
@bounded_upload
@require_POST
def attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff add photos or papers to a ticket; a refused file is named in Chinese and nothing is stored."""
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES, hazard=ticket.kind == Kind.HAZARD)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return detail_response(request, ticket, status=400)
    try:
        checked = uploads.check_uploads(form.cleaned_data["upload"], purpose=form.cleaned_data["purpose"])
        saved = attachments_add(actor=user, ticket=ticket, purpose=form.cleaned_data["purpose"], files=checked)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return detail_response(request, ticket, status=400)
    messages.success(request, f"已上传 {len(saved)} 个文件。")
    return redirect("tickets:detail", pk=pk)
