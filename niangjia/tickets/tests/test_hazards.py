"""Safety hazards: triage, rectification, verification before resolving, referral, the 四不放过 checklist."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.tickets.choices import Channel, EventKind, Kind, Status
from niangjia.tickets.hazards import (
    hazard_checklist_update,
    hazard_rectification_order,
    hazard_refer,
    hazard_triage,
    referral_due,
)
from niangjia.tickets.services import ticket_create, ticket_transition


def _hazard(tree, **kw):  # type: ignore[no-untyped-def]
    args = {"actor": None, "channel": Channel.ONLINE, "kind": Kind.HAZARD, "title": "脚手架防护网破损"}
    return ticket_create(**{**args, "org": tree.yanliang_street, "anonymous": True, **kw})[0]


@pytest.mark.django_db
def test_a_hazard_is_triaged_rectified_verified_then_resolved(tree, registry) -> None:  # type: ignore[no-untyped-def]
    staff = tree.yanliang_staff
    ticket = _hazard(tree)
    with pytest.raises(ValidationError, match="分级受理"):
        ticket_transition(actor=staff, ticket=ticket, move="accept")
    with pytest.raises(ValidationError, match="分级表单"):
        ticket_transition(actor=staff, ticket=ticket, move="triage")
    with pytest.raises(ValidationError, match="隐患等级"):
        hazard_triage(actor=staff, ticket=ticket, grade="tiny")
    ticket = hazard_triage(actor=staff, ticket=ticket, grade="general", note="现场核实属实")
    assert (ticket.status, ticket.hazard_grade) == (Status.ACCEPTED, "general")
    ticket = ticket_transition(actor=staff, ticket=ticket, move="start")
    with pytest.raises(ValidationError, match="先下达限期整改"):
        ticket_transition(actor=staff, ticket=ticket, move="verify", note="已复查")
    with pytest.raises(ValidationError, match="整改验收后才能办结"):
        ticket_transition(actor=staff, ticket=ticket, move="resolve", note="已整改")
    due = timezone.localdate() + timedelta(days=7)
    ticket = hazard_rectification_order(actor=staff, ticket=ticket, rectify_by=due, enterprise=registry.yl_enterprise)
    assert ticket.rectify_by == due and ticket.hazard_enterprise == registry.yl_enterprise
    with pytest.raises(ValidationError, match="须填写说明"):
        ticket_transition(actor=staff, ticket=ticket, move="verify")
    ticket = ticket_transition(actor=staff, ticket=ticket, move="verify", note="复查：防护网已更换")
    assert ticket.status == Status.IN_PROGRESS and ticket.verified_at is not None
    ticket = ticket_transition(actor=staff, ticket=ticket, move="resolve", note="已整改到位")
    assert ticket.status == Status.RESOLVED
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["created", "triaged", "transition", "rectify", "transition", "transition"]
    assert AuditEntry.objects.filter(action__startswith="tickets.hazard.").count() == 2


@pytest.mark.django_db
def test_referral_only_when_major_or_overdue_and_once(tree) -> None:  # type: ignore[no-untyped-def]
    staff = tree.yanliang_staff
    general = hazard_triage(actor=staff, ticket=_hazard(tree), grade="general")
    with pytest.raises(ValidationError, match="只有重大事故隐患或整改逾期"):
        hazard_refer(actor=staff, ticket=general, note="报区应急管理局")
    today = timezone.localdate()
    general = hazard_rectification_order(actor=staff, ticket=general, rectify_by=today)
    assert referral_due(general, today=today + timedelta(days=1)) and not referral_due(general, today=today)
    major = hazard_triage(actor=staff, ticket=_hazard(tree), grade="major")
    assert referral_due(major, today=today)
    major = hazard_refer(actor=staff, ticket=major, note="书面报区应急管理局")
    assert major.referred_at is not None and major.events.filter(kind=EventKind.REFERRED).count() == 1
    with pytest.raises(ValidationError):
        hazard_refer(actor=staff, ticket=major, note="再报一次")
    with pytest.raises(ValidationError, match="早于"):
        hazard_rectification_order(actor=staff, ticket=major, rectify_by=date(2000, 1, 1))


@pytest.mark.django_db
def test_the_checklist_records_what_changed_and_only_on_hazards(tree) -> None:  # type: ignore[no-untyped-def]
    staff = tree.yanliang_staff
    ticket = _hazard(tree)
    ticket = hazard_checklist_update(actor=staff, ticket=ticket, checked={"cause_found": True, "measures_done": True})
    assert ticket.cause_found and ticket.measures_done and not ticket.people_educated
    hazard_checklist_update(actor=staff, ticket=ticket, checked={"cause_found": True, "measures_done": True})
    notes = list(ticket.events.filter(kind=EventKind.CHECKLIST).values_list("note", flat=True))
    assert notes == ["原因未查清不放过：已落实；整改措施未落实不放过：已落实"]
    need = ticket_create(actor=staff, channel=Channel.WINDOW, kind=Kind.NEED, title="求职", org=tree.yanliang_street)[0]
    with pytest.raises(ValidationError, match="只有安全隐患"):
        hazard_checklist_update(actor=staff, ticket=need, checked={"cause_found": True})


@pytest.mark.django_db
def test_the_hazard_steps_on_the_ticket_page(tree) -> None:  # type: ignore[no-untyped-def]
    ticket = _hazard(tree)
    client = Client()
    client.force_login(tree.yanliang_staff)
    url = f"/tickets/{ticket.pk}/"
    page = client.get(url).content.decode()
    assert "分级受理" in page and "有关人员未受到教育不放过" in page and 'value="accept"' not in page
    client.post(f"{url}hazard/triage/", {"triage-grade": "major", "triage-note": "涉及危化品仓库"})
    page = client.get(url).content.decode()
    assert "重大事故隐患" in page and "应移交" in page and 'data-testid="refer-form"' in page
    client.post(f"{url}hazard/refer/", {"refer-note": "电话报区应急管理局值班室"})
    client.post(f"{url}hazard/rectify/", {"rectify-rectify_by": "2099-01-01", "rectify-enterprise": "没有这家企业"})
    client.post(f"{url}hazard/checklist/", {"checklist-cause_found": "on"})
    ticket.refresh_from_db()
    assert ticket.hazard_grade == "major" and ticket.referred_at is not None and ticket.rectify_by is None
    assert ticket.cause_found and not ticket.people_educated
    leader = Client()
    leader.force_login(tree.yanliang_leader)
    assert 'data-testid="checklist-form"' not in leader.get(url).content.decode()
    assert leader.post(f"{url}hazard/checklist/", {"checklist-people_educated": "on"}).status_code == 403
    assert Client().post(f"{url}hazard/triage/", {"triage-grade": "general"}).status_code == 302
    ticket.refresh_from_db()
    assert not ticket.people_educated
