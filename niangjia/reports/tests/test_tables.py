"""Indicator tables agree with counts taken straight from the records; scoped; small counts withheld for leaders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Avg, Q, Sum

from niangjia.outreach.models import Visit, VisitNeed
from niangjia.reports import indicators
from niangjia.reports.choices import Grouping
from niangjia.reports.selectors.tables import indicator_table
from niangjia.reports.services import campaign_refresh
from niangjia.reports.suppression import Cell, Line, recoverable
from niangjia.tickets.models import Ticket

pytestmark = pytest.mark.django_db

ALL = indicators.INDICATORS


def table(user, campaign, base, **kw):  # type: ignore[no-untyped-def]
    return indicator_table(user=user, campaign=campaign, base=base, items=ALL, **kw)


def row_of(t, org):  # type: ignore[no-untyped-def]
    return next(r for r in t.rows if r.org is not None and r.org.pk == org.pk)


def direct(campaign, code, org, as_of=None):  # type: ignore[no-untyped-def]
    """The number counted straight from the records, written out plainly here (not through the indicator code)."""
    v = Visit.objects.filter(campaign=campaign, org__path__startswith=org.path)
    if as_of:
        v = v.filter(date__lte=as_of)
    homes = v.filter(kind="home")
    archived_before = Q(household__archive_level__gt="") & (
        Q(household__archived_on__lt=campaign.starts_on) | Q(household__archived_on__isnull=True)
    )
    new = ~archived_before & (Q(signals__isnull=False) | Q(household__archived_on__gte=campaign.starts_on))
    n = VisitNeed.objects.filter(visit__campaign=campaign, visit__org__path__startswith=org.path)
    if as_of:
        n = n.filter(visit__date__lte=as_of)
    return {
        "enterprises_visited": v.filter(kind="enterprise").values("enterprise").distinct().count(),
        "homes_visited": homes.values("household").distinct().count(),
        "homes_three_clear": homes.filter(basic_clear=True, hardship_clear=True, aid_clear=True)
        .values("household")
        .distinct()
        .count(),
        "workers_visited": v.aggregate(s=Sum("people_met"))["s"] or 0,
        "hardship_found": homes.filter(archived_before | new).values("household").distinct().count(),
        "hardship_new": homes.filter(new).values("household").distinct().count(),
        "hardship_archived": homes.filter(archived_before).values("household").distinct().count(),
        "needs_raised": n.filter(kind="need").count(),
        "needs_resolved": n.filter(kind="need", ticket__resolved_at__isnull=False).count(),
        "problems_raised": n.filter(kind="enterprise_problem").count(),
        "problems_solved": n.filter(kind="enterprise_problem", ticket__resolved_at__isnull=False).count(),
        "satisfaction_first": v.filter(follow_up=False, satisfaction__isnull=False).aggregate(a=Avg("satisfaction"))[
            "a"
        ],
        "satisfaction_followup": v.filter(follow_up=True, satisfaction__isnull=False).aggregate(a=Avg("satisfaction"))[
            "a"
        ],
        "tickets_resolved": Ticket.objects.filter(org__path__startswith=org.path, resolved_at__isnull=False).count(),
    }[code]


def test_the_city_table_agrees_with_the_records(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    t = table(tree.city_admin, campaign, tree.city)
    assert not t.protected
    expected = {
        tree.yanliang: {
            "enterprises_visited": 2, "homes_visited": 7, "homes_three_clear": 5, "workers_visited": 48,
            "hardship_found": 4, "hardship_new": 2, "hardship_archived": 2, "needs_raised": 6, "needs_resolved": 4,
            "problems_raised": 1, "problems_solved": 1, "enterprises_target": 2, "homes_target": 10,
            "enterprises_paired": 2, "cadres_paired": 2, "tickets_resolved": 5,
        },
        tree.yanta: {
            "enterprises_visited": 1, "homes_visited": 6, "homes_three_clear": 0, "workers_visited": 8,
            "hardship_found": 4, "hardship_new": 3, "hardship_archived": 1, "needs_raised": 1, "needs_resolved": 1,
            "problems_raised": 1, "problems_solved": 0, "enterprises_target": 1, "homes_target": 5,
            "enterprises_paired": 0, "cadres_paired": 0, "tickets_resolved": 1,
        },
    }  # fmt: skip
    for org, values in expected.items():
        cells = row_of(t, org).cells
        assert {code: cells[code].raw for code in values} == values
        for code in values:
            if code not in ("enterprises_target", "homes_target", "enterprises_paired", "cadres_paired"):
                assert cells[code].raw == direct(campaign, code, org), code
        for code in ("satisfaction_first", "satisfaction_followup"):
            expected_mean = direct(campaign, code, org)
            if expected_mean is None:
                assert cells[code].raw is None
            else:
                assert float(cells[code].raw) == pytest.approx(float(expected_mean))
    total = t.total.cells
    assert total["homes_visited"].raw == 13 and total["hardship_found"].raw == 8
    assert float(total["enterprises_progress"].raw) == pytest.approx(100 * 3 / 3)
    assert float(row_of(t, tree.yanliang).cells["homes_progress"].raw) == pytest.approx(70.0)
    assert float(total["satisfaction_first"].raw) == pytest.approx((4 + 5 + 35 + 3 + 2 + 20) / 16)
    assert total["satisfaction_followup"].raw == Decimal("4.5")


def test_as_of_a_day_counts_only_what_happened_by_then(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    day = date(2026, 3, 31)
    t = table(tree.city_admin, campaign, tree.city, as_of=day)
    for org in (tree.yanliang, tree.yanta):
        for code in ("enterprises_visited", "homes_visited", "hardship_found", "needs_raised"):
            assert row_of(t, org).cells[code].raw == direct(campaign, code, org, as_of=day), (org, code)
    assert row_of(t, tree.yanta).cells["homes_visited"].raw == 0
    # Resolved by their resolution day: four of the six needs, resolved 3-8 … 3-11.
    assert row_of(t, tree.yanliang).cells["needs_resolved"].raw == 4


def test_district_staff_see_their_district_and_its_streets(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    t = table(tree.yanliang_staff, campaign, tree.yanliang)
    assert [r.label for r in t.rows] == ["阎良街道工会"]
    assert t.total.cells["homes_visited"].raw == 7
    # Asked for the city, the district's staff read nothing of 雁塔.
    city = table(tree.yanliang_staff, campaign, tree.city)
    assert row_of(city, tree.yanta).cells["homes_visited"].raw == 0
    assert city.total.cells["homes_visited"].raw == 7


def test_a_cadre_reads_their_own_row(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    t = table(tree.yanliang_cadre, campaign, tree.city, by=Grouping.CADRE)
    assert [r.cadre_id for r in t.rows] == [tree.yanliang_cadre.pk]
    cells = t.rows[0].cells
    # Visits made with cadre2 count for both; cadre2's own home visit does not count here.
    assert cells["enterprises_visited"].raw == 2 and cells["homes_visited"].raw == 7
    assert t.total.cells["homes_visited"].raw == 7


def test_cadre_rows_for_staff(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    t = table(tree.city_admin, campaign, tree.yanliang, by=Grouping.CADRE)
    by_cadre = {r.cadre_id: r.cells for r in t.rows}
    assert by_cadre[tree.yanliang_cadre.pk]["homes_visited"].raw == 7
    assert by_cadre[tree.yanliang_cadre2.pk]["homes_visited"].raw == 1
    assert by_cadre[tree.yanliang_cadre2.pk]["enterprises_visited"].raw == 1
    assert t.total.cells["homes_visited"].raw == 7  # the district's own, not the cadres' sum


def test_leaders_see_small_counts_withheld_and_nothing_recoverable(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    t = table(tree.city_leader, campaign, tree.city)
    assert t.protected
    yl, yt = row_of(t, tree.yanliang).cells, row_of(t, tree.yanta).cells
    assert yl["homes_visited"].text == "7" and yt["homes_visited"].text == "6"
    assert yl["hardship_found"].text == "<5" and yt["hardship_new"].text == "<5"
    assert yt["needs_raised"].text == "<5" and yl["needs_raised"].text == "*"  # 7 − 6 would give 雁塔's 1
    assert yl["enterprises_visited"].text == "2"  # enterprises are not people
    assert yt["satisfaction_followup"].raw is None
    # No column of people lets a reader pin a hidden cell from the total.
    for item in ALL:
        if not item.people or item.measure not in ("count", "sum"):
            continue
        lines_rows = [*t.rows, t.total]
        cells = {r.key: Cell(r.cells[item.code].raw or 0, r.cells[item.code].count) for r in lines_rows}
        marks = {r.key: r.cells[item.code].mark for r in lines_rows if r.cells[item.code].mark}
        assert recoverable(cells, [Line("total", tuple(r.key for r in t.rows))], marks) == [], item.code
    # Nor the split new + already archived within a row.
    for r in [*t.rows, t.total]:
        hidden = [c for c in ("hardship_found", "hardship_new", "hardship_archived") if r.cells[c].hidden]
        assert len(hidden) != 1


def test_a_number_hidden_above_stays_hidden_below(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    city = table(tree.city_leader, campaign, tree.city)
    assert row_of(city, tree.yanliang).cells["needs_raised"].text == "*"
    district = table(tree.yanliang_leader, campaign, tree.yanliang)
    assert district.total.cells["needs_raised"].text == "*"
    assert district.rows[0].cells["needs_raised"].text == "*"
    # Staff of the district (they may see sensitive facts) see the numbers.
    assert table(tree.yanliang_staff, campaign, tree.yanliang).total.cells["needs_raised"].text == "6"


def test_cells_link_to_their_records_or_for_leaders_down_the_tree(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    staff = row_of(table(tree.city_admin, campaign, tree.city), tree.yanliang).cells
    assert staff["hardship_found"].link == f"/reports/c/{campaign.pk}/list/hardship_found/?org={tree.yanliang.pk}"
    leader_rows = table(tree.city_leader, campaign, tree.city)
    leader = row_of(leader_rows, tree.yanliang)
    assert leader.cells["homes_visited"].link == f"/reports/c/{campaign.pk}/list/homes_visited/?org={tree.yanliang.pk}"
    # Hardship is listed only to roles that may see family circumstances: the leader goes down a level.
    assert row_of(leader_rows, tree.yanta).cells["hardship_found"].link is None  # hidden: no link
    assert (
        leader_rows.total.cells["hardship_found"].link is None
        or "list" not in leader_rows.total.cells["hardship_found"].link
    )


def test_applications_and_money_agree_with_the_records(tree, campaign, payments) -> None:  # type: ignore[no-untyped-def]
    from niangjia.assistance.models import Application
    from niangjia.funds.models import Disbursement

    campaign_refresh(campaign=campaign)
    t = table(tree.city_admin, campaign, tree.city)
    yl, yt, total = row_of(t, tree.yanliang).cells, row_of(t, tree.yanta).cells, t.total.cells
    assert [yl[c].raw for c in ("applications_filed", "applications_proxy", "applications_self")] == [9, 5, 4]
    assert [yt[c].raw for c in ("applications_filed", "applications_proxy", "applications_self")] == [2, 0, 2]
    assert [yl[c].raw for c in ("applications_approved", "applications_paid")] == [9, 8]
    assert yl["money_paid"].raw == Decimal("14000.00") and yl["money_paid"].count == 8
    assert yl["money_district"].raw == Decimal("12000.00") and yl["money_city"].raw == Decimal("2000.00")
    assert yl["money_emergency"].raw == Decimal("12000.00") and yl["money_warmth"].raw == Decimal("2000.00")
    assert (yl["helped_emergency"].raw, yl["helped_warmth"].raw, yt["helped_emergency"].raw) == (6, 2, 1)
    assert total["money_paid"].raw == Decimal("15000.00")
    # Straight from the records.
    paid = Disbursement.objects.filter(status="paid")
    assert total["money_paid"].raw == sum(d.amount for d in paid)
    in_period = Application.objects.filter(filed_at__date__gte=campaign.starts_on)
    assert total["applications_filed"].raw == in_period.count() == 11
    assert total["applications_proxy"].raw == in_period.filter(filed_by_proxy=True).count()
    # Leaders: every application count of 雁塔 is small, and money paid to one household is hidden.
    leader = table(tree.city_leader, campaign, tree.city)
    assert row_of(leader, tree.yanta).cells["money_paid"].text == "<5"
    assert row_of(leader, tree.yanliang).cells["money_paid"].text == "*"
    assert row_of(leader, tree.yanliang).cells["money_city"].text == "<5"


def test_cadre_rows_as_of_a_day_are_counted_from_the_records(tree, campaign, visits) -> None:  # type: ignore[no-untyped-def]
    campaign_refresh(campaign=campaign)
    t = table(tree.city_admin, campaign, tree.yanliang, by=Grouping.CADRE, as_of=date(2026, 3, 8))
    by_cadre = {r.cadre_id: r.cells for r in t.rows}
    # By 3-8: yl_cadre's enterprise visits of 3-5 and 3-10 → one; homes of 3-6, 3-7, 3-8 → three.
    assert by_cadre[tree.yanliang_cadre.pk]["enterprises_visited"].raw == 1
    assert by_cadre[tree.yanliang_cadre.pk]["homes_visited"].raw == 3
    assert tree.yanliang_cadre2.pk not in by_cadre  # nothing of theirs by then
