"""Screening the registry: stored outcomes, scoped work lists, re-screening changed households."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from niangjia.registry.choices import ArchiveLevel, EventCause, EventKind, Severity
from niangjia.registry.models import Document, LifeEvent
from niangjia.registry.services import HouseholdFacts, MemberFacts, household_facts_update, member_facts_update
from niangjia.registry.tests.conftest import build_registry
from niangjia.screening import selectors
from niangjia.screening.models import ScreeningResult
from niangjia.screening.selectors import household_outcomes
from niangjia.screening.services import changed_households, changed_rescreen, screening_run

AS_OF = date(2026, 12, 1)


@pytest.fixture
def registry(tree):  # type: ignore[no-untyped-def]
    return build_registry(tree)


def _make_deep(registry):  # type: ignore[no-untyped-def]
    """The 阎良 household: head earns 1000/month, no other income, archived deep, all facts known."""
    household = registry.yl_household
    facts = HouseholdFacts(
        archive_level=ArchiveLevel.DEEP,
        archived_on=date(2025, 3, 1),
        last_review_date=date(2025, 3, 1),
        owns_shop_or_employs=False,
        private_car_non_work=False,
        child_private_or_abroad=False,
        homes_owned=1,
        other_annual_income=Decimal("0"),
        rigid_medical_12m=Decimal("0"),
        rigid_education_12m=Decimal("0"),
        rigid_other_12m=Decimal("0"),
        hardship_costs_12m=Decimal("0"),
    )
    household_facts_update(actor=None, household=household, facts=facts)
    for member in household.members.all():
        member_facts_update(
            actor=None,
            member=member,
            facts=MemberFacts(
                monthly_income=Decimal("1000"),
                work_status="employed",
                able_to_work=True,
                major_illness=False,
                work_injury_disabled=False,
            ),
        )
    return household


def test_run_stores_outcomes_with_policy_versions(tree, registry):
    _make_deep(registry)
    run = screening_run(as_of=AS_OF)
    assert run.status == "done" and run.households == 2
    assert {p["id"] for p in run.policies} >= {"hardship_archive", "warmth", "archive_review"}
    warmth = ScreeningResult.objects.get(household=registry.yl_household, policy_id="warmth", is_current=True)
    assert (warmth.status, warmth.amount, warmth.as_of) == ("eligible", Decimal("2000.00"), AS_OF)
    assert len(warmth.content_hash) == 64 and warmth.policy_version
    review = ScreeningResult.objects.get(household=registry.yl_household, policy_id="archive_review")
    assert review.status == "eligible"  # last review 2025-03-01 is more than 365 days before 2026-12-01


def test_worklist_is_scoped(tree, registry):
    _make_deep(registry)
    screening_run(as_of=AS_OF)
    mine = selectors.worklist(user=tree.yanliang_staff, filters=selectors.WorklistFilter())
    assert mine and {r.household_id for r in mine} == {registry.yl_household.pk}
    other = selectors.worklist(user=tree.yanta_staff, filters=selectors.WorklistFilter())
    assert registry.yl_household.pk not in {r.household_id for r in other}
    cadre2 = selectors.worklist(user=tree.yanliang_cadre2, filters=selectors.WorklistFilter())
    assert cadre2 == []  # cadre2's enterprise has workers but no household with outcomes


def test_rerun_replaces_current_outcomes(tree, registry):
    _make_deep(registry)
    screening_run(as_of=AS_OF)
    screening_run(as_of=AS_OF)
    current = ScreeningResult.objects.filter(household=registry.yl_household, policy_id="warmth", is_current=True)
    assert current.count() == 1
    assert ScreeningResult.objects.filter(household=registry.yl_household, policy_id="warmth").count() == 2


def test_changed_household_is_rescreened(tree, registry):
    _make_deep(registry)
    screening_run(as_of=AS_OF)
    assert changed_households() == []
    member = registry.yl_household.members.get(relation="head")
    LifeEvent.objects.create(
        household=registry.yl_household,
        member=member,
        kind=EventKind.SUDDEN_EVENT,
        date=timezone.localdate() - timedelta(days=10),
        severity=Severity.SERIOUS,
        cause=EventCause.ACCIDENT,
    )
    member_facts_update(actor=None, member=member, facts=MemberFacts(major_illness=True))  # stamps facts_changed_at
    assert changed_households() == [registry.yl_household.pk]
    run = changed_rescreen()
    assert run is not None and run.households == 1
    relief = ScreeningResult.objects.get(household=registry.yl_household, policy_id="emergency_relief", is_current=True)
    assert relief.amount == Decimal("2000.00")
    assert "事故证明" in relief.missing_documents
    assert changed_households() == []


def _outcomes(user, household) -> list[dict]:  # type: ignore[no-untyped-def]
    return household_outcomes(user=user, pk=household.pk, as_of=AS_OF)[1]


def test_missing_documents_shrink_when_on_file(tree, registry):
    _make_deep(registry)
    before = {o["policy_id"]: o for o in _outcomes(tree.yanliang_staff, registry.yl_household)}
    assert "收入证明" in before["hardship_archive"]["missing_documents"]
    Document.objects.create(household=registry.yl_household, kind="收入证明", received_on=AS_OF)
    after = {o["policy_id"]: o for o in _outcomes(tree.yanliang_staff, registry.yl_household)}
    assert "收入证明" not in after["hardship_archive"]["missing_documents"]


def test_household_page_and_worklist_page(client, tree, registry):
    _make_deep(registry)
    screening_run(as_of=AS_OF)
    client.force_login(tree.yanliang_cadre)
    page = client.get("/screening/").content.decode()
    assert "冯建民" in page and "送温暖" in page
    detail = client.get(f"/screening/households/{registry.yl_household.pk}/").content.decode()
    assert "困难职工建档" in detail and "不符合" in detail
    assert client.get(f"/screening/households/{registry.yt_household.pk}/").status_code == 404
    client.force_login(tree.yanta_staff)
    assert client.get(f"/api/screening/households/{registry.yl_household.pk}").status_code == 404
    assert "冯建民" not in client.get("/screening/").content.decode()


def test_screen_command(tree, registry):
    _make_deep(registry)
    out = StringIO()
    call_command("screen", "--as-of", "2026-12-01", stdout=out)
    text = out.getvalue()
    assert "610114：1 户" in text and "610113：1 户" in text
    assert ScreeningResult.objects.filter(is_current=True, policy_id="warmth", status="eligible").count() == 1


def test_run_keeps_policy_files_and_reproduces(tree, registry, tmp_path, settings):
    from niangjia.screening.models import PolicyFile
    from niangjia.screening.snapshots import run_reproduce

    _make_deep(registry)
    run = screening_run(as_of=AS_OF)
    names = {f["name"] for f in run.files}
    assert {"warmth.yaml", "parameters.yaml"} <= names
    assert PolicyFile.objects.filter(sha256__in=[f["sha256"] for f in run.files]).count() == len(run.files)
    # The policy directory changes afterwards: the warmth amounts are doubled.
    for source in settings.NIANGJIA_POLICY_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == "warmth.yaml":
            text = text.replace("2000", "4000")
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    settings.NIANGJIA_POLICY_DIR = tmp_path
    assert run_reproduce(run=run) == {
        "stored": run.results.count(),
        "same": run.results.count(),
        "different": 0,
        "new": 0,
    }
    member_facts_update(
        actor=None, member=registry.yl_household.members.get(relation="head"), facts=MemberFacts(monthly_income=None)
    )
    changed = run_reproduce(run=run)
    assert changed["different"] >= 1


def test_follow_looks_only_at_recent_changes(tree, registry):
    from niangjia.registry.models import Household
    from niangjia.screening.services import FOLLOW_OVERLAP, follow_watermark

    assert follow_watermark() is None
    screening_run(as_of=AS_OF)
    watermark = follow_watermark()
    assert watermark is not None and changed_households(since=watermark) == []
    # Never screened but stamped long before the watermark: left to a full `screen` run.
    Household.objects.filter(pk=registry.yt_household.pk).update(facts_changed_at=watermark - 2 * FOLLOW_OVERLAP)
    from niangjia.screening.models import HouseholdScreenState

    HouseholdScreenState.objects.filter(household=registry.yt_household).delete()
    member_facts_update(
        actor=None,
        member=registry.yl_household.members.get(relation="head"),
        facts=MemberFacts(monthly_income=Decimal("1500")),
    )
    assert changed_households(since=watermark) == [registry.yl_household.pk]
    assert set(changed_households()) == {registry.yl_household.pk, registry.yt_household.pk}
