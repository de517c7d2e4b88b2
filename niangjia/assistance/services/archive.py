"""Hardship archive writes: open, verify, archive, yearly review, exit, cancel (public notice: notices.py).

While an archive is archived (or under review) the household's registry `archive_level`,
`archived_on` and `last_review_date` are its own, written through the registry's household
service in the same transaction — the facts the engine reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.assistance.choices import (
    ACTIVE_ARCHIVE,
    IN_ARCHIVE,
    SECONDARY_CAUSES_MAX,
    ArchiveSource,
    ArchiveStatus,
    Cause,
    ExitRoute,
    HardshipLevel,
    NoticeStatus,
)
from niangjia.assistance.models import ArchiveEvent, HardshipArchive
from niangjia.assistance.workflow import ARCHIVE_MOVES, ArchiveMove, Transition, check
from niangjia.core.audit import audit_entry, audit_record, audit_records
from niangjia.core.inserting import insert_records
from niangjia.core.scoping import Action, require, require_action, restrict
from niangjia.orgs.models import StaffUser
from niangjia.registry.models import Household
from niangjia.registry.services import HouseholdFacts, household_facts_update
from niangjia.screening.models import ScreeningResult

REVIEW_DAYS = 365


def causes_clean(main_cause: str, secondary_causes: list[str]) -> list[str]:
    """The secondary causes checked: known codes, at most three, distinct, not the main cause."""
    known = set(Cause.values)
    if main_cause not in known:
        raise ValidationError({"main_cause": "请从 10 项致困原因中选择一项主要原因。"})
    unknown = [c for c in secondary_causes if c not in known]
    if unknown:
        raise ValidationError({"secondary_causes": f"没有这项致困原因：{'、'.join(unknown)}。"})
    if len(set(secondary_causes)) != len(secondary_causes):
        raise ValidationError({"secondary_causes": "次要致困原因不能重复。"})
    if main_cause in secondary_causes:
        raise ValidationError({"secondary_causes": "次要致困原因不能与主要原因相同。"})
    if len(secondary_causes) > SECONDARY_CAUSES_MAX:
        raise ValidationError({"secondary_causes": f"次要致困原因最多选 {SECONDARY_CAUSES_MAX} 项。"})
    return list(secondary_causes)


def archive_event_write(
    archive: HardshipArchive, *, actor: StaffUser | None, move: str, old: str, note: str = ""
) -> None:
    event = ArchiveEvent(
        archive=archive, actor=actor, at=timezone.now(), move=move, from_status=old, to_status=archive.status,
        note=note[:500],
    )  # fmt: skip
    event.full_clean()
    event.save()


def _registry_write(actor: StaffUser | None, archive: HardshipArchive) -> None:
    """Give the household the archive's level and dates (or none, once it has left the archive)."""
    household = Household.objects.get(pk=archive.household_id)
    if archive.status in IN_ARCHIVE:
        facts = HouseholdFacts(
            archive_level=archive.level, archived_on=archive.archived_on, last_review_date=archive.last_review_date
        )
    else:
        facts = HouseholdFacts(archive_level="")
    household_facts_update(actor=actor, household=household, facts=facts)


def archive_open(
    *,
    actor: StaffUser | None,
    household: Household,
    level: str,
    main_cause: str,
    secondary_causes: list[str] | None = None,
    evidence: str = "",
    cause_note: str = "",
    result: ScreeningResult | None = None,
) -> HardshipArchive:
    """Open a household's archive as 疑似困难, from a screening result (`result`) or a cadre's assessment."""
    if actor is not None:
        require_action(actor, Action.SENSITIVE)
        require(actor, Action.CHANGE, household)
    secondary = causes_clean(main_cause, list(secondary_causes or []))
    if HardshipArchive.objects.filter(household=household, status__in=ACTIVE_ARCHIVE).exists():
        raise ValidationError({"household": "该家庭已有一份在办或在档的困难档案。"})
    screening: dict[str, Any] = {}
    if result is not None:
        if result.household_id != household.pk or result.policy_id != "hardship_archive":
            raise ValidationError({"result": "所选筛查结果不是该家庭的建档筛查结果。"})
        screening = {
            "policy_id": result.policy_id, "policy_version": result.policy_version,
            "content_hash": result.content_hash, "parameters_hash": result.parameters_hash,
            "as_of": result.as_of.isoformat(), "status": result.status, "level": result.level,
            "reasons": result.reasons,
        }  # fmt: skip
    archive = HardshipArchive(
        household=household, level=level, main_cause=main_cause, secondary_causes=secondary,
        evidence=evidence.strip(), cause_note=cause_note.strip(), created_by=actor,
        source=ArchiveSource.SCREENING if result is not None else ArchiveSource.ASSESSMENT,
        screening=screening, updated_at=timezone.now(),
    )  # fmt: skip
    if level not in HardshipLevel.values:
        raise ValidationError({"level": "请选择困难类别：深度困难、相对困难或意外致困。"})
    archive.full_clean()
    with transaction.atomic():
        archive.save()
        archive_event_write(archive, actor=actor, move="open", old="", note=archive.get_source_display())
        audit_record(
            actor=actor, action="assistance.archive.open", target=archive, org_path=household.org.path,
            new={"household": household.pk, "level": level, "main_cause": main_cause, "source": archive.source},
        )  # fmt: skip
    return archive


