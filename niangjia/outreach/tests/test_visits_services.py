"""Recording visits through `visit_record`: idempotent on the client id, needs as tickets, signals as facts,
conflicts kept for a person, scope refused with nothing written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.outreach.models import FactConflict, Visit, VisitNeed, VisitSignal
from niangjia.outreach.services.signals import conflict_resolve
from niangjia.outreach.services.visits import visit_record
from niangjia.outreach.tests.visits_fixtures import (
    NeedData,
    SignalData,
    World,
    enterprise_visit,
    home_visit,
    new_id,
    world,
)
from niangjia.registry.models import Household, MemberCircumstances
from niangjia.screening.models import HouseholdScreenState
from niangjia.screening.services import changed_households, changed_rescreen
from niangjia.tickets.models import Ticket

__all__ = ["world"]


def _counts() -> tuple[int, int, int, int]:
    return Visit.objects.count(), Ticket.objects.count(), VisitSignal.objects.count(), FactConflict.objects.count()


def test_a_home_visit_with_a_need_and_an_illness_changes_the_household_and_is_rescreened(world: World) -> None:
    cadre = world.tree.yanliang_cadre
    head = world.member("冯建民")
    changed_rescreen()  # everything screened once: only what the visit changes is picked up next
    assert changed_households() == []
    before = Household.objects.get(pk=world.household.pk).facts_changed_at
    data = home_visit(
        world,
        needs=[NeedData(kind="need", title="女儿上学学费有困难", category="education")],
        signals=[
            SignalData(kind="illness", member=head, values={"illness_name": "尿毒症"}, base={"health": ""}, note="")
        ],
    )
    visit, created = visit_record(actor=cadre, client_id=new_id(), data=data)
    assert created and visit.kind == "home" and visit.org_id == world.household.org_id
    assert list(visit.cadres.values_list("username", flat=True)) == ["yl_cadre"]
    assert (visit.basic_clear, visit.hardship_clear, visit.aid_clear, visit.follow_up) == (True, True, False, False)

    need = VisitNeed.objects.get(visit=visit)
    ticket = need.ticket
    assert (ticket.channel, ticket.kind, ticket.category, ticket.title) == (
        "visit",
        "need",
        "education",
        "女儿上学学费有困难",
    )
    assert (ticket.org_id, ticket.handler_id, ticket.worker_id) == (cadre.org_id, cadre.pk, world.registry.yl_worker.pk)

    facts = MemberCircumstances.objects.get(member=head)
    assert (facts.health, facts.major_illness, facts.illness_name) == ("major_illness", True, "尿毒症")
    signal = VisitSignal.objects.get(visit=visit)
    assert signal.applied == ["health", "illness_name", "major_illness"]
    assert Household.objects.get(pk=world.household.pk).facts_changed_at > before
    assert AuditEntry.objects.filter(action="outreach.visit.record", target_id=str(visit.pk)).count() == 1
    assert AuditEntry.objects.filter(action="registry.member.change", target_id=str(head.pk)).exists()

    # The follow loop (`niangjia screen --follow`) sees the household changed and re-screens it.
    assert changed_households() == [world.household.pk]
    run = changed_rescreen()
    assert run is not None and run.households == 1
    state = HouseholdScreenState.objects.get(household_id=world.household.pk)
    assert state.screened_at >= Household.objects.get(pk=world.household.pk).facts_changed_at
    assert changed_households() == []


def test_a_retried_sync_finds_the_visit_it_created(world: World) -> None:
    cadre, client_id = world.tree.yanliang_cadre, new_id()
    data = home_visit(world, needs=[NeedData(kind="need", title="求职登记")])
    first, created = visit_record(actor=cadre, client_id=client_id, data=data)
    again, created_again = visit_record(actor=cadre, client_id=client_id, data=data)
    assert created and not created_again and again.pk == first.pk
    assert _counts() == (1, 1, 0, 0)
    # Another user cannot claim (or read) the visit by replaying its client id.
    with pytest.raises(ValidationError) as refused:
        visit_record(actor=world.tree.yanliang_staff, client_id=client_id, data=data)
    assert "客户端编号" in str(refused.value)


def test_a_second_visit_to_the_same_place_is_a_follow_up(world: World) -> None:
    cadre = world.tree.yanliang_cadre
    today = timezone.localdate()
    first, _ = visit_record(actor=cadre, client_id=new_id(), data=enterprise_visit(world, date=today - timedelta(1)))
    second, _ = visit_record(actor=cadre, client_id=new_id(), data=enterprise_visit(world, satisfaction=5))
    assert (first.follow_up, second.follow_up) == (False, True)


def test_out_of_scope_visits_are_refused_and_nothing_is_written(world: World) -> None:
    other_cadre, yanta = world.tree.yanliang_cadre2, world.tree.yanta_staff
    data = home_visit(world, needs=[NeedData(kind="need", title="求职登记")])
    with pytest.raises(PermissionDenied):
        visit_record(actor=other_cadre, client_id=new_id(), data=data)  # not paired with 冯建民's enterprise
    with pytest.raises(PermissionDenied):
        visit_record(actor=yanta, client_id=new_id(), data=data)
    with pytest.raises(PermissionDenied):
        visit_record(actor=world.tree.yanliang_leader, client_id=new_id(), data=data)
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"date": "future"}, "date", "不能晚于今天"),
        ({"date": "before"}, "date", "活动期间"),
        ({"needs": [NeedData(kind="enterprise_problem", title="融资难")]}, "needs", "企业问题在走企时填写"),
        ({"needs": [NeedData(kind="need", title=" ")]}, "needs", "须写明事由"),
        ({"signals": [SignalData(kind="disability", member=None)]}, "signals", "须选择本家庭的一名成员"),
        ({"signals": [SignalData(kind="sudden_event", values={"hardship_costs_12m": "-5"})]}, "signals", "金额"),
        ({"satisfaction": 6}, "satisfaction", "满意度应在 1 到 5 之间"),
        ({"people_met": 10000}, "people_met", "见到人数"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(world: World, fields, field, message) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    if fields.get("date") == "future":
        fields = {"date": today + timedelta(days=1)}
    elif fields.get("date") == "before":
        fields = {"date": world.campaign.starts_on - timedelta(days=1)}
    with pytest.raises(ValidationError) as refused:
        visit_record(actor=world.tree.yanliang_cadre, client_id=new_id(), data=home_visit(world, **fields))
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert _counts() == (0, 0, 0, 0)


def test_a_closed_campaign_takes_no_visits(world: World) -> None:
    world.campaign.status = "closed"
    world.campaign.save()
    with pytest.raises(ValidationError) as refused:
        visit_record(actor=world.tree.yanliang_cadre, client_id=new_id(), data=home_visit(world))
    assert "不在进行中" in str(refused.value)


def test_two_offline_edits_of_one_fact_make_a_conflict_that_a_person_settles(world: World) -> None:
    cadre, staff = world.tree.yanliang_cadre, world.tree.yanliang_staff
    child = world.member("冯小雨")
    # Both forms were loaded while 冯小雨's work status was empty; the first to sync changes it.
    school = SignalData(kind="school_start", member=child, values={"school_stage": "undergraduate"},
                        base={"work_status": "", "school_stage": "", "admission_year": None, "admission_kind": ""})  # fmt: skip
    job = SignalData(kind="job_loss", member=child, values={"monthly_income": "0"},
                     base={"work_status": "", "monthly_income": "0.00"})  # fmt: skip
    visit_record(actor=cadre, client_id=new_id(), data=home_visit(world, signals=[school]))
    second, _ = visit_record(actor=cadre, client_id=new_id(), data=home_visit(world, signals=[job]))
    child.refresh_from_db()
    year = timezone.localdate().year
    assert (child.work_status, child.school_stage, child.admission_year) == ("student", "undergraduate", year)

    conflict = FactConflict.objects.get()
    assert (conflict.fact, conflict.base, conflict.current, conflict.proposed) == (
        "work_status",
        "",
        "student",
        "unemployed",
    )
    assert (conflict.status, conflict.member_id, conflict.signal.visit_id) == ("open", child.pk, second.pk)
    assert VisitSignal.objects.get(visit=second).applied == []  # monthly income was already 0.00

    with pytest.raises(PermissionDenied):
        conflict_resolve(actor=world.tree.yanta_staff, conflict=conflict, choice="proposed")
    with pytest.raises(ValidationError):
        conflict_resolve(actor=staff, conflict=conflict, choice="both")
    conflict_resolve(actor=staff, conflict=conflict, choice="proposed")
    child.refresh_from_db()
    conflict.refresh_from_db()
    assert child.work_status == "unemployed"
    assert (conflict.status, conflict.choice, conflict.resolved_by_id) == ("resolved", "proposed", staff.pk)
    assert AuditEntry.objects.filter(action="outreach.conflict.resolve", target_id=str(conflict.pk)).count() == 1
    with pytest.raises(ValidationError) as twice:
        conflict_resolve(actor=staff, conflict=conflict, choice="current")
    assert "已经确认过" in str(twice.value)


def test_keeping_the_current_value_changes_nothing(world: World) -> None:
    cadre = world.tree.yanliang_cadre
    costs = SignalData(
        kind="sudden_event",
        values={"hardship_costs_12m": "30000", "event_severity": "1"},
        base={"hardship_costs_12m": None},
    )
    other = SignalData(
        kind="sudden_event",
        values={"hardship_costs_12m": "5000", "event_severity": "1"},
        base={"hardship_costs_12m": None},
    )
    visit_record(actor=cadre, client_id=new_id(), data=home_visit(world, signals=[costs]))
    visit_record(actor=cadre, client_id=new_id(), data=home_visit(world, signals=[other]))
    conflict = FactConflict.objects.get()
    assert (conflict.current, conflict.proposed) == ("30000.00", "5000.00")
    conflict_resolve(actor=cadre, conflict=conflict, choice="current")
    household = Household.objects.select_related("circumstances").get(pk=world.household.pk)
    assert household.circumstances.hardship_costs_12m == Decimal("30000.00")


def test_a_sudden_event_on_a_visit_is_a_life_event_that_emergency_relief_sees(world: World) -> None:
    from niangjia.registry.models import LifeEvent
    from niangjia.screening.selectors import household_outcomes

    staff = world.tree.yanliang_staff
    today = timezone.localdate()
    before = {
        o["policy_id"]: o["status"] for o in household_outcomes(user=staff, pk=world.household.pk, as_of=today)[1]
    }
    assert before["emergency_relief"] == "not_eligible"
    unsaid = SignalData(kind="sudden_event", values={"hardship_costs_12m": "30000"})
    with pytest.raises(ValidationError, match="事件严重程度"):
        visit_record(actor=world.tree.yanliang_cadre, client_id=new_id(), data=home_visit(world, signals=[unsaid]))
    sudden = SignalData(
        kind="sudden_event",
        values={"hardship_costs_12m": "30000", "event_severity": "2", "event_cause": "accident"},
    )
    client_id = new_id()
    visit_record(actor=world.tree.yanliang_cadre, client_id=client_id, data=home_visit(world, signals=[sudden]))
    visit_record(actor=world.tree.yanliang_cadre, client_id=client_id, data=home_visit(world, signals=[sudden]))
    event = LifeEvent.objects.get(household=world.household)  # the retried sync recorded it once
    assert (event.kind, event.date, event.severity, event.cause) == ("sudden_event", today, 2, "accident")
    assert AuditEntry.objects.filter(action="registry.event.record", target_id=str(event.pk)).count() == 1
    after = {o["policy_id"]: o for o in household_outcomes(user=staff, pk=world.household.pk, as_of=today)[1]}
    # 严重 pays 2,000 in the pack; an accident asks for its certificate.
    assert (after["emergency_relief"]["status"], after["emergency_relief"]["amount"]) == ("eligible", 2000)
    assert after["emergency_relief"]["missing_documents"] == ["事故证明"]
