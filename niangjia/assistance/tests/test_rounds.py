"""Rounds: a season's warmth filed, approved and paid as a batch; a failure is named and the rest go on."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from niangjia.assistance.choices import ApplicationStatus, RoundKind, RoundOutcome
from niangjia.assistance.models import Application, RoundItem
from niangjia.assistance.selectors.queue import QueueFilter
from niangjia.assistance.selectors.rounds import round_applications, round_targets
from niangjia.assistance.services import application_file, queue_rebuild
from niangjia.assistance.services.rounds import round_run, round_start
from niangjia.core.models import AuditEntry
from niangjia.funds.choices import AllocationSource, Programme
from niangjia.funds.models import FundPool
from niangjia.funds.services import allocation_add, pool_create
from niangjia.registry.models import Household, ReceivedAid
from niangjia.registry.services import HouseholdFacts, household_create
from niangjia.screening.services import household_rescreen

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(tree, registry):  # type: ignore[no-untyped-def]
    """Three archived 阎良 and 雁塔 households in the warmth season (today is in it: 2026-12)."""
    second = household_create(
        actor=None, head=registry.yl_worker2, facts=HouseholdFacts(area=registry.yl_household.area)
    )
    levels = {registry.yl_household.pk: "deep", second.pk: "relative", registry.yt_household.pk: "deep"}
    for pk, level in levels.items():
        Household.objects.filter(pk=pk).update(archive_level=level)
        household_rescreen(household_id=pk)
    queue_rebuild()
    pool = pool_create(programme=Programme.WARMTH, year=2026, org=tree.yanliang, actor=tree.yanliang_staff)
    allocation_add(pool=pool, amount=Decimal("2500.00"), source=AllocationSource.UNION_DUES, actor=tree.yanliang_staff)
    return {"second": second, "pool": pool}


def _second_staff(tree):  # type: ignore[no-untyped-def]
    from niangjia.conftest import make_user
    from niangjia.core.roles import Role

    return make_user("yl_staff2", Role.DISTRICT_STAFF, tree.yanliang)


def _round(actor, kind, **filters):  # type: ignore[no-untyped-def]
    chosen = QueueFilter(policy_id="warmth", **filters)
    if kind == RoundKind.FILE:
        ids = round_targets(user=actor, filters=chosen, limit=100)
        batch = round_start(actor=actor, kind=kind, policy_id="warmth", title="2026 冬送温暖", targets=ids)
    else:
        apps = round_applications(user=actor, kind=kind, filters=chosen, limit=100)
        batch = round_start(actor=actor, kind=kind, policy_id="warmth", title="2026 冬送温暖", applications=apps)
    return round_run(round_id=batch.pk)


def test_a_warmth_round_filed_approved_and_paid(tree, registry, season, django_capture_on_commit_callbacks) -> None:
    application_file(actor=tree.yanliang_cadre, household=registry.yl_household, policy_id="warmth", note="单独办理")
    filed = _round(tree.yanliang_staff, RoundKind.FILE)
    # The 雁塔 household is out of 阎良's scope: the round never sees it. The one already filed fails by name.
    assert (filed.total, filed.succeeded, filed.failed) == (2, 1, 1)
    failure = RoundItem.objects.get(round=filed, outcome=RoundOutcome.FAILED)
    assert failure.name == "冯建民" and "已有一份进行中的“送温暖”申请" in failure.message
    ok = RoundItem.objects.get(round=filed, outcome=RoundOutcome.OK)
    assert (ok.name, ok.amount, ok.message) == ("曾丽", Decimal("1000.00"), "已登记并提交审批")
    assert AuditEntry.objects.filter(action="assistance.round.run").count() == 1
    assert AuditEntry.objects.filter(action="assistance.application.file").count() == 2

    first = Application.objects.get(household=registry.yl_household)
    from niangjia.assistance.services import application_submit

    application_submit(actor=tree.yanliang_cadre, application=first)
    approved = _round(tree.yanliang_staff, RoundKind.APPROVE)
    # 曾丽's was filed by this approver in the round: maker–checker refuses it; 冯建民's 2,000 fits the pool.
    assert (approved.succeeded, approved.failed) == (1, 1)
    refused = RoundItem.objects.get(round=approved, outcome=RoundOutcome.FAILED)
    assert refused.name == "曾丽" and "不能审批自己经办" in refused.message
    city_round = _round(tree.city_admin, RoundKind.APPROVE)
    # The city approves from its own pool, and there is no city warmth pool here: refused by name.
    assert (city_round.succeeded, city_round.failed) == (0, 1)
    assert "没有 2026 年送温暖的市级资金池" in RoundItem.objects.get(round=city_round).message
    other = _round(_second_staff(tree), RoundKind.APPROVE)
    # Another 阎良 staff member approves 曾丽's 1,000 from the district pool, where only 500 is left.
    assert (other.succeeded, other.failed) == (0, 1)
    assert "可用余额 ¥500.00" in RoundItem.objects.get(round=other).message
    with django_capture_on_commit_callbacks(execute=True):
        paid = _round(tree.yanliang_staff, RoundKind.PAY)
    assert (paid.succeeded, paid.failed, paid.amount) == (1, 0, Decimal("2000.00"))
    assert Application.objects.get(household=registry.yl_household).status == ApplicationStatus.PAID
    aid = ReceivedAid.objects.get()
    assert (aid.policy_id, aid.amount, aid.period) == ("warmth", Decimal("2000.00"), 2026)
    pool = FundPool.objects.get(pk=season["pool"].pk)
    assert (pool.available, pool.committed, pool.paid) == (Decimal("500.00"), Decimal(0), Decimal("2000.00"))
    client = Client()
    client.force_login(tree.yanliang_staff)
    page = client.get(reverse("assistance:round", args=[approved.pk])).content.decode()
    assert "曾丽" in page and "不能审批自己经办" in page
    sheet = client.get(reverse("assistance:round_sheet", args=[approved.pk])).content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=sheet, capture_output=True, check=True
    ).stdout.decode()
    assert "帮扶审批表" in text and "冯建民" in text and "送温暖" in text and "¥2,000.00" in text and "曾丽" not in text


def test_rounds_page_starts_a_round_from_the_queue_filter(tree, registry, season) -> None:
    client = Client()
    client.force_login(tree.yanliang_staff)
    answer = client.post(reverse("assistance:rounds") + "?level=relative",
                         {"kind": "file", "policy_id": "warmth", "title": "相对困难户送温暖", "limit": "50", "level": "relative"})  # fmt: skip
    batch = Application.objects.get().round
    assert answer.status_code == 302 and batch is not None
    assert [i.name for i in RoundItem.objects.filter(round=batch)] == ["曾丽"]
    leader = Client()
    leader.force_login(tree.yanliang_leader)
    assert leader.get(reverse("assistance:rounds")).status_code == 403
