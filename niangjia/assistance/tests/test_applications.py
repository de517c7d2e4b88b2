"""Applications: filed on the worker's behalf, papers in, approved by another user within their limit, paid once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from niangjia.assistance.choices import ApplicationStatus, ApprovalLevel, Authorisation, ItemStatus, PaperStatus
from niangjia.assistance.models import Application, QueueEntry, QueueItem
from niangjia.assistance.services import (
    application_approve,
    application_file,
    application_pay,
    application_reject,
    application_release,
    application_submit,
    application_withdraw,
    paper_receive,
    queue_rebuild,
)
from niangjia.assistance.tests.conftest import accident, today
from niangjia.core.models import AuditEntry
from niangjia.funds.choices import CommitmentStatus
from niangjia.funds.models import Disbursement, FundPool
from niangjia.registry.models import Document, ReceivedAid
from niangjia.screening.models import ScreeningResult

pytestmark = pytest.mark.django_db


def _file(tree, registry, **extra):  # type: ignore[no-untyped-def]
    return application_file(
        actor=tree.yanliang_cadre, household=registry.yl_household, policy_id="emergency_relief",
        filed_by_proxy=True, authorisation=Authorisation.WRITTEN, authorised_on=today(), **extra,
    )  # fmt: skip


def _ready(tree, registry):  # type: ignore[no-untyped-def]
    application = _file(tree, registry)
    for paper in application.papers.all():
        paper_receive(actor=tree.yanliang_cadre, paper=paper)
    return application_submit(actor=tree.yanliang_cadre, application=application)


def test_filing_keeps_the_engines_decision_and_the_checklist(tree, relief) -> None:
    queue_rebuild()
    application = _file(tree, relief, note="冯建民行动不便，干部代办")
    assert application.status == ApplicationStatus.DRAFT
    assert (application.amount, application.policy_name, application.applicant.name) == (
        Decimal("2000.00"),
        "紧急救助",
        "冯建民",
    )
    assert application.period == today().year and application.filed_by_proxy
    decision = application.decisions.get()
    assert (decision.stage, decision.status, decision.amount) == ("filed", "eligible", Decimal("2000.00"))
    result = ScreeningResult.objects.get(household=relief.yl_household, policy_id="emergency_relief", is_current=True)
    assert (decision.policy_version, decision.content_hash) == (result.policy_version, result.content_hash)
    assert "严重" in decision.reasons
    assert [(p.kind, p.status) for p in application.papers.all()] == [("事故证明", PaperStatus.MISSING)]
    assert (
        QueueItem.objects.get(household=relief.yl_household, policy_id="emergency_relief").status
        == ItemStatus.COLLECTING
    )


def test_proxy_needs_the_authorisation_and_a_second_open_application_is_refused(tree, relief) -> None:
    with pytest.raises(ValidationError) as refused:
        application_file(actor=tree.yanliang_cadre, household=relief.yl_household, policy_id="emergency_relief",
                         filed_by_proxy=True)  # fmt: skip
    assert "委托方式" in str(refused.value)
    with pytest.raises(ValidationError) as late:
        application_file(
            actor=tree.yanliang_cadre, household=relief.yl_household, policy_id="emergency_relief",
            filed_by_proxy=True, authorisation=Authorisation.WRITTEN, authorised_on=today() + timedelta(days=1),
        )  # fmt: skip
    assert "不能晚于今天" in str(late.value)
    first = _file(tree, relief)
    with pytest.raises(ValidationError) as twice:
        _file(tree, relief)
    assert f"#{first.pk}" in str(twice.value)
    assert Application.objects.count() == 1


def test_not_eligible_policies_and_out_of_scope_households_are_refused(tree, relief) -> None:
    with pytest.raises(ValidationError) as refused:
        application_file(actor=tree.yanliang_staff, household=relief.yl_household, policy_id="school_aid")
    assert "按人申请" in str(refused.value)
    with pytest.raises(ValidationError) as archive:
        application_file(actor=tree.yanliang_staff, household=relief.yl_household, policy_id="hardship_archive")
    assert "困难职工档案" in str(archive.value)
    with pytest.raises(ValidationError) as no:
        application_file(actor=tree.yanta_staff, household=relief.yt_household, policy_id="emergency_relief")
    assert "不符合该政策" in str(no.value)
    with pytest.raises(PermissionDenied):
        application_file(actor=tree.yanta_staff, household=relief.yl_household, policy_id="emergency_relief")
    with pytest.raises(PermissionDenied):
        application_file(actor=tree.yanliang_cadre2, household=relief.yl_household, policy_id="emergency_relief")
    assert Application.objects.count() == 0


def test_a_paper_received_is_a_registry_document_and_submission_needs_every_paper(tree, relief) -> None:
    application = _file(tree, relief)
    with pytest.raises(ValidationError) as incomplete:
        application_submit(actor=tree.yanliang_cadre, application=application)
    assert "还缺：事故证明" in str(incomplete.value)
    paper = application.papers.get()
    paper_receive(actor=tree.yanliang_cadre, paper=paper, holder="office")
    paper.refresh_from_db()
    document = Document.objects.get(household=relief.yl_household, kind="事故证明")
    assert (paper.status, paper.holder, paper.document) == (PaperStatus.RECEIVED, "office", document)
    submitted = application_submit(actor=tree.yanliang_cadre, application=application)
    assert (submitted.status, submitted.approval_level) == (ApplicationStatus.SUBMITTED, ApprovalLevel.DISTRICT)
    assert (
        QueueItem.objects.get(household=relief.yl_household, policy_id="emergency_relief").status == ItemStatus.APPLIED
    )


def test_who_filed_cannot_approve_and_district_staff_approve_up_to_the_limit(tree, relief, pools) -> None:
    application = application_file(
        actor=tree.yanliang_staff, household=relief.yl_household, policy_id="emergency_relief"
    )
    paper_receive(actor=tree.yanliang_staff, paper=application.papers.get())
    application_submit(actor=tree.yanliang_staff, application=application)
    with pytest.raises(ValidationError) as own:
        application_approve(actor=tree.yanliang_staff, application=application)
    assert "不能审批自己经办" in str(own.value)
    with pytest.raises(ValidationError) as cadre:
        application_approve(actor=tree.yanliang_cadre, application=application)
    assert "角色不能" in str(cadre.value)
    with override_settings(ASSISTANCE_DISTRICT_APPROVAL_MAX=Decimal("1000")):
        with pytest.raises(ValidationError) as limit:
            application_approve(actor=_other_district_staff(tree), application=application)
        assert "须由市总工会审批" in str(limit.value)
        approved = application_approve(actor=tree.city_admin, application=application)
    assert approved.status == ApplicationStatus.APPROVED
    assert approved.commitment.pool == pools.city_relief
    assert FundPool.objects.get(pk=pools.city_relief.pk).committed == Decimal("2000.00")


def _other_district_staff(tree):  # type: ignore[no-untyped-def]
    from niangjia.conftest import make_user
    from niangjia.core.roles import Role

    return make_user("yl_staff2", Role.DISTRICT_STAFF, tree.yanliang)


def test_approval_rechecks_on_todays_facts_and_reserves_from_the_district_pool(tree, relief, pools) -> None:
    application = _ready(tree, relief)
    assert application.decisions.count() == 1
    approved = application_approve(actor=tree.yanliang_staff, application=application)
    assert (approved.status, approved.approved_amount, approved.decided_by) == (
        ApplicationStatus.APPROVED, Decimal("2000.00"), tree.yanliang_staff)  # fmt: skip
    assert [d.stage for d in approved.decisions.all()] == ["filed", "approval"]
    pool = FundPool.objects.get(pk=pools.yanliang_relief.pk)
    assert (pool.available, pool.committed) == (Decimal("18000.00"), Decimal("2000.00"))
    assert approved.commitment.reference == f"application:{approved.pk}"


def test_approval_refused_when_the_facts_changed(tree, relief, pools) -> None:
    application = _ready(tree, relief)
    relief.yl_household.events.update(date=today() - timedelta(days=120))
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        application_approve(actor=tree.yanliang_staff, application=application)
    assert "不符合该政策" in str(refused.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.commitment is None
    assert AuditEntry.objects.count() == before
    assert FundPool.objects.get(pk=pools.yanliang_relief.pk).committed == Decimal(0)


def test_payment_pays_once_records_the_aid_and_the_household_is_no_longer_proposed(
    tree, relief, pools, committed
) -> None:
    queue_rebuild()
    application = application_approve(actor=tree.yanliang_staff, application=_ready(tree, relief))
    with committed():
        paid = application_pay(actor=tree.yanliang_staff, application=application)
    assert (paid.status, paid.paid_on, paid.paid_by) == (ApplicationStatus.PAID, today(), tree.yanliang_staff)
    again = application_pay(actor=tree.yanliang_staff, application=application)
    assert again.status == ApplicationStatus.PAID
    assert Disbursement.objects.count() == 1
    aid = ReceivedAid.objects.get(household=relief.yl_household)
    assert (aid.policy_id, aid.amount, aid.paid_on, aid.period, aid.source) == (
        "emergency_relief", Decimal("2000.00"), today(), today().year, f"application:{paid.pk}")  # fmt: skip
    pool = FundPool.objects.get(pk=pools.yanliang_relief.pk)
    assert (pool.available, pool.committed, pool.paid) == (Decimal("18000.00"), Decimal(0), Decimal("2000.00"))
    assert paid.commitment.status == CommitmentStatus.PAID
    assert not ScreeningResult.objects.filter(
        household=relief.yl_household, policy_id="emergency_relief", is_current=True
    ).exists()
    item = QueueItem.objects.get(household=relief.yl_household, policy_id="emergency_relief")
    assert (item.status, item.proposed) == (ItemStatus.DONE, False)
    assert "|emergency_relief|" not in QueueEntry.objects.get(household=relief.yl_household).policies
    assert [d.stage for d in paid.decisions.all()] == ["filed", "approval", "payment"]


def test_a_second_payment_in_the_period_is_refused_by_the_engine(tree, relief, pools, committed) -> None:
    first = application_approve(actor=tree.yanliang_staff, application=_ready(tree, relief))
    with committed():
        application_pay(actor=tree.yanliang_staff, application=first)
    accident(relief.yl_household, severity=3, days_ago=1)
    with pytest.raises(ValidationError) as refused:
        _file(tree, relief)
    assert "近 365 天内已领取过紧急救助" in str(refused.value)


def test_reject_with_reason_then_resubmit_and_withdraw(tree, relief, pools) -> None:
    application = _ready(tree, relief)
    with pytest.raises(ValidationError):
        application_reject(actor=tree.yanliang_staff, application=application, reason=" ")
    rejected = application_reject(actor=tree.yanliang_staff, application=application, reason="事故证明不清晰，请补拍")
    assert (rejected.status, rejected.reject_reason) == (ApplicationStatus.REJECTED, "事故证明不清晰，请补拍")
    again = application_submit(actor=tree.yanliang_cadre, application=rejected)
    assert again.status == ApplicationStatus.SUBMITTED
    assert [e.move for e in again.events.all()] == ["登记申请", "提交审批", "退回", "补正后重新提交"]
    withdrawn = application_withdraw(actor=tree.yanliang_cadre, application=again, reason="已获得商业保险理赔")
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    item = QueueItem.objects.get(household=relief.yl_household, policy_id="emergency_relief")
    assert (item.status, item.reason) == (ItemStatus.DECLINED, "撤回申请：已获得商业保险理赔")


def test_releasing_an_approval_returns_the_money(tree, relief, pools) -> None:
    approved = application_approve(actor=tree.yanliang_staff, application=_ready(tree, relief))
    released = application_release(actor=tree.yanliang_staff, application=approved, reason="职工要求暂缓")
    assert released.status == ApplicationStatus.SUBMITTED and released.commitment is None
    pool = FundPool.objects.get(pk=pools.yanliang_relief.pk)
    assert (pool.available, pool.committed) == (Decimal("20000.00"), Decimal(0))
