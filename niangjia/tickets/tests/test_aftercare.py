"""对接合作 and 回访: an enterprise problem matched with a partner and closed with the record; the follow-up call."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.tickets.choices import Channel, EventKind, Kind, Status
from niangjia.tickets.cooperation import cooperation_finish, cooperation_start
from niangjia.tickets.followups import followup_record
from niangjia.tickets.models import Cooperation, FollowUpCall, Ticket
from niangjia.tickets.reporting import ticket_report
from niangjia.tickets.services import ticket_create, ticket_transition

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _problem(tree, registry, **kw) -> Ticket:  # type: ignore[no-untyped-def]
    args = {"actor": tree.yanliang_staff, "channel": Channel.VISIT, "kind": Kind.ENTERPRISE_PROBLEM,
            "title": "企业通信网络不稳定", "org": tree.yanliang_street, "enterprise": registry.yl_enterprise}  # fmt: skip
    return ticket_create(**{**args, **kw})[0]


def test_an_enterprise_problem_is_solved_through_a_partner_and_counted(tree, registry) -> None:  # type: ignore[no-untyped-def]
    staff = tree.yanliang_staff
    ticket = _problem(tree, registry)
    ticket_transition(actor=staff, ticket=ticket, move="accept")
    telecom = cooperation_start(actor=staff, ticket=ticket, partner_name=" 西安电信南高新运营中心 ",
                                work="为企业提供专线和通信保障方案", started_on=TODAY - timedelta(days=3))  # fmt: skip
    neighbour = cooperation_start(actor=staff, ticket=ticket, partner=registry.yl_enterprise2, partner_name="ignored",
                                  work="共享机房备份线路", started_on=TODAY)  # fmt: skip
    assert (telecom.partner_label, telecom.partner, neighbour.partner_label, neighbour.partner_name) == (
        "西安电信南高新运营中心",
        None,
        registry.yl_enterprise2.name,
        "",
    )
    with pytest.raises(ValidationError, match="完成日期不能早于开始日期"):
        cooperation_finish(actor=staff, cooperation=telecom, finished_on=TODAY - timedelta(days=4), result="签约")
    cooperation_finish(actor=staff, cooperation=telecom, finished_on=TODAY, result="双方签署战略合作协议，专线已开通")
    with pytest.raises(ValidationError, match="已记录完成"):
        cooperation_finish(actor=staff, cooperation=telecom, finished_on=TODAY, result="再记一次")
    ticket_transition(actor=staff, ticket=ticket, move="resolve", note="经对接电信运营中心解决")
    assert [e.kind for e in ticket.events.order_by("id")][-4:] == [
        "cooperation",
        "cooperation",
        "cooperation",
        "transition",
    ]
    assert AuditEntry.objects.filter(action="tickets.cooperation.start").count() == 2
    partner = ticket_report(user=staff, now=timezone.now())["partner"]
    assert partner == {"problems": 1, "solved": 1, "via_partner": 1}
    assert ticket_report(user=tree.yanliang_leader, now=timezone.now())["partner"] == {
        "problems": None, "solved": None, "via_partner": None}  # fmt: skip
    with pytest.raises(ValidationError, match="办结或结案后不能再对接"):
        cooperation_start(actor=staff, ticket=ticket, partner_name="另一家", work="x", started_on=TODAY)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"partner_name": "  "}, "请填写合作方"),
        ({"partner_name": "某公司", "work": " "}, "请写明合作方将为企业做什么"),
        ({"partner_name": "某公司", "started_on": TODAY + timedelta(days=1)}, "开始日期不能晚于今天"),
        ({"partner_name": "某公司", "started_on": date(1899, 12, 31)}, "日期不能早于 1900-01-01"),
    ],
)
def test_a_bad_cooperation_is_refused_and_nothing_is_written(tree, registry, kw, message) -> None:  # type: ignore[no-untyped-def]
    ticket = _problem(tree, registry)
    with pytest.raises(ValidationError, match=message):
        cooperation_start(actor=tree.yanliang_staff, ticket=ticket, **{"work": "通信保障", "started_on": TODAY, **kw})
    assert not Cooperation.objects.exists() and ticket.events.count() == 1


def test_cooperation_belongs_to_enterprise_problems_and_partners_in_scope(tree, registry) -> None:  # type: ignore[no-untyped-def]
    staff = tree.yanliang_staff
    need = ticket_create(actor=staff, channel=Channel.WINDOW, kind=Kind.NEED, title="求职", org=tree.yanliang_street)[0]
    with pytest.raises(ValidationError, match="只有企业问题才对接合作方"):
        cooperation_start(actor=staff, ticket=need, partner_name="某公司", work="x", started_on=TODAY)
    ticket = _problem(tree, registry)
    with pytest.raises(PermissionDenied):
        cooperation_start(actor=staff, ticket=ticket, partner=registry.yt_enterprise, work="x", started_on=TODAY)
    with pytest.raises(ValidationError, match="不能是提出问题的企业本身"):
        cooperation_start(actor=staff, ticket=ticket, partner=registry.yl_enterprise, work="x", started_on=TODAY)
    with pytest.raises(PermissionDenied):
        cooperation_start(actor=tree.yanta_staff, ticket=ticket, partner_name="某公司", work="x", started_on=TODAY)
    with pytest.raises(PermissionDenied):
        cooperation_start(actor=tree.yanliang_leader, ticket=ticket, partner_name="某公司", work="x", started_on=TODAY)
    assert not Cooperation.objects.exists()


def test_the_cooperation_forms_on_the_page_and_in_the_api(tree, registry) -> None:  # type: ignore[no-untyped-def]
    ticket = _problem(tree, registry)
    staff = _client(tree.yanliang_staff)
    page = staff.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="cooperation-form"' in page and "还没有对接合作方" in page
    assert (
        'data-testid="cooperation-form"'
        not in _client(tree.yanliang_leader).get(f"/tickets/{ticket.pk}/").content.decode()
    )
    bad = staff.post(
        f"/tickets/{ticket.pk}/cooperation/",
        {"coop-partner": "某公司", "coop-work": "", "coop-started_on": "2026-13-01"},
    )
    assert bad.status_code == 400
    assert "合作内容：这个字段是必填项。" in bad.content.decode() and "开始日期：" in bad.content.decode()
    data = {"coop-partner": registry.yl_enterprise2.uscc, "coop-work": "共享机房", "coop-started_on": TODAY.isoformat()}
    assert staff.post(f"/tickets/{ticket.pk}/cooperation/", data).status_code == 302
    made = Cooperation.objects.get()
    assert made.partner == registry.yl_enterprise2
    done = {"done-finished_on": TODAY.isoformat(), "done-result": "备份线路已启用"}
    assert (
        _client(tree.yanta_staff).post(f"/tickets/{ticket.pk}/cooperation/{made.pk}/finish/", done).status_code == 404
    )
    assert staff.post(f"/tickets/{ticket.pk}/cooperation/{made.pk}/finish/", done).status_code == 302
    page = staff.get(f"/tickets/{ticket.pk}/").content.decode()
    assert registry.yl_enterprise2.name in page and "备份线路已启用" in page and "名册企业" in page

    def post(client: Client, url: str, body: dict) -> tuple[int, dict]:  # type: ignore[type-arg]
        response = client.post(url, json.dumps(body), content_type="application/json")
        return response.status_code, response.json()

    body = {"partner_name": "西安电信南高新运营中心", "work": "通信保障方案", "started_on": TODAY.isoformat()}
    assert post(_client(tree.yanta_staff), f"/api/tickets/{ticket.pk}/cooperation", body)[0] == 404
    assert (
        post(staff, f"/api/tickets/{ticket.pk}/cooperation", {**body, "partner_id": registry.yt_enterprise.pk})[0]
        == 404
    )
    status, detail = post(staff, f"/api/tickets/{ticket.pk}/cooperation", body)
    assert status == 200 and [c["partner_name"] for c in detail["cooperations"]] == [
        registry.yl_enterprise2.name,
        "西安电信南高新运营中心",
    ]
    cid = detail["cooperations"][1]["id"]
    status, detail = post(
        staff,
        f"/api/tickets/{ticket.pk}/cooperation/{cid}/finish",
        {"finished_on": TODAY.isoformat(), "result": "签署战略合作协议"},
    )
    assert status == 200 and detail["cooperations"][1]["result"] == "签署战略合作协议"
    assert (
        post(staff, f"/api/tickets/{ticket.pk}/cooperation/{cid}/finish", {"finished_on": "2101-01-01", "result": "x"})[
            0
        ]
        == 422
    )


def _resolved(tree, **kw) -> Ticket:  # type: ignore[no-untyped-def]
    args = {"actor": tree.yanliang_staff, "channel": Channel.PHONE, "kind": Kind.CONSULTATION, "title": "拖欠工资",
            "org": tree.yanliang_street, "handler": tree.yanliang_cadre}  # fmt: skip
    ticket = ticket_create(**{**args, **kw})[0]
    ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="accept")
    return ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="resolve", note="已协调企业支付")


def test_a_follow_up_call_is_its_own_record_and_the_first_rating_counts(tree) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(tree)
    cadre, staff, now = tree.yanliang_cadre, tree.yanliang_staff, timezone.now()
    missed = followup_record(actor=cadre, ticket=ticket, called_at=now, reached=False, note="电话无人接听")
    ticket.refresh_from_db()
    assert (missed.reached, missed.satisfaction, ticket.satisfaction, ticket.status) == (False, None, None, "resolved")
    with pytest.raises(ValidationError, match="您的角色不能“回访结案”"):
        followup_record(actor=cadre, ticket=ticket, called_at=now, reached=True, satisfaction=5, close=True)
    assert FollowUpCall.objects.count() == 1  # the refused close wrote no call either
    followup_record(actor=cadre, ticket=ticket, called_at=now, reached=True, satisfaction=4, note="满意")
    followup_record(actor=staff, ticket=ticket, called_at=now, reached=True, satisfaction=2, close=True)
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.status) == (4, Status.CLOSED)
    assert list(ticket.followups.values_list("satisfaction", flat=True)) == [None, 4, 2]
    notes = list(ticket.events.filter(kind=EventKind.FOLLOW_UP).values_list("note", flat=True))
    assert notes == ["未联系上。电话无人接听", "已联系上，满意度 4 分。满意", "已联系上，满意度 2 分。"]
    assert ticket.events.order_by("-id").values_list("kind", "to_status")[0] == ("transition", "closed")
    assert AuditEntry.objects.filter(action="tickets.ticket.followup").count() == 3


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"reached": False, "satisfaction": 5}, "没有联系上反映人，不能记录满意度"),
        ({"satisfaction": 6}, "满意度应为 1 至 5 分"),
        ({"called_at": "future"}, "回访时间不能晚于现在"),
        ({"called_at": "before"}, "回访时间不能早于办结时间"),
    ],
)
def test_a_bad_call_is_refused_and_writes_nothing(tree, kw, message) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(tree)
    when = {"future": timezone.now() + timedelta(hours=1), "before": ticket.received_at - timedelta(hours=1)}
    args = {"reached": True, "satisfaction": None, "called_at": timezone.now(), **kw}
    args["called_at"] = when.get(args["called_at"], args["called_at"])
    with pytest.raises(ValidationError, match=message):
        followup_record(actor=tree.yanliang_staff, ticket=ticket, **args)
    assert not FollowUpCall.objects.exists()


def test_no_call_before_resolution_or_to_an_anonymous_requester(tree) -> None:  # type: ignore[no-untyped-def]
    staff, now = tree.yanliang_staff, timezone.now()
    open_ticket = ticket_create(actor=staff, channel=Channel.WINDOW, kind=Kind.NEED, title="求职", org=tree.yanliang)[0]
    with pytest.raises(ValidationError, match="诉求办结后才能回访"):
        followup_record(actor=staff, ticket=open_ticket, called_at=now, reached=True)
    anonymous = _resolved(tree, anonymous=True)
    with pytest.raises(ValidationError, match="匿名反映没有留下联系方式"):
        followup_record(actor=staff, ticket=anonymous, called_at=timezone.now(), reached=True)
    assert "followup-form" not in _client(staff).get(f"/tickets/{anonymous.pk}/").content.decode()
    with pytest.raises(PermissionDenied):
        followup_record(actor=tree.yanta_staff, ticket=_resolved(tree), called_at=timezone.now(), reached=True)
    assert not FollowUpCall.objects.exists()


def test_the_call_form_on_the_page(tree) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(tree)
    cadre, staff = _client(tree.yanliang_cadre), _client(tree.yanliang_staff)
    cadre_page = cadre.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="followup-form"' in cadre_page and "回访后结案" not in cadre_page
    assert "回访后结案" in staff.get(f"/tickets/{ticket.pk}/").content.decode()
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = staff.post(
        f"/tickets/{ticket.pk}/followup/", {"call-called_at": when, "call-reached": "0", "call-satisfaction": "5"}
    )
    assert bad.status_code == 400 and "没有联系上反映人，不能记录满意度" in bad.content.decode()
    data = {
        "call-called_at": when,
        "call-reached": "1",
        "call-satisfaction": "5",
        "call-note": "很满意",
        "call-close": "on",
    }
    assert staff.post(f"/tickets/{ticket.pk}/followup/", data).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (Status.CLOSED, 5)
    page = staff.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "已联系上 · 满意度 5 分" in page and "很满意" in page


def test_the_audit_entries_read_as_chinese(tree, registry) -> None:  # type: ignore[no-untyped-def]
    from niangjia.core.audit_display import audit_changes
    from niangjia.tickets.attachments import attachments_add
    from niangjia.tickets.tests.files import jpeg
    from niangjia.tickets.uploads import check_file

    staff = tree.yanliang_staff
    problem = _problem(tree, registry)
    attachments_add(actor=staff, ticket=problem, purpose="document", files=[check_file(jpeg())])
    cooperation = cooperation_start(
        actor=staff, ticket=problem, partner_name="某服务中心", work="通信", started_on=TODAY
    )
    cooperation_finish(actor=staff, cooperation=cooperation, finished_on=TODAY, result="已解决")
    ticket = _resolved(tree)
    followup_record(actor=staff, ticket=ticket, called_at=timezone.now(), reached=True, satisfaction=5, close=True)
    entries = AuditEntry.objects.filter(action__startswith="tickets.").exclude(action="tickets.ticket.create")
    seen: dict[tuple[str, str], list[str]] = {}
    for entry in entries.order_by("pk"):
        for change in audit_changes(entry):
            assert change.label == "SHA-256" or not any(ch.isascii() and ch.isalpha() for ch in change.label), change
            seen.setdefault((entry.action, change.label), []).append(change.new)
    assert seen[("tickets.ticket.attach", "用途")] == ["材料"]
    assert seen[("tickets.ticket.followup", "联系上")] == ["是"]
    assert seen[("tickets.ticket.rate", "满意度")] == ["5"]
    assert seen[("tickets.ticket.transition", "状态")][-1] == "已结案"
    assert seen[("tickets.ticket.transition", "办理")][-1] == "回访结案"
    assert seen[("tickets.cooperation.start", "合作方")] == ["某服务中心"]
    assert seen[("tickets.cooperation.finish", "合作成效")] == ["已解决"]
