"""The hardship archive: open, verify, public notice with objections, archive (the engine's level), review, exit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from niangjia.assistance.choices import ArchiveStatus, Cause, NoticeStatus
from niangjia.assistance.models import HardshipArchive
from niangjia.assistance.selectors.archive import ArchiveFilter, archive_list
from niangjia.assistance.services import (
    archive_exit,
    archive_move,
    archive_open,
    archive_review_confirm,
    archive_update,
    notice_close,
    notice_open,
    objection_add,
    objection_decide,
)
from niangjia.assistance.tests.conftest import today
from niangjia.core.models import AuditEntry
from niangjia.registry.models import Household, ReceivedAid
from niangjia.screening.models import ScreeningResult
from niangjia.screening.services import household_rescreen

pytestmark = pytest.mark.django_db


def _open(tree, registry, **extra):  # type: ignore[no-untyped-def]
    values = {"level": "deep", "main_cause": Cause.SERIOUS_ILLNESS, "secondary_causes": [Cause.SCHOOLING],
              "evidence": "入户核实：妻子患尿毒症，每周透析三次"} | extra  # fmt: skip
    return archive_open(actor=tree.yanliang_cadre, household=registry.yl_household, **values)


def _archived(tree, registry):  # type: ignore[no-untyped-def]
    archive = _open(tree, registry)
    archive = archive_move(actor=tree.yanliang_cadre, archive=archive, move="verify", note="已入户核实收入和病历")
    start = today() - timedelta(days=8)
    notice = notice_open(actor=tree.yanliang_cadre, archive=archive, starts_on=start, ends_on=start + timedelta(days=6),
                         place="阎良街道公示栏")  # fmt: skip
    notice_close(actor=tree.yanliang_staff, notice=notice)
    return archive_move(actor=tree.yanliang_staff, archive=archive, move="archive")


def test_causes_one_main_up_to_three_distinct_secondary(tree, registry) -> None:
    with pytest.raises(ValidationError) as four:
        _open(tree, registry, secondary_causes=["laid_off", "disaster", "accident", "schooling"])
    assert "最多选 3 项" in str(four.value)
    with pytest.raises(ValidationError) as same:
        _open(tree, registry, secondary_causes=[Cause.SERIOUS_ILLNESS])
    assert "不能与主要原因相同" in str(same.value)
    with pytest.raises(ValidationError):
        _open(tree, registry, main_cause="bankrupt")
    archive = _open(tree, registry)
    assert (archive.status, archive.source, archive.secondary_labels) == (
        ArchiveStatus.SUSPECTED,
        "assessment",
        ["子女上学"],
    )
    with pytest.raises(ValidationError) as twice:
        _open(tree, registry)
    assert "已有一份" in str(twice.value)


def test_from_a_screening_result_keeps_the_engines_decision(tree, registry) -> None:
    household_rescreen(household_id=registry.yl_household.pk)
    result = ScreeningResult.objects.get(household=registry.yl_household, policy_id="hardship_archive", is_current=True)
    archive = archive_open(actor=tree.yanliang_cadre, household=registry.yl_household, level="relative",
                           main_cause=Cause.LAID_OFF, result=result)  # fmt: skip
    assert archive.source == "screening"
    assert archive.screening["content_hash"] == result.content_hash
    assert archive.screening["policy_version"] == result.policy_version


def test_archiving_needs_a_passed_notice_and_writes_the_engines_archive_level(tree, registry) -> None:
    archive = _open(tree, registry)
    with pytest.raises(ValidationError):
        archive_move(actor=tree.yanliang_cadre, archive=archive, move="verify", note="")
    archive = archive_move(actor=tree.yanliang_cadre, archive=archive, move="verify", note="已入户核实")
    with pytest.raises(ValidationError) as no_notice:
        archive_move(actor=tree.yanliang_staff, archive=archive, move="archive")
    assert "须公示" in str(no_notice.value)
    with pytest.raises(ValidationError) as cadre:
        archive_move(actor=tree.yanliang_cadre, archive=archive, move="archive")
    assert "角色不能" in str(cadre.value)
    start = today() - timedelta(days=3)
    notice = notice_open(actor=tree.yanliang_cadre, archive=archive, starts_on=start, ends_on=today(), place="公示栏")
    with pytest.raises(ValidationError) as early:
        notice_close(actor=tree.yanliang_staff, notice=notice)
    assert "期满后" in str(early.value)
    objection = objection_add(actor=tree.yanliang_cadre, notice=notice, received_on=today(), content="邻居反映其有商铺")
    with pytest.raises(ValidationError):
        notice_close(actor=tree.yanliang_staff, notice=notice, today=today() + timedelta(days=1))
    objection_decide(
        actor=tree.yanliang_staff, objection=objection, outcome="dismissed", finding="商铺已于去年转让，有合同"
    )
    notice = notice_close(actor=tree.yanliang_staff, notice=notice, today=today() + timedelta(days=1))
    assert notice.status == NoticeStatus.PASSED
    archived = archive_move(actor=tree.yanliang_staff, archive=archive, move="archive")
    household = Household.objects.get(pk=registry.yl_household.pk)
    assert (archived.status, archived.archived_on) == (ArchiveStatus.ARCHIVED, today())
    assert (household.archive_level, household.archived_on, household.last_review_date) == ("deep", today(), today())
    assert [e.move for e in archived.events.all()] == ["open", "入户核实", "公示", "公示结束", "审核建档"]


def test_an_upheld_objection_stops_the_archive(tree, registry) -> None:
    archive = archive_move(actor=tree.yanliang_cadre, archive=_open(tree, registry), move="verify", note="核实")
    notice = notice_open(actor=tree.yanliang_cadre, archive=archive, starts_on=today() - timedelta(days=5),
                         ends_on=today() - timedelta(days=1), place="公示栏")  # fmt: skip
    objection = objection_add(actor=tree.yanliang_cadre, notice=notice, received_on=today() - timedelta(days=2),
                              content="有两套住房")  # fmt: skip
    objection_decide(actor=tree.yanliang_staff, objection=objection, outcome="upheld", finding="经不动产登记查询属实")
    assert notice_close(actor=tree.yanliang_staff, notice=notice).status == NoticeStatus.OBJECTED
    with pytest.raises(ValidationError):
        archive_move(actor=tree.yanliang_staff, archive=archive, move="archive")
    dismissed = archive_move(actor=tree.yanliang_cadre, archive=archive, move="dismiss", note="异议成立，不予建档")
    assert (dismissed.status, dismissed.closed_reason) == (ArchiveStatus.CANCELLED, "异议成立，不予建档")


def test_yearly_review_exit_and_the_work_queries(tree, registry) -> None:
    archive = _archived(tree, registry)
    HardshipArchive.objects.filter(pk=archive.pk).update(last_review_date=today() - timedelta(days=400))

    def listed(**chosen: object) -> list[int]:
        return [a.pk for a in archive_list(user=tree.yanliang_staff, filters=ArchiveFilter(**chosen), today=today())]

    assert listed(review_due=True) == [archive.pk]
    assert listed(never_helped=True) == [archive.pk]
    ReceivedAid.objects.create(household=registry.yl_household, policy_id="warmth", paid_on=today(), amount=2000)
    assert listed(never_helped=True) == [] and listed(never_helped=False) == [archive.pk]
    assert listed(stale=True) == []
    HardshipArchive.objects.filter(pk=archive.pk).update(updated_at=archive.updated_at - timedelta(days=400))
    assert listed(stale=True) == [archive.pk]
    reviewing = archive_move(actor=tree.yanliang_cadre, archive=archive, move="review")
    archive_update(actor=tree.yanliang_cadre, archive=reviewing, level="relative", main_cause=Cause.SERIOUS_ILLNESS,
                   secondary_causes=[], evidence="妻子病情稳定，已纳入大病医保")  # fmt: skip
    confirmed = archive_review_confirm(actor=tree.yanliang_staff, archive=reviewing, note="复核：相对困难")
    household = Household.objects.get(pk=registry.yl_household.pk)
    assert (confirmed.status, confirmed.last_review_date) == (ArchiveStatus.ARCHIVED, today())
    assert (household.archive_level, household.last_review_date) == ("relative", today())
    with pytest.raises(ValidationError):
        archive_exit(actor=tree.yanliang_staff, archive=confirmed, route="lottery", reason="x")
    exited = archive_exit(actor=tree.yanliang_staff, archive=confirmed, route="job", reason="妻子康复，本人再就业")
    assert (exited.status, exited.exit_route, exited.closed_on) == (ArchiveStatus.EXITED, "job", today())
    assert Household.objects.get(pk=registry.yl_household.pk).archive_level == ""


def test_out_of_scope_and_read_only_roles_change_nothing(tree, registry) -> None:
    archive = _open(tree, registry)
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        archive_move(actor=tree.yanta_staff, archive=archive, move="verify", note="x")
    with pytest.raises(PermissionDenied):
        archive_move(actor=tree.yanliang_leader, archive=archive, move="verify", note="x")
    with pytest.raises(PermissionDenied):
        archive_open(actor=tree.yanta_staff, household=registry.yl_household, level="deep", main_cause="other")
    assert AuditEntry.objects.count() == before
    assert HardshipArchive.objects.get(pk=archive.pk).status == ArchiveStatus.SUSPECTED
