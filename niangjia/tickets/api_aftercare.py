"""Tickets API, continued: photos and papers (multipart upload, download), cooperation, follow-up calls.

Uploads pass the same checks as the pages (`uploads.check_uploads`): by content, size, pixels and count; a
refused file answers 413 or 422 in Chinese and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja import File, Form, Path, Router, Status, UploadedFile
from ninja.decorators import decorate_view

from niangjia.api_errors import errors
from niangjia.api_fields import Id
from niangjia.core.scoping import Action
from niangjia.orgs.auth import staff_of
from niangjia.registry import selectors as registry_selectors
from niangjia.tickets import selectors, uploads
from niangjia.tickets.api_out import attachment_out, detail
from niangjia.tickets.attachments import attachments_add
from niangjia.tickets.choices import AttachmentPurpose
from niangjia.tickets.cooperation import cooperation_finish, cooperation_start
from niangjia.tickets.followups import followup_record
from niangjia.tickets.schemas import (
    TicketAttachmentOut,
    TicketCooperationFinishIn,
    TicketCooperationIn,
    TicketDetailOut,
    TicketFollowUpIn,
)
from niangjia.tickets.views.bounds import declared_length
from niangjia.tickets.views.files import download_name, file_response

router = Router()

BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "文件内容：照片为 image/jpeg（已去除 EXIF 等元数据），材料为 application/pdf",
            "content": {"image/jpeg": BINARY, "application/pdf": BINARY},
        }
    }
}


def body_bounded(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer 413 before ninja reads a body larger than an upload may be (before authentication and parsing)."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if declared_length(request) > uploads.max_body():
            body = {"error": {"code": "too_large", "message": uploads.too_large_message(), "details": None}}
            return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
        return run(request, *args, **kwargs)

    return checked


@router.post(
    "/{pk}/files",
    response={201: list[TicketAttachmentOut], **errors(403, 404, 413)},
    summary="上传照片或材料（multipart，字段 files，最多 3 个）：按内容检查，只收 JPEG/PNG/WebP 照片和 PDF；照片去除 EXIF 后重新编码",
)
@decorate_view(body_bounded)
def ticket_files_add(
    request: HttpRequest,
    pk: Path[Id],
    purpose: Form[AttachmentPurpose],
    files: File[list[UploadedFile]],
) -> Status[list[TicketAttachmentOut]]:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    try:
        checked = uploads.check_uploads(files, purpose=purpose)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
    saved = attachments_add(actor=user, ticket=ticket, purpose=purpose, files=checked)
    return Status(201, [attachment_out(a) for a in saved])


@router.get(
    "/{pk}/files/{aid}",
    response={**errors(403, 404)},
    url_name="ticket_file",
    openapi_extra=FILE_RESPONSE,
    summary="下载一件诉求的照片或材料（thumb=true 取照片缩略图）",
)
def ticket_file(request: HttpRequest, pk: Path[Id], aid: Path[Id], thumb: bool = False) -> HttpResponseBase:
    attachment = selectors.attachment_get(user=staff_of(request), ticket_id=pk, pk=aid)
    return file_response(attachment, thumb=thumb, filename=download_name(attachment))


@router.post(
    "/{pk}/cooperation",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="企业问题对接合作方：名册中的企业（partner_id）或服务机构名称（partner_name），合作内容和开始日期",
)
def cooperation_start_api(request: HttpRequest, pk: Path[Id], data: TicketCooperationIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    partner = registry_selectors.enterprise_get(user=user, pk=data.partner_id) if data.partner_id else None
    cooperation_start(actor=user, ticket=ticket, partner=partner, partner_name=data.partner_name, work=data.work,
                      started_on=data.started_on)  # fmt: skip
    return detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/cooperation/{cid}/finish",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="记录对接合作完成：完成日期和合作成效（一次）",
)
def cooperation_finish_api(
    request: HttpRequest, pk: Path[Id], cid: Path[Id], data: TicketCooperationFinishIn
) -> TicketDetailOut:
    user = staff_of(request)
    cooperation = selectors.cooperation_get(user=user, ticket_id=pk, pk=cid, action=Action.CHANGE)
    cooperation_finish(actor=user, cooperation=cooperation, finished_on=data.finished_on, result=data.result)
    return detail(request, selectors.ticket_get(user=user, pk=pk))


@router.post(
    "/{pk}/followups",
    response={200: TicketDetailOut, **errors(403, 404)},
    summary="记录回访：时间、是否联系上、满意度（联系上时）、情况；close=true 时回访后结案",
)
def followup_api(request: HttpRequest, pk: Path[Id], data: TicketFollowUpIn) -> TicketDetailOut:
    user = staff_of(request)
    ticket = selectors.ticket_get(user=user, pk=pk)
    called_at = data.called_at if timezone.is_aware(data.called_at) else timezone.make_aware(data.called_at)
    followup_record(actor=user, ticket=ticket, called_at=called_at, reached=data.reached,
                    satisfaction=data.satisfaction, note=data.note, close=data.close)  # fmt: skip
    return detail(request, selectors.ticket_get(user=user, pk=pk))
