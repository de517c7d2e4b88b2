"""Papers of an application: received (as the registry's documents), who holds them, and their scans or photos
(checked by content, stored under MEDIA_ROOT, never served directly)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from niangjia.assistance.choices import ApplicationStatus, PaperHolder, PaperStatus
from niangjia.assistance.models import Paper, PaperFile
from niangjia.assistance.uploads import check_upload
from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require, require_action
from niangjia.orgs.models import StaffUser
from niangjia.registry.services.evidence import document_record

FILES_PER_PAPER = 10


def paper_receive(
    *,
    actor: StaffUser,
    paper: Paper,
    received_on: date | None = None,
    holder: str = PaperHolder.CADRE,
    note: str = "",
) -> Paper:
    """A paper came in: recorded as the registry's document (so screening sees it) and on the checklist."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, paper)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "收到日期不能晚于今天。"})
    if holder not in PaperHolder.values:
        raise ValidationError({"holder": "请选择材料现由谁保管。"})
    with transaction.atomic():
        paper = Paper.objects.select_for_update(of=("self",)).select_related("application__household").get(pk=paper.pk)
        application = paper.application
        if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.REJECTED):
            raise ValidationError({"paper": f"申请{application.get_status_display()}，不能再更改材料。"})
        if paper.status != PaperStatus.RECEIVED:
            paper.document = document_record(
                actor=actor, household=application.household, kind=paper.kind, received_on=received_on,
                member=application.member, note=f"申请 #{application.pk}",
            )  # fmt: skip
        old = paper.status
        paper.status, paper.received_on, paper.holder, paper.note = (
            PaperStatus.RECEIVED,
            received_on,
            holder,
            note.strip(),
        )
        paper.full_clean(exclude=["application", "document"])
        paper.save()
        audit_record(actor=actor, action="assistance.paper.receive", target=paper,
                     old={"status": old}, new={"status": paper.status, "holder": holder, "application": application.pk})  # fmt: skip
    return paper


def paper_holder_set(*, actor: StaffUser, paper: Paper, holder: str, note: str = "") -> Paper:
    """Record who holds a paper now (the cadre, the office, returned to the worker)."""
    require(actor, Action.CHANGE, paper)
    if holder not in PaperHolder.values:
        raise ValidationError({"holder": "请选择材料现由谁保管。"})
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=paper.pk)
        old = paper.holder
        paper.holder, paper.note = holder, note.strip() or paper.note
        paper.full_clean(exclude=["application", "document"])
        paper.save(update_fields=["holder", "note"])
        audit_record(
            actor=actor, action="assistance.paper.holder", target=paper, old={"holder": old}, new={"holder": holder}
        )
    return paper


def paper_file_add(
    *, actor: StaffUser, paper: Paper, upload: UploadedFile, holder: str = PaperHolder.CADRE
) -> PaperFile:
    """Keep a scan or photo of a paper (PDF, JPG or PNG, checked by content); the paper counts as received."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, paper)
    application = paper.application
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.REJECTED):
        raise ValidationError({"file": f"申请{application.get_status_display()}，不能再上传材料。"})
    if paper.files.count() >= FILES_PER_PAPER:
        raise ValidationError({"file": f"每份材料最多上传 {FILES_PER_PAPER} 个文件。"})
    checked = check_upload(upload)
    now = timezone.now()
    name = f"assistance/papers/{now:%Y/%m}/{application.pk}-{uuid.uuid4().hex}.{checked.extension}"
    stored = default_storage.save(name, ContentFile(checked.content))
    try:
        with transaction.atomic():
            if paper.status == PaperStatus.MISSING:
                paper = paper_receive(actor=actor, paper=paper, holder=holder, note="已上传扫描件")
            record = PaperFile(
                paper=paper, file=stored, content_type=checked.content_type, size=len(checked.content),
                sha256=checked.sha256, original_name=checked.name, uploaded_by=actor, uploaded_at=now,
            )  # fmt: skip
            record.full_clean()
            record.save()
            audit_record(
                actor=actor, action="assistance.paper.upload", target=record,
                new={"paper": paper.pk, "kind": paper.kind, "size": record.size, "type": record.content_type},
            )  # fmt: skip
    except Exception:
        default_storage.delete(stored)
        raise
    return record


def paper_file_open(*, actor: StaffUser, record: PaperFile) -> Any:
    """Open a paper's file for `actor` (who may see its application); the opening is audited."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.VIEW, record)
    with transaction.atomic():
        audit_record(actor=actor, action="assistance.paper.view", target=record,
                     new={"paper": record.paper_id, "kind": record.paper.kind})  # fmt: skip
    return record.file.open("rb")
