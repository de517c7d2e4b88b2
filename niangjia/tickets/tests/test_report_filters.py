"""The report's one filter (period, organization) on the page, the xlsx export and the API: the same rows."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from niangjia.core.models import AuditEntry
from niangjia.tickets.choices import Channel, Kind
from niangjia.tickets.reporting import (
    TicketReportFilter,
    report_summary,
    report_tables,
    ticket_report,
    women_reply_report,
)
from niangjia.tickets.services import ticket_create, ticket_transition

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _tickets(tree) -> dict[str, date]:  # type: ignore[no-untyped-def]
    """Six tickets in March at the 阎良 street, five in April at 阎良 district, five in March at 雁塔."""
    march, april = date(2026, 3, 10), date(2026, 4, 10)
    for n in range(6):
        ticket = ticket_create(actor=None, channel=Channel.WINDOW, kind=Kind.NEED, title="求职", org=tree.yanliang_street,
                               now=_at(march) + timedelta(hours=n))[0]  # fmt: skip
        if n < 3:
            ticket_transition(
                actor=tree.yanliang_staff, ticket=ticket, move="accept", now=_at(march) + timedelta(days=1)
            )
            ticket_transition(actor=tree.yanliang_staff, ticket=ticket, move="resolve", note="已办",
                              now=_at(march) + timedelta(days=1 if n < 2 else 9))  # fmt: skip
    for n in range(5):
        ticket_create(actor=None, channel=Channel.PHONE, kind=Kind.COMPLAINT, title="投诉", org=tree.yanliang,
                      now=_at(april) + timedelta(hours=n))  # fmt: skip
        ticket_create(actor=None, channel=Channel.PHONE, kind=Kind.COMPLAINT, title="投诉", org=tree.yanta,
                      now=_at(march) + timedelta(hours=n))  # fmt: skip
    return {"march": march, "april": april}


def test_the_period_and_the_organization_narrow_the_report(tree) -> None:  # type: ignore[no-untyped-def]
    days = _tickets(tree)
    staff, now = tree.yanliang_staff, _at(date(2026, 5, 1))

    def total(**chosen: object) -> tuple[int, int, float | None]:
        row = ticket_report(user=staff, now=now, filters=TicketReportFilter(**chosen))["total"]
        return row["received"], row["overdue"], row["on_time_rate"]

    assert total() == (11, 9, 200 / 3)  # 雁塔's five are out of scope
    assert total(received_from=days["march"], received_to=days["march"]) == (6, 4, 200 / 3)
    assert total(received_from=days["april"]) == (5, 5, None)
    assert total(received_to=date(2026, 3, 9)) == (0, 0, None)
    assert total(org=tree.yanliang_street.pk) == (6, 4, 200 / 3)
    assert total(org=tree.yanliang.pk) == (11, 9, 200 / 3)  # an organization with its subtree
    assert total(org=tree.yanta.pk) == (0, 0, None)  # out of scope: nothing, never 雁塔's figures
    city = ticket_report(user=tree.city_admin, now=now, filters=TicketReportFilter(org=tree.yanta.pk))
    assert city["total"]["received"] == 5


def test_bad_filter_values_mean_all_on_the_page_and_are_refused_by_the_api(tree) -> None:  # type: ignore[no-untyped-def]
    query = {"received_from": "2026-04-01", "received_to": "2026-03-01", "org": "abc"}
    assert TicketReportFilter.from_query(query) == TicketReportFilter(received_from=date(2026, 4, 1))
    assert TicketReportFilter.from_query({"received_from": "1899-12-31"}) == TicketReportFilter()
    assert TicketReportFilter(received_from=date(2026, 3, 1)).describe() == "收到日期自：2026-03-01"
    staff = _client(tree.yanliang_staff)
    assert staff.get("/tickets/report/", query).status_code == 200
    refused = staff.get("/api/tickets/report", {"received_from": "2026-04-01", "received_to": "2026-03-01"})
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["field"] == "received_to"
    assert staff.get("/api/tickets/report", {"received_from": "2101-01-01"}).status_code == 422


def test_the_export_holds_the_rows_the_page_shows_with_its_as_of_time(tree) -> None:  # type: ignore[no-untyped-def]
    days = _tickets(tree)
    staff = _client(tree.yanliang_staff)
    query = {"received_from": days["march"].isoformat(), "received_to": days["april"].isoformat(),
             "org": str(tree.yanliang.pk)}  # fmt: skip
    page = staff.get("/tickets/report/", query).content.decode()
    assert "筛选：收到日期自：2026-03-10；收到日期至：2026-04-10；承办组织：阎良区总工会" in page
    assert (
        f'href="/tickets/report/export/?received_from=2026-03-10&amp;received_to=2026-04-10&amp;org={tree.yanliang.pk}"'
        in page
    )
    response = staff.get("/tickets/report/export/", query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert (
        rows[0][0].startswith("诉求统计 · 统计时间：")
        and "筛选：收到日期自：2026-03-10；收到日期至：2026-04-10；承办组织：阎良区总工会" in rows[0][0]
    )
    filters = TicketReportFilter.from_query(query)
    now = timezone.now()
    report = ticket_report(user=tree.yanliang_staff, now=now, filters=filters)
    expected = [
        [label, value]
        for label, value in report_summary(
            report, women_reply_report(user=tree.yanliang_staff, now=now, filters=filters)
        )
    ]
    got = [[r[0], int(r[1]) if isinstance(r[1], float) else r[1]] for r in rows[2 : 2 + len(expected)]]
    assert got == expected
    for table in report_tables(report):
        at = next(i for i, r in enumerate(rows) if r[0] == table.title)
        assert rows[at + 1] == table.header
        body = [[int(c) if isinstance(c, float) else c for c in r] for r in rows[at + 2 : at + 2 + len(table.rows)]]
        assert body == table.rows
        for cells in table.rows:
            assert all(f"<td>{c}</td>" in page for c in cells if c != "")
    assert [r[:2] for r in rows if r[0] == "阎良街道工会"] == [["阎良街道工会", 6]]
    entry = AuditEntry.objects.get(action="core.export")
    assert entry.new_values == {  # type: ignore[comparison-overlap]
        "rows": 6,
        "query": "收到日期自：2026-03-10；收到日期至：2026-04-10；承办组织：阎良区总工会",
    }


def test_the_export_is_for_roles_that_may_export(tree) -> None:  # type: ignore[no-untyped-def]
    assert _client(tree.yanliang_cadre).get("/tickets/report/export/").status_code == 403
    assert _client(tree.yanliang_leader).get("/tickets/report/export/").status_code == 403
    assert "导出 Excel" not in _client(tree.yanliang_leader).get("/tickets/report/").content.decode()
    assert "导出 Excel" not in _client(tree.yanliang_cadre).get("/tickets/report/").content.decode()
    assert not AuditEntry.objects.filter(action="core.export").exists()


def test_the_api_report_has_the_page_figures(tree) -> None:  # type: ignore[no-untyped-def]
    _tickets(tree)
    staff = _client(tree.yanliang_staff)
    body = staff.get("/api/tickets/report", {"received_from": "2026-03-01", "org": tree.yanliang_street.pk}).json()
    assert body["filtered_by"] == "收到日期自：2026-03-01；承办组织：阎良街道工会"
    assert (body["total"]["received"], body["total"]["label"]) == (6, "合计")
    assert [(r["label"], r["received"]) for r in body["by_org"]] == [("阎良街道工会", 6)]
    assert [(r["label"], r["received"]) for r in body["by_channel"]] == [("一窗通办", 6)]
    assert body["enterprise_problems"] == {"problems": 0, "solved": 0, "via_partner": 0}
    leader = _client(tree.yanliang_leader).get("/api/tickets/report").json()
    assert leader["by_org"][0]["few"] is False and leader["total"]["satisfaction"] is None
    assert _client(tree.yanliang_cadre).get("/api/tickets/report").json()["total"]["received"] == 0
