"""Photos and papers through the pages and the API: who may see which, and every hostile upload refused."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from niangjia.tickets.choices import Channel, Kind
from niangjia.tickets.hazards import hazard_rectification_order, hazard_triage
from niangjia.tickets.models import Ticket, TicketAttachment
from niangjia.tickets.services import ticket_create, ticket_transition
from niangjia.tickets.tests.conftest import stored_files
from niangjia.tickets.tests.files import jpeg, pdf, png, png_declaring, zip_file
from niangjia.tickets.uploads import check_file

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _report(client: Client, tree, *photos: tuple[str, bytes], **extra: str):  # type: ignore[no-untyped-def]
    data = {"kind": "hazard", "org": tree.yanliang.pk, "title": "脚手架防护网破损", "anonymous": "on"}
    files = [SimpleUploadedFile(name, content) for name, content in photos]
    return client.post("/t/new/", {**data, "photos": files}, **extra)


def _code(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"<code>([^<]+)</code>", response.content.decode()).group(1)  # type: ignore[union-attr]


def test_a_report_with_photos_keeps_them_without_exif_and_shows_them_to_the_code_holder(tree, media) -> None:  # type: ignore[no-untyped-def]
    public = _client()
    response = _report(public, tree, ("IMG_1.jpg", jpeg(gps=True)), ("shot.png", png()))
    assert response.status_code == 200
    code = _code(response)
    ticket = Ticket.objects.get()
    photos = list(ticket.attachments.order_by("id"))
    assert [(p.purpose, p.content_type, p.uploaded_by) for p in photos] == [("report_photo", "image/jpeg", None)] * 2
    for photo in photos:
        stored = (media / photo.file.name).read_bytes()
        assert (
            b"Exif" not in stored and b"iPhone" not in stored and dict(Image.open(io.BytesIO(stored)).getexif()) == {}
        )
        assert (photo.size == len(stored) and photo.sha256 == check_file(stored).sha256) or photo.size == len(stored)
    assert list(ticket.events.values_list("kind", flat=True)) == ["created", "attached"]

    page = public.get(f"/t/{code}/").content.decode()
    assert page.count(f"/t/{code}/photos/") == 4  # two thumbnails, each opening its photo
    assert "上传照片或材料" not in page and "IMG_1" not in page
    shown = public.get(f"/t/{code}/photos/{photos[0].pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff" and "sandbox" in shown["Content-Security-Policy"]
    assert b"".join(shown.streaming_content) == (media / photos[0].file.name).read_bytes()  # type: ignore[attr-defined]
    thumb = public.get(f"/t/{code}/photos/{photos[0].pk}/thumb/")
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 240)  # type: ignore[attr-defined]


def test_the_public_sees_only_the_photos_the_public_sent(tree) -> None:  # type: ignore[no-untyped-def]
    public = _client()
    code = _code(_report(public, tree, ("a.jpg", jpeg())))
    other = _code(_report(public, tree))
    ticket = Ticket.objects.get(attachments__isnull=False)
    staff = tree.yanliang_staff
    hazard_triage(actor=staff, ticket=ticket, grade="general")
    ticket_transition(actor=staff, ticket=ticket, move="start")
    hazard_rectification_order(actor=staff, ticket=ticket, rectify_by=timezone.localdate())
    ticket_transition(
        actor=staff, ticket=ticket, move="verify", note="已整改", photos=[check_file(jpeg(colour="green"))]
    )
    staff_photo = _client(staff).post(f"/tickets/{ticket.pk}/files/", {"attach-purpose": "report_photo",
                                                                       "attach-upload": [SimpleUploadedFile("b.jpg", jpeg(colour="blue"))]})  # fmt: skip
    assert staff_photo.status_code == 302
    sent, verification, by_staff = ticket.attachments.order_by("id")
    assert (verification.purpose, by_staff.uploaded_by) == ("verification_photo", staff)
    assert public.get(f"/t/{code}/photos/{sent.pk}/").status_code == 200
    assert public.get(f"/t/{code}/photos/{verification.pk}/").status_code == 404
    assert public.get(f"/t/{code}/photos/{by_staff.pk}/").status_code == 404
    assert public.get(f"/t/{other}/photos/{sent.pk}/").status_code == 404
    assert public.get(f"/t/not-a-code/photos/{sent.pk}/").status_code == 404
    page = public.get(f"/t/{code}/").content.decode()
    assert f"photos/{sent.pk}/" in page and f"photos/{verification.pk}/" not in page and "上传照片或材料" not in page
    # Staff in scope see every file; staff elsewhere and a cadre not assigned see none.
    for aid in (sent.pk, verification.pk, by_staff.pk):
        assert _client(staff).get(f"/tickets/{ticket.pk}/files/{aid}/").status_code == 200
        assert _client(tree.yanliang_leader).get(f"/tickets/{ticket.pk}/files/{aid}/thumb/").status_code == 200
        assert _client(tree.yanta_staff).get(f"/tickets/{ticket.pk}/files/{aid}/").status_code == 404
        assert _client(tree.yanliang_cadre).get(f"/tickets/{ticket.pk}/files/{aid}/").status_code == 404
    assert _client().get(f"/tickets/{ticket.pk}/files/{sent.pk}/").status_code == 302  # to the login page


BIG = 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.png", png_declaring(100_000, 100_000), "照片像素过多（超过 4000 万像素），请缩小后再上传。"),
        ("photo.jpg", zip_file(), "不是可以接受的文件：只接受 JPEG、PNG、WebP 格式的照片。"),
        ("empty.jpg", b"", "所提交的是空文件。"),
        ("../../../../tmp/shell.jpg", b"<?php system($_GET['c']); ?>", "“shell.jpg”：不是可以接受的文件"),
        ("整改通知.pdf", pdf(), "只接受 JPEG、PNG、WebP 格式的照片"),
    ],
)
def test_a_hostile_photo_refuses_the_report_in_chinese_and_nothing_is_written(
    tree, media, name, content, message
) -> None:  # type: ignore[no-untyped-def]
    response = _report(_client(), tree, ("good.jpg", jpeg()), (name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists() and stored_files(media) == []


def test_a_50_mb_body_is_refused_unread_and_a_traversing_name_cannot_escape(tree, media, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = _client()
    response = _report(client, tree, ("huge.jpg", b"\xff\xd8\xff" + b"\0" * BIG))
    assert (
        response.status_code == 413
        and "提交的内容过大：每次最多 3 个文件，每个不超过 8 MB。" in response.content.decode()
    )
    declared = _report(client, tree, ("a.jpg", jpeg()), CONTENT_LENGTH=str(BIG))
    assert declared.status_code == 413
    assert not Ticket.objects.exists() and stored_files(media) == []
    # The name a client sends is never a path: a real photo named to climb out is stored under its digest.
    response = _report(client, tree, ("../../../../../tmp/evil.jpg", jpeg()))
    assert response.status_code == 200
    photo = TicketAttachment.objects.get()
    assert re.fullmatch(r"tickets/[0-9a-f]{2}/[0-9a-f]{64}\.jpg", photo.file.name) and photo.name == "evil.jpg"
    assert [p.parent.parent for p in stored_files(media)] == [media / "tickets"] * 2
    assert not (tmp_path / "evil.jpg").exists()


def test_four_photos_are_one_too_many(tree, media) -> None:  # type: ignore[no-untyped-def]
    response = _report(_client(), tree, *[(f"{n}.jpg", jpeg()) for n in range(4)])
    assert response.status_code == 400 and "每次最多上传 3 个文件，您选了 4 个。" in response.content.decode()
    assert not Ticket.objects.exists() and stored_files(media) == []


def _hazard_in_progress(tree) -> Ticket:  # type: ignore[no-untyped-def]
    ticket, _ = ticket_create(actor=tree.yanliang_staff, channel=Channel.PHONE, kind=Kind.HAZARD, title="配电箱未上锁",
                              org=tree.yanliang_street, handler=tree.yanliang_cadre)  # fmt: skip
    hazard_triage(actor=tree.yanliang_cadre, ticket=ticket, grade="general")
    ticket_transition(actor=tree.yanliang_cadre, ticket=ticket, move="start")
    return hazard_rectification_order(actor=tree.yanliang_cadre, ticket=ticket, rectify_by=timezone.localdate())


def test_verification_takes_photos_and_other_moves_refuse_them(tree, media) -> None:  # type: ignore[no-untyped-def]
    ticket = _hazard_in_progress(tree)
    cadre = _client(tree.yanliang_cadre)
    page = cadre.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'id="move-photos"' in page
    bad = cadre.post(f"/tickets/{ticket.pk}/move/", {"move": "verify", "note": "复查",
                                                     "photos": [SimpleUploadedFile("x.jpg", zip_file())]})  # fmt: skip
    assert bad.status_code == 400 and "整改验收照片“x.jpg”：不是可以接受的文件" in bad.content.decode()
    ticket.refresh_from_db()
    assert ticket.verified_at is None and stored_files(media) == []
    photo = SimpleUploadedFile("site.jpg", jpeg(gps=True))
    done = cadre.post(f"/tickets/{ticket.pk}/move/", {"move": "verify", "note": "复查：已上锁", "photos": [photo]})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.verified_at is not None
    assert list(ticket.attachments.values_list("purpose", "uploaded_by")) == [
        ("verification_photo", tree.yanliang_cadre.pk)
    ]
    again = cadre.post(f"/tickets/{ticket.pk}/move/", {"move": "resolve", "note": "已办结",
                                                       "photos": [SimpleUploadedFile("y.jpg", jpeg())]})  # fmt: skip
    assert again.status_code == 302 and ticket.attachments.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    page = cadre.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "整改验收照片" in page and f"/tickets/{ticket.pk}/files/" in page


def test_staff_add_papers_within_scope_and_a_leader_cannot(tree, media) -> None:  # type: ignore[no-untyped-def]
    ticket = _hazard_in_progress(tree)

    def data() -> dict[str, object]:
        return {"attach-purpose": "document", "attach-upload": [SimpleUploadedFile("../整改通知书.pdf", pdf())]}

    assert _client(tree.yanliang_leader).post(f"/tickets/{ticket.pk}/files/", data()).status_code == 403
    assert _client(tree.yanta_staff).post(f"/tickets/{ticket.pk}/files/", data()).status_code == 404
    assert not TicketAttachment.objects.exists()
    staff = _client(tree.yanliang_staff)
    assert staff.post(f"/tickets/{ticket.pk}/files/", data()).status_code == 302
    paper = TicketAttachment.objects.get()
    assert (paper.content_type, paper.name, paper.thumb.name) == ("application/pdf", "整改通知书.pdf", "")
    download = staff.get(f"/tickets/{ticket.pk}/files/{paper.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="ticket-{ticket.pk}-{paper.pk}.pdf"'
    page = staff.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "整改通知书.pdf" in page and "PDF" in page
    refused = staff.post(f"/tickets/{ticket.pk}/files/", {"attach-purpose": "verification_photo",
                                                          "attach-upload": [SimpleUploadedFile("a.pdf", pdf())]})  # fmt: skip
    assert refused.status_code == 400 and "只接受 JPEG、PNG、WebP 格式的照片" in refused.content.decode()
    empty = staff.post(f"/tickets/{ticket.pk}/files/", {"attach-purpose": "document"})
    assert empty.status_code == 400 and "请选择要上传的照片或文件。" in empty.content.decode()
    assert TicketAttachment.objects.count() == 1


def _api_upload(client: Client, pk: int, *files: tuple[str, bytes], purpose: str = "report_photo", **extra: str):  # type: ignore[no-untyped-def]
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(f"/api/tickets/{pk}/files", {"purpose": purpose, "files": uploads}, **extra)


def test_the_api_uploads_with_the_same_checks_and_serves_by_scope(tree, media) -> None:  # type: ignore[no-untyped-def]
    ticket = _hazard_in_progress(tree)
    staff = _client(tree.yanliang_staff)
    response = _api_upload(staff, ticket.pk, ("IMG.jpg", jpeg(gps=True)), ("b.pdf", pdf()), purpose="document")
    assert response.status_code == 201
    made = response.json()
    assert [(a["purpose"], a["content_type"], a["uploaded_by"]) for a in made] == [
        ("document", "image/jpeg", "yl_staff"),
        ("document", "application/pdf", "yl_staff"),
    ]
    photo = staff.get(made[0]["download"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(photo.streaming_content)  # type: ignore[attr-defined]
    assert staff.get(made[0]["download"] + "?thumb=true")["Content-Type"] == "image/jpeg"
    assert _client(tree.yanta_staff).get(made[0]["download"]).status_code == 404
    detail = staff.get(f"/api/tickets/{ticket.pk}").json()
    assert [a["id"] for a in detail["attachments"]] == [a["id"] for a in made]
    before = sorted(stored_files(media))
    for name, content, message in (
        ("bomb.png", png_declaring(100_000, 100_000), "提交的数据有误：“bomb.png”：照片像素过多（超过 4000 万像素）"),
        ("a.jpg", zip_file(), "提交的数据有误：“a.jpg”：不是可以接受的文件：只接受 JPEG、PNG、WebP 格式的照片。"),
        ("empty.jpg", b"", "提交的数据有误：“empty.jpg”：文件是空的，请重新选择。"),
        ("../../../x.jpg", b"#!/bin/sh\nrm -rf /\n", "提交的数据有误：“x.jpg”：不是可以接受的文件"),
    ):
        refused = _api_upload(staff, ticket.pk, (name, content))
        assert refused.status_code == 422 and refused.json()["error"]["message"].startswith(message)
    too_big = _api_upload(staff, ticket.pk, ("a.jpg", jpeg()), CONTENT_LENGTH=str(BIG))
    assert too_big.status_code == 413 and "提交的内容过大" in too_big.json()["error"]["message"]
    assert _api_upload(_client(tree.yanliang_leader), ticket.pk, ("a.jpg", jpeg())).status_code == 403
    assert _api_upload(_client(tree.yanta_staff), ticket.pk, ("a.jpg", jpeg())).status_code == 404
    four = _api_upload(staff, ticket.pk, *[(f"{n}.jpg", jpeg()) for n in range(4)])
    assert four.status_code == 422 and "每次最多上传 3 个文件" in four.json()["error"]["message"]
    assert TicketAttachment.objects.count() == 2 and sorted(stored_files(media)) == before


def test_a_file_missing_from_storage_is_a_404_not_a_500(tree, media) -> None:  # type: ignore[no-untyped-def]
    ticket = _hazard_in_progress(tree)
    staff = _client(tree.yanliang_staff)
    made = _api_upload(staff, ticket.pk, ("a.jpg", jpeg()), purpose="verification_photo").json()
    for path in stored_files(media):
        path.unlink()
    assert staff.get(f"/tickets/{ticket.pk}/files/{made[0]['id']}/").status_code == 404
    assert ticket.received_at < timezone.now() + timedelta(seconds=1)
