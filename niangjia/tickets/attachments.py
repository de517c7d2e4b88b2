"""Attachment writes: a ticket's photos and papers, already checked by `uploads.check_uploads`.

`attachments_save` runs inside the caller's transaction (the public report, the verification move, the
staff upload), writing the files, their rows, one timeline event and one audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.tickets.choices import AttachmentPurpose, EventKind, Kind
from niangjia.tickets.events import event_write
from niangjia.tickets.models import Ticket, TicketAttachment
from niangjia.tickets.uploads import CheckedFile, max_files, store


def attachments_save(
    *, ticket: Ticket, files: Sequence[CheckedFile], purpose: str, actor: StaffUser | None, now: datetime
) -> list[TicketAttachment]:
    """Store checked files as attachments of `ticket` (inside the caller's transaction); return them."""
    if not files:
        return []
    if purpose not in AttachmentPurpose.values:
        raise ValidationError({"purpose": "请选择附件用途：反映照片、整改验收照片或材料。"})
    if purpose == AttachmentPurpose.VERIFICATION_PHOTO and ticket.kind != Kind.HAZARD:
        raise ValidationError({"purpose": "只有安全隐患才有整改验收照片。"})
    saved = []
    for checked in files:
        name, thumb = store(checked)
        attachment = TicketAttachment(
            ticket=ticket,
            purpose=purpose,
            file=name,
            thumb=thumb,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            width=checked.width,
            height=checked.height,
            name=checked.name,
            uploaded_by=actor,
            created_at=now,
        )
        attachment.full_clean()
        attachment.save()
        saved.append(attachment)
        # One entry per file, on the file: its fields label the audit page (用途, 大小, SHA-256).
        audit_record(
            actor=actor,
            action="tickets.ticket.attach",
            target=attachment,
            new={"ticket": ticket.pk, "purpose": purpose, "size": attachment.size, "sha256": attachment.sha256},
            org_path=ticket.org.path,
        )
    label = AttachmentPurpose(purpose).label
    event_write(ticket, actor=actor, kind=EventKind.ATTACHED, at=now, note=f"{label} {len(saved)} 个。")
    return saved


def attachments_add(
    *,
    actor: StaffUser,
    ticket: Ticket,
    purpose: str,
    files: Sequence[CheckedFile],
    now: datetime | None = None,
) -> list[TicketAttachment]:
    """Staff add photos or papers to a ticket in their scope (at most TICKET_UPLOAD_MAX_FILES at once)."""
    require(actor, Action.CHANGE, ticket)
    if not files:
        raise ValidationError({"files": "请选择要上传的照片或文件。"})
    if len(files) > max_files():
        raise ValidationError({"files": f"每次最多上传 {max_files()} 个文件。"})
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update(of=("self",)).select_related("org").get(pk=ticket.pk)
        return attachments_save(ticket=locked, files=files, purpose=purpose, actor=actor, now=now)
