"""The bulletin (通报): the PDF's text read back with pdftotext, every number checked against the records;
the xlsx; the command; the page for each role."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from python_calamine import CalamineWorkbook

from niangjia.assistance.models import Application
from niangjia.core.models import AuditEntry
from niangjia.outreach.models import Pairing, Visit, VisitNeed
from niangjia.reports import indicators
from niangjia.reports.bulletin.data import CLAUSES, COLUMNS, bulletin_data
from niangjia.reports.tests.conftest import at
from niangjia.reports.tests.test_tables import direct
from niangjia.tickets.models import Ticket

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 4, 30)
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def truth(campaign, code, org, as_of=AS_OF):  # type: ignore[no-untyped-def]
    """The number of one column for one organization, straight from the records (None: not applicable)."""
    targets = {t.org_id: t for t in campaign.targets.all()}
    under = [o for o in targets if org.path in o_path(o)]
    if code == "enterprises_target":
        return sum(targets[o].enterprises for o in under) or None
    if code == "enterprises_progress":
        goal = truth(campaign, "enterprises_target", org, as_of)
        return 100 * truth(campaign, "enterprises_visited", org, as_of) / goal if goal else None
    if code == "hazards_rectified":
        return Ticket.objects.filter(
            kind="hazard", org__path__startswith=org.path, verified_at__lt=at(as_of + timedelta(1), 0)
        ).count()
    if code == "tickets_on_time_rate":
        resolved = Ticket.objects.filter(org__path__startswith=org.path, resolved_at__lt=at(as_of + timedelta(1), 0))
        n = resolved.count()
        return 100 * resolved.filter(resolved_at__lte=F("due_at")).count() / n if n else None
    apps = Application.objects.filter(org__path__startswith=org.path, filed_at__gte=at(campaign.starts_on, 0))
    if code == "applications_filed":
        return apps.filter(filed_at__lt=at(as_of + timedelta(1), 0)).count()
    if code == "money_paid":
        paid = Application.objects.filter(org__path__startswith=org.path, disbursement__status="paid")
        return paid.aggregate(s=Sum("disbursement__amount"))["s"] or Decimal("0.00")
    if code == "needs_resolved":
        needs = VisitNeed.objects.filter(visit__campaign=campaign, kind="need", visit__org__path__startswith=org.path)
        return needs.filter(ticket__resolved_at__lt=at(as_of + timedelta(1), 0)).count()
    return direct(campaign, code, org, as_of=as_of)


def o_path(org_id: int) -> str:
    from niangjia.orgs.models import UnionOrg

    return UnionOrg.objects.get(pk=org_id).path


def check(token: str, code: str, value) -> None:  # type: ignore[no-untyped-def]
    """A number as printed agrees with the records: exactly, or withheld as the rule says."""
    item = indicators.BY_CODE[code]
    if token == "<5":
        assert item.people or (item.of is not None and indicators.BY_CODE[item.of[1]].people), code
        if item.measure in ("count", "sum"):
            assert value is not None and 0 < value < 5, (code, value)
    elif token == "*":
        assert item.people or (item.of is not None and indicators.BY_CODE[item.of[1]].people), code
    elif token == "—":
        assert value is None, (code, value)
    elif token.startswith("¥"):
        assert Decimal(token[1:].replace(",", "")) == value, (code, token, value)
    elif token.endswith("%"):
        assert token == f"{value:.1f}%", (code, token, value)
    else:
        assert int(token.replace(",", "")) == value, (code, token, value)


@pytest.fixture
def bulletin_pdf(tree, campaign, payments, tmp_path) -> str:  # type: ignore[no-untyped-def]
    Pairing.objects.update(created_at=at(date(2026, 3, 2)))
    call_command("bulletin", str(campaign.pk), "--as-of", AS_OF.isoformat(), "--output", str(tmp_path))
    pdf = tmp_path / f"bulletin-{campaign.pk}-20260430.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def pdf_text(pdf: Path, *, layout: bool) -> str:
    args = [PDFTOTEXT, *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_every_number_of_the_pdf_agrees_with_the_records(tree, campaign, bulletin_pdf) -> None:  # type: ignore[no-untyped-def]
    laid_out = pdf_text(bulletin_pdf, layout=True)
    columns = [code for code in COLUMNS if code in indicators.BY_CODE]
    rows = {"阎良区总工会": tree.yanliang, "雁塔区总工会": tree.yanta, "合计": tree.city}
    seen = set()
    for line in laid_out.splitlines():
        tokens = line.split()
        if tokens and tokens[0] in rows and len(tokens) == len(columns) + 1:
            seen.add(tokens[0])
            for token, code in zip(tokens[1:], columns, strict=True):
                check(token, code, truth(campaign, code, rows[tokens[0]]))
    assert seen == set(rows)
    # The headline sentence, read as one line.
    flat = "".join(pdf_text(bulletin_pdf, layout=False).split())
    sentence = re.search(r"截至2026年4月30日，“千名干部进千企”开展60天来，(.+?)。", flat)
    assert sentence is not None
    clauses = {
        "走访企业(\\S+?)家": ("enterprises_visited", tree.city),
        "入户走访(\\S+?)户": ("homes_visited", tree.city),
        "见到职工(\\S+?)人次": ("workers_visited", tree.city),
        "精准识别困难职工家庭(\\S+?)户": ("hardship_found", tree.city),
        "其中新识别(\\S+?)户": ("hardship_new", tree.city),
        "收集职工需求(\\S+?)件": ("needs_raised", tree.city),
        "已解决(\\S+?)件": ("needs_resolved", tree.city),
        "为企业解决问题(\\S+?)项": ("problems_solved", tree.city),
        "受理帮扶申请(\\S+?)件": ("applications_filed", tree.city),
        "紧急救助(\\S+?)户": ("helped_emergency", tree.city),
        "送温暖帮扶(\\S+?)户": ("helped_warmth", tree.city),
    }
    assert sentence.group(1).startswith("全市2名工会干部")
    assert Pairing.objects.values("cadre").distinct().count() == 2
    published = bulletin_data(campaign=campaign, base=tree.city, as_of=AS_OF)
    for pattern, (code, org) in clauses.items():
        found = re.search(pattern, sentence.group(1))
        if found is None:  # left out: a total of its clause is hidden so that it gives no small count back
            clause = next(codes for codes, text in CLAUSES if code in codes)
            assert "complement" in [published.table.total.cells[c].mark for c in clause], pattern
            continue
        number = found.group(1)
        value = (
            Application.objects.filter(
                disbursement__status="paid",
                disbursement__pool__programme="emergency" if code == "helped_emergency" else "warmth",
            )
            .values("household")
            .distinct()
            .count()
            if code.startswith("helped_")
            else truth(campaign, code, org)
        )
        if number == "不足5":
            assert 0 < value < 5, code
        else:
            assert int(number) == value, code
    money = re.search(r"发放帮扶资金(\d+\.\d\d)万元", sentence.group(1))
    assert money is not None and Decimal(money.group(1)) * 10000 == truth(campaign, "money_paid", tree.city)
    # The ranking and those behind schedule: 60 of 91 days, 65.9 %.
    assert "按时间进度应完成 65.9%" in flat.replace("按时间进度应完成", "按时间进度应完成 ")
    ranking = [line.split() for line in laid_out.splitlines() if re.match(r"\s*\d+\s+\S+总工会", line)]
    visited = {org: truth(campaign, "enterprises_visited", o) for org, o in rows.items() if org != "合计"}
    assert [r[1] for r in ranking] == ["阎良区总工会", "雁塔区总工会"]
    assert ranking[0][2:] == [str(visited["阎良区总工会"]), "2", "100.0%"]
    # Nothing else in the text is a number but dates, page numbers and the 5 of the note and the schedule.
    leftovers = re.sub(
        r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|24:00|第\s*\d+\s*页|不足 ?5 ?人|不足5|<5|65\.9%", "", flat
    )
    assert re.findall(r"\d", leftovers) != []  # the tables' numbers, checked above


def test_the_xlsx_holds_the_same_numbers(tree, campaign, bulletin_pdf) -> None:  # type: ignore[no-untyped-def]
    book = CalamineWorkbook.from_filelike(io.BytesIO(bulletin_pdf.with_suffix(".xlsx").read_bytes()))
    assert book.sheet_names == ["通报", "排名", "低于进度"]
    sheet = book.get_sheet_by_name("通报").to_python()
    assert sheet[0][0] == "关于千名干部进千企进展情况的通报"
    assert sheet[2][0].startswith("截至2026年4月30日")
    columns = [code for code in COLUMNS if code in indicators.BY_CODE]
    rows = {"阎良区总工会": tree.yanliang, "雁塔区总工会": tree.yanta, "合计": tree.city}
    checked = 0
    for line in sheet:
        if line and line[0] in rows:
            for value, code in zip(line[1:], columns, strict=False):
                token = value if isinstance(value, str) else (
                    f"¥{value:,.2f}" if code == "money_paid" else f"{value:.1f}%" if code.endswith(("rate", "progress")) else str(int(value))
                )  # fmt: skip
                check(token, code, truth(campaign, code, rows[line[0]]))
                checked += 1
    assert checked == 3 * len(columns)


def test_the_command_refuses_what_it_cannot_do(tree, campaign, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="找不到走访活动"):
        call_command("bulletin", "没有这个活动", "--output", str(tmp_path))
    with pytest.raises(CommandError, match="--as-of 应为日期"):
        call_command("bulletin", str(campaign.pk), "--as-of", "4月30日", "--output", str(tmp_path))
    with pytest.raises(CommandError, match="不能早于活动开始日"):
        call_command("bulletin", campaign.name, "--as-of", "2026-01-01", "--output", str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_the_page_and_downloads_for_each_role(client, tree, campaign, payments) -> None:  # type: ignore[no-untyped-def]
    call_command("bulletin", str(campaign.pk), "--output", "/tmp/njreports-bulletin-page")  # refreshes too
    client.force_login(tree.city_leader)
    page = client.get(f"/reports/c/{campaign.pk}/bulletin/?as_of=2026-04-30")
    assert page.status_code == 200
    body = page.content.decode()
    assert "关于千名干部进千企进展情况的通报" in body and "截至2026年4月30日" in body and "&lt;5" in body
    pdf = client.get(f"/reports/c/{campaign.pk}/bulletin.pdf?as_of=2026-04-30")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="reports.bulletin", actor_id=tree.city_leader.pk).count() == 1
    # A district's leader gets the district's bulletin, streets as rows.
    client.force_login(tree.yanliang_leader)
    body = client.get(f"/reports/c/{campaign.pk}/bulletin/").content.decode()
    assert "阎良街道工会" in body and "雁塔区总工会" not in body
    client.force_login(tree.city_admin)
    assert client.get(f"/reports/c/{campaign.pk}/bulletin/?as_of=2026-02-30").status_code == 400


def test_visits_recorded_for_the_test_really_exist(campaign, visits) -> None:  # type: ignore[no-untyped-def]
    assert Visit.objects.filter(campaign=campaign).count() == 4 + 7 + 1 + 6
