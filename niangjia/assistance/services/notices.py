"""The public notice (公示) of a verified archive: opened for its days at a place, objections recorded and
checked, closed after its last day as passed or objected (the archive then moves on, archive.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.assistance.choices import ArchiveStatus, NoticeStatus, ObjectionOutcome
from niangjia.assistance.models import HardshipArchive, NoticeObjection, PublicNotice
from niangjia.assistance.services.archive import archive_event_write
from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require, require_action
from niangjia.orgs.models import StaffUser

# 公示 usually runs 5–7 working days; longer than a month is a mistake.
NOTICE_DAYS_MAX = 31


def notice_open(
    *, actor: StaffUser, archive: HardshipArchive, starts_on: date, ends_on: date, place: str
) -> PublicNotice:
    """Put a verified archive up for public notice (公示) from `starts_on` to `ends_on` at `place`."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, archive)
    archive = HardshipArchive.objects.get(pk=archive.pk)
    if archive.status != ArchiveStatus.VERIFIED:
        raise ValidationError({"archive": "只有已核实的档案才能公示。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "公示结束日期不能早于开始日期。"})
    if (ends_on - starts_on).days + 1 > NOTICE_DAYS_MAX:
        raise ValidationError({"ends_on": f"公示期不能超过 {NOTICE_DAYS_MAX} 天。"})
    if archive.notices.filter(status=NoticeStatus.OPEN).exists():
        raise ValidationError({"archive": "该档案已有正在进行的公示。"})
    notice = PublicNotice(archive=archive, starts_on=starts_on, ends_on=ends_on, place=place.strip())
    notice.full_clean()
    with transaction.atomic():
        notice.save()
        archive_event_write(archive, actor=actor, move="公示", old=archive.status,
               note=f"{starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}，{notice.place}")  # fmt: skip
        audit_record(
            actor=actor, action="assistance.notice.open", target=notice,
            new={"archive": archive.pk, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )  # fmt: skip
    return notice


def objection_add(*, actor: StaffUser, notice: PublicNotice, received_on: date, content: str) -> NoticeObjection:
    """Record an objection received during the notice."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, notice)
    if notice.status != NoticeStatus.OPEN:
        raise ValidationError({"notice": "公示已结束，不能再登记异议。"})
    if not notice.starts_on <= received_on <= notice.ends_on:
        raise ValidationError({"received_on": "异议须在公示期内收到。"})
    objection = NoticeObjection(notice=notice, received_on=received_on, content=content.strip())
    objection.full_clean()
    with transaction.atomic():
        objection.save()
        audit_record(actor=actor, action="assistance.notice.objection", target=objection,
                     new={"notice": notice.pk, "received_on": received_on.isoformat()})  # fmt: skip
    return objection


def objection_decide(*, actor: StaffUser, objection: NoticeObjection, outcome: str, finding: str) -> NoticeObjection:
    """Record what checking an objection found: upheld (the archive is not made) or dismissed."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, objection)
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED):
        raise ValidationError({"outcome": "请选择核查结果：成立或不成立。"})
    if not finding.strip():
        raise ValidationError({"finding": "请填写核查情况。"})
    with transaction.atomic():
        objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.outcome != ObjectionOutcome.PENDING:
            raise ValidationError({"outcome": "该异议已有核查结果。"})
        objection.outcome, objection.finding = outcome, finding.strip()
        objection.full_clean()
        objection.save()
        audit_record(actor=actor, action="assistance.notice.objection_decide", target=objection,
                     new={"outcome": outcome})  # fmt: skip
    return objection


def notice_close(*, actor: StaffUser, notice: PublicNotice, today: date | None = None) -> PublicNotice:
    """End a notice after its last day: passed when no objection was upheld (every one checked), else objected."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, notice)
    today = today or timezone.localdate()
    with transaction.atomic():
        notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.OPEN:
            raise ValidationError({"notice": "该公示已结束。"})
        if today <= notice.ends_on:
            raise ValidationError({"notice": f"公示期到 {notice.ends_on:%Y-%m-%d}，期满后才能结束。"})
        outcomes = set(notice.objections.values_list("outcome", flat=True))
        if ObjectionOutcome.PENDING in outcomes:
            raise ValidationError({"notice": "还有异议未核查，请先登记核查结果。"})
        notice.status = NoticeStatus.OBJECTED if ObjectionOutcome.UPHELD in outcomes else NoticeStatus.PASSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["status", "closed_at"])
        archive = notice.archive
        archive_event_write(archive, actor=actor, move="公示结束", old=archive.status, note=notice.get_status_display())
        audit_record(actor=actor, action="assistance.notice.close", target=notice, new={"status": notice.status})
    return notice
