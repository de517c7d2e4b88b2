"""Pages of assistance for each role: the queue, 去办理 to payment, files, PDFs, export, archive, contacts."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from python_calamine import load_workbook

from niangjia.assistance.choices import ApplicationStatus, ItemStatus
from niangjia.assistance.models import Application, HardshipArchive, PaperFile, QueueItem
from niangjia.assistance.services import queue_rebuild
from niangjia.assistance.tests.conftest import today
from niangjia.assistance.tests.test_uploads import PDF
from niangjia.core.models import AuditEntry
from niangjia.registry.models import ReceivedAid

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_queue_page_per_role(tree, relief) -> None:
    queue_rebuild()
    for user in (tree.yanliang_cadre, tree.yanliang_staff, tree.city_admin):
        page = client_for(user).get(reverse("assistance:queue"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "冯建民" in text and "紧急救助" in text and "¥2,000.00" in text and "事故证明" in text
        assert "去办理" in text
    assert "冯建民" not in client_for(tree.yanta_staff).get(reverse("assistance:queue")).content.decode()
    assert client_for(tree.yanliang_leader).get(reverse("assistance:queue")).status_code == 403
    filtered = client_for(tree.city_admin).get(reverse("assistance:queue"), {"policy_id": "school_aid"})
    assert "冯建民" not in filtered.content.decode() and "没有待办家庭" in filtered.content.decode()


def test_screening_worklist_leads_to_the_application(tree, relief) -> None:
    page = client_for(tree.yanliang_cadre).get(reverse("screening:worklist")).content.decode()
    assert f"/assistance/apply/?household={relief.yl_household.pk}&amp;policy=emergency_relief" in page
    assert reverse("assistance:queue") in page


def test_from_the_queue_through_apply_upload_approve_and_pay(
    tree, relief, pools, settings, tmp_path, committed
) -> None:
    settings.MEDIA_ROOT = tmp_path
    queue_rebuild()
    cadre = client_for(tree.yanliang_cadre)
    url = reverse("assistance:apply") + f"?household={relief.yl_household.pk}&policy=emergency_relief"
    form = cadre.get(url).content.decode()
    assert "¥2,000.00" in form and "事故证明" in form and "还缺" in form
    answer = cadre.post(reverse("assistance:apply"), {
        "household": relief.yl_household.pk, "policy": "emergency_relief", "filed_by_proxy": "1",
        "authorisation": "written", "authorised_on": today().isoformat(), "note": "代办"})  # fmt: skip
    application = Application.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("assistance:application", args=[application.pk])
    card = cadre.get(reverse("assistance:queue"), {"policy_id": "emergency_relief"}).content.decode()
    assert f'href="/assistance/applications/{application.pk}/">查看申请' in card
    paper = application.papers.get()
    upload = SimpleUploadedFile("事故认定书.pdf", PDF, content_type="application/pdf")
    cadre.post(reverse("assistance:paper_upload", args=[paper.pk]), {"file": upload, "holder": "cadre"})
    cadre.post(reverse("assistance:application_move", args=[application.pk]), {"move": "submit"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = cadre.get(reverse("assistance:application", args=[application.pk])).content.decode()
    assert 'value="approve"' not in page and 'value="pay"' not in page
    staff = client_for(tree.yanliang_staff)
    staff.post(reverse("assistance:application_move", args=[application.pk]), {"move": "approve"})
    with committed():
        staff.post(reverse("assistance:application_move", args=[application.pk]), {"move": "pay"})
    application.refresh_from_db()
    assert (application.status, application.approved_amount) == (ApplicationStatus.PAID, Decimal("2000.00"))
    assert ReceivedAid.objects.get(household=relief.yl_household).amount == Decimal("2000.00")
    queue = cadre.get(reverse("assistance:queue"), {"policy_id": "emergency_relief"}).content.decode()
    assert "冯建民" not in queue
    assert QueueItem.objects.get(policy_id="emergency_relief").status == ItemStatus.DONE


def test_a_paper_file_is_served_only_in_scope_and_audited(tree, relief, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    cadre = client_for(tree.yanliang_cadre)
    cadre.post(reverse("assistance:apply"), {"household": relief.yl_household.pk, "policy": "emergency_relief",
                                             "filed_by_proxy": "0"})  # fmt: skip
    paper = Application.objects.get().papers.get()
    cadre.post(reverse("assistance:paper_upload", args=[paper.pk]),
               {"file": SimpleUploadedFile("a.pdf", PDF), "holder": "office"})  # fmt: skip
    record = PaperFile.objects.get()
    answer = client_for(tree.yanliang_staff).get(reverse("assistance:paper_file", args=[record.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="assistance.paper.view").count() == 1
    assert client_for(tree.yanta_staff).get(reverse("assistance:paper_file", args=[record.pk])).status_code == 404
    assert client_for(tree.yanliang_leader).get(reverse("assistance:paper_file", args=[record.pk])).status_code == 403
    assert AuditEntry.objects.filter(action="assistance.paper.view").count() == 1


def test_a_bad_upload_is_refused_in_chinese_and_nothing_is_kept(tree, relief, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    cadre = client_for(tree.yanliang_cadre)
    cadre.post(reverse("assistance:apply"), {"household": relief.yl_household.pk, "policy": "emergency_relief",
                                             "filed_by_proxy": "0"})  # fmt: skip
    paper = Application.objects.get().papers.get()
    answer = cadre.post(reverse("assistance:paper_upload", args=[paper.pk]),
                        {"file": SimpleUploadedFile("a.pdf", b"not a pdf"), "holder": "office"}, follow=True)  # fmt: skip
    assert "只能上传 PDF、JPG 或 PNG" in answer.content.decode()
    assert PaperFile.objects.count() == 0 and not list(tmp_path.rglob("*.*"))


def test_the_application_form_and_the_sheet_as_pdf_name_the_person_amount_and_policy(tree, relief, pools) -> None:
    cadre = client_for(tree.yanliang_cadre)
    cadre.post(reverse("assistance:apply"), {"household": relief.yl_household.pk, "policy": "emergency_relief",
                                             "filed_by_proxy": "1", "authorisation": "written",
                                             "authorised_on": today().isoformat()})  # fmt: skip
    application = Application.objects.get()
    answer = cadre.get(reverse("assistance:application_pdf", args=[application.pk]))
    assert answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "帮扶申请表" in text and "冯建民" in text and "紧急救助" in text and "¥2,000.00" in text
    assert "书面委托书" in text
    from niangjia.assistance.services import application_approve, application_submit, paper_receive

    paper_receive(actor=tree.yanliang_cadre, paper=application.papers.get())
    application_submit(actor=tree.yanliang_cadre, application=application)
    application_approve(actor=tree.yanliang_staff, application=application)
    sheet = pdf_text(
        client_for(tree.yanliang_staff).get(reverse("assistance:application_sheet", args=[application.pk])).content
    )
    assert "帮扶审批表" in sheet and "冯建民" in sheet and "紧急救助" in sheet and "¥2,000.00" in sheet


def test_export_holds_what_the_page_shows_and_is_audited(tree, relief) -> None:
    queue_rebuild()
    answer = client_for(tree.yanliang_staff).get(reverse("assistance:export"), {"policy_id": "emergency_relief"})
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert "筛选：政策：紧急救助" in rows[0][0] and "共 1 户" in rows[0][0]
    assert rows[2][0] == "冯建民" and rows[2][4] == 2000
    assert AuditEntry.objects.filter(action="core.export", target_label="帮扶待办").count() == 1
    assert client_for(tree.yanliang_cadre).get(reverse("assistance:export")).status_code == 403


def test_archive_pages(tree, registry) -> None:
    cadre = client_for(tree.yanliang_cadre)
    new = reverse("assistance:archive_new") + f"?household={registry.yl_household.pk}"
    assert "登记疑似困难职工家庭" in cadre.get(new).content.decode()
    cadre.post(reverse("assistance:archive_new"), {"household": registry.yl_household.pk, "level": "relative",
                                                   "main_cause": "laid_off", "secondary_causes": ["schooling"],
                                                   "evidence": "企业停产"})  # fmt: skip
    archive = HardshipArchive.objects.get()
    page = cadre.get(reverse("assistance:archive", args=[archive.pk])).content.decode()
    assert "疑似困难" in page and "下岗失业" in page and "子女上学" in page and 'value="verify"' in page
    assert 'value="archive"' not in page
    cadre.post(reverse("assistance:archive_move", args=[archive.pk]), {"move": "verify", "note": "已入户"})
    cadre.post(reverse("assistance:archive_step", args=[archive.pk, "notice"]),
               {"starts_on": (today() - timedelta(days=7)).isoformat(), "ends_on": (today() - timedelta(days=1)).isoformat(),
                "place": "街道公示栏"})  # fmt: skip
    staff = client_for(tree.yanliang_staff)
    staff.post(reverse("assistance:archive_step", args=[archive.pk, "close"]))
    staff.post(reverse("assistance:archive_move", args=[archive.pk]), {"move": "archive"})
    archive.refresh_from_db()
    assert archive.status == "archived"
    listed = staff.get(reverse("assistance:archive_list"), {"never_helped": "1"}).content.decode()
    assert "冯建民" in listed
    assert client_for(tree.yanta_staff).get(reverse("assistance:archive", args=[archive.pk])).status_code == 404


def test_contact_pages(tree, registry) -> None:
    staff = client_for(tree.yanliang_staff)
    staff.post(reverse("assistance:contact_new"), {"household": registry.yl_household.pk, "cadre": tree.yanliang_cadre.pk,
                                                   "frequency": "monthly", "reason": "家有残疾成员"})  # fmt: skip
    cadre = client_for(tree.yanliang_cadre)
    listed = cadre.get(reverse("assistance:contacts")).content.decode()
    assert "冯建民" in listed and "每月" in listed
    from niangjia.assistance.models import ContactHousehold

    contact = ContactHousehold.objects.get()
    cadre.post(reverse("assistance:contact_log", args=[contact.pk]),
               {"at": (today() - timedelta(days=1)).isoformat() + "T10:00", "channel": "phone", "note": "电话问候"})  # fmt: skip
    page = cadre.get(reverse("assistance:contact", args=[contact.pk])).content.decode()
    assert "电话问候" in page and "电话联系" in page
    assert client_for(tree.yanliang_cadre2).get(reverse("assistance:contact", args=[contact.pk])).status_code == 404