def archive_update(
    *,
    actor: StaffUser,
    archive: HardshipArchive,
    level: str,
    main_cause: str,
    secondary_causes: list[str],
    evidence: str,
    cause_note: str = "",
) -> HardshipArchive:
    """Correct the level, causes or evidence before archiving or during a review."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, archive)
    if archive.status not in (ArchiveStatus.SUSPECTED, ArchiveStatus.VERIFIED, ArchiveStatus.UNDER_REVIEW):
        raise ValidationError({"status": f"档案为“{archive.get_status_display()}”，不能修改；年度复核时可修改。"})
    if level not in HardshipLevel.values:
        raise ValidationError({"level": "请选择困难类别：深度困难、相对困难或意外致困。"})
    secondary = causes_clean(main_cause, secondary_causes)
    old = {"level": archive.level, "main_cause": archive.main_cause, "secondary_causes": archive.secondary_causes}
    with transaction.atomic():
        archive = HardshipArchive.objects.select_for_update().get(pk=archive.pk)
        archive.level, archive.main_cause, archive.secondary_causes = level, main_cause, secondary
        archive.evidence, archive.cause_note, archive.updated_at = evidence.strip(), cause_note.strip(), timezone.now()
        archive.full_clean()
        archive.save()
        archive_event_write(archive, actor=actor, move="update", old=archive.status, note="修改类别、原因或依据")
        audit_record(
            actor=actor, action="assistance.archive.update", target=archive, old=old,
            new={"level": level, "main_cause": main_cause, "secondary_causes": secondary},
        )  # fmt: skip
    return archive


def _locked(archive: HardshipArchive) -> HardshipArchive:
    return HardshipArchive.objects.select_for_update(of=("self",)).select_related("household__org").get(pk=archive.pk)


def _move(actor: StaffUser, archive: HardshipArchive, move: str, note: str) -> Transition:
    return check(ARCHIVE_MOVES, status=archive.status, move=move, user=actor, note=note, labels=ArchiveStatus)


def archive_move(
    *, actor: StaffUser, archive: HardshipArchive, move: str, note: str = "", today: date | None = None
) -> HardshipArchive:
    """Make a plain move: 入户核实, 审核建档 (after a passed notice), 开始年度复核, 不予建档, 注销档案."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, archive)
    today = today or timezone.localdate()
    with transaction.atomic():
        archive = _locked(archive)
        transition = _move(actor, archive, move, note)
        if transition.own_form:
            raise ValidationError({"move": f"“{transition.label}”须填写表单。"})
        old = archive.status
        if transition.move == ArchiveMove.ARCHIVE:
            if not archive.notices.filter(status=NoticeStatus.PASSED).exists():
                raise ValidationError({"move": "建档前须公示，且公示期满无成立的异议。"})
            archive.archived_on = archive.last_review_date = today
        if transition.target == ArchiveStatus.CANCELLED:
            archive.closed_reason, archive.closed_on = note.strip()[:200], today
        archive.status, archive.updated_at = transition.target, timezone.now()
        archive.full_clean()
        archive.save()
        archive_event_write(archive, actor=actor, move=transition.label, old=old, note=note)
        if old in IN_ARCHIVE or archive.status in IN_ARCHIVE:
            _registry_write(actor, archive)
        audit_record(
            actor=actor, action="assistance.archive.move", target=archive,
            old={"status": old}, new={"status": archive.status, "move": transition.label, "note": note[:200]},
        )  # fmt: skip
    return archive


def archive_review_confirm(
    *, actor: StaffUser, archive: HardshipArchive, note: str, level: str | None = None, today: date | None = None
) -> HardshipArchive:
    """复核通过: the household stays in the archive (at `level` if it changed); the review date is today."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, archive)
    today = today or timezone.localdate()
    if not note.strip():
        raise ValidationError({"note": "复核通过须填写复核情况。"})
    if level is not None and level not in HardshipLevel.values:
        raise ValidationError({"level": "请选择困难类别：深度困难、相对困难或意外致困。"})
    with transaction.atomic():
        archive = _locked(archive)
        transition = _move(actor, archive, ArchiveMove.CONFIRM, note)
        old = {"status": archive.status, "level": archive.level}
        archive.status, archive.last_review_date, archive.updated_at = transition.target, today, timezone.now()
        archive.level = level or archive.level
        archive.full_clean()
        archive.save()
        archive_event_write(archive, actor=actor, move=transition.label, old=old["status"], note=note)
        _registry_write(actor, archive)
        audit_record(
            actor=actor, action="assistance.archive.move", target=archive, old=old,
            new={"status": archive.status, "level": archive.level, "move": transition.label},
        )  # fmt: skip
    return archive


def archive_exit(
    *, actor: StaffUser, archive: HardshipArchive, route: str, reason: str, today: date | None = None
) -> HardshipArchive:
    """脱困: the household leaves the archive by a route, with the reason; its registry level is cleared."""
    require_action(actor, Action.SENSITIVE)
    require(actor, Action.CHANGE, archive)
    today = today or timezone.localdate()
    if route not in ExitRoute.values:
        raise ValidationError({"route": "请选择脱困途径。"})
    with transaction.atomic():
        archive = _locked(archive)
        transition = _move(actor, archive, ArchiveMove.EXIT, reason)
        old = archive.status
        archive.status, archive.exit_route = transition.target, route
        archive.closed_reason, archive.closed_on, archive.updated_at = reason.strip()[:200], today, timezone.now()
        archive.full_clean()
        archive.save()
        archive_event_write(archive, actor=actor, move=transition.label, old=old, note=reason)
        _registry_write(actor, archive)
        audit_record(
            actor=actor, action="assistance.archive.move", target=archive,
            old={"status": old}, new={"status": archive.status, "route": route, "reason": reason[:200]},
        )  # fmt: skip
    return archive


def review_due_before(today: date) -> date:
    """An archive last reviewed before this date is due for its yearly review."""
    return today - timedelta(days=REVIEW_DAYS)


@dataclass(frozen=True)
class ArchiveImport:
    """An archive kept before niangjia (paper or the national system) for a household the registry shows archived."""

    household_id: int
    main_cause: str
    secondary_causes: tuple[str, ...] = ()
    evidence: str = ""


def archives_import_many(*, actor: StaffUser | None, rows: Sequence[ArchiveImport]) -> int:
    """Enter existing archives as 已建档, at the level, dates and review date the registry holds for each household.

    The bulk form for a federation's archive on the day niangjia starts (and the demo): each row
    is checked (causes, scope, the household archived in the registry, no active archive yet) and
    gets its own archive, history line and audit entry; rows that fail are skipped and counted out.
    """
    if actor is not None:
        require_action(actor, Action.SENSITIVE)
    ids = [row.household_id for row in rows]
    households = Household.objects.filter(pk__in=ids).exclude(archive_level="").select_related("org")
    if actor is not None:
        households = restrict(households, actor, Action.CHANGE)
    found = {h.pk: h for h in households}
    active = set(
        HardshipArchive.objects.filter(household_id__in=ids, status__in=ACTIVE_ARCHIVE).values_list(
            "household_id", flat=True
        )
    )
    now = timezone.now()
    archives: list[HardshipArchive] = []
    for row in rows:
        household = found.get(row.household_id)
        if household is None or row.household_id in active:
            continue
        try:
            secondary = causes_clean(row.main_cause, list(row.secondary_causes))
        except ValidationError:
            continue
        active.add(row.household_id)
        archives.append(
            HardshipArchive(
                household=household,
                status=ArchiveStatus.ARCHIVED,
                level=household.archive_level,
                main_cause=row.main_cause,
                secondary_causes=secondary,
                evidence=row.evidence[:2000],
                source=ArchiveSource.ASSESSMENT,
                archived_on=household.archived_on,
                last_review_date=household.last_review_date or household.archived_on,
                created_by=actor,
                updated_at=now,
            )
        )
    with transaction.atomic():
        insert_records(archives)
        insert_records([
            ArchiveEvent(archive=a, actor=actor, at=now, move="历史档案导入", from_status="", to_status=a.status,
                         note="建档日期 " + (a.archived_on.isoformat() if a.archived_on else "不详"))
            for a in archives
        ])  # fmt: skip
        audit_records(
            audit_entry(actor=actor, action="assistance.archive.import", target=a, org_path=a.household.org.path,
                        new={"household": a.household_id, "level": a.level, "main_cause": a.main_cause})
            for a in archives
        )  # fmt: skip
    return len(archives)
