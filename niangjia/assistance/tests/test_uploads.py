"""Papers uploaded: checked by content and size, stored under MEDIA_ROOT, the paper counted as received."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from niangjia.assistance.choices import Authorisation, PaperStatus
from niangjia.assistance.models import PaperFile
from niangjia.assistance.services import application_file, paper_file_add
from niangjia.assistance.tests.conftest import today
from niangjia.assistance.uploads import check_upload
from niangjia.registry.models import Document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(width: int = 20, height: int = 10) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes, name: str = "scan.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_pdf_and_images_are_told_by_content_not_name() -> None:
    assert check_upload(upload(PDF, "a.jpg", "image/jpeg")).content_type == "application/pdf"
    checked = check_upload(upload(png(), "photo.pdf"))
    assert (checked.content_type, checked.extension) == ("image/png", "png")
    cleaned = check_upload(upload(jpeg_with_exif(), "p.jpg", "image/jpeg"))
    assert cleaned.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(cleaned.content)).getexif()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"MZ\x90\x00 not a paper", "只能上传 PDF、JPG 或 PNG"),
        (b"%PDF-1.4\n truncated", "PDF 文件不完整"),
        (png()[:40], "文件无法识别"),
    ],
)
def test_bad_files_are_refused_with_the_fix(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(data))
    assert message in str(refused.value)


def test_size_and_pixel_bounds() -> None:
    with override_settings(ASSISTANCE_UPLOAD_MAX_BYTES=1000), pytest.raises(ValidationError) as big:
        check_upload(upload(PDF + b"0" * 2000 + b"%%EOF"))
    assert "不能超过" in str(big.value)
    with pytest.raises(ValidationError) as bomb:
        check_upload(upload(png(8000, 6000), "big.png", "image/png"))
    assert "像素过大" in str(bomb.value)


@pytest.mark.django_db
def test_an_upload_receives_the_paper_and_is_kept_under_media_root(tree, relief, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    application = application_file(actor=tree.yanliang_cadre, household=relief.yl_household, policy_id="emergency_relief",
                                   filed_by_proxy=True, authorisation=Authorisation.SIGNED_FORM, authorised_on=today())  # fmt: skip
    paper = application.papers.get()
    stored = paper_file_add(actor=tree.yanliang_cadre, paper=paper, upload=upload(PDF, "事故认定书.pdf"))
    paper.refresh_from_db()
    assert paper.status == PaperStatus.RECEIVED and paper.document == Document.objects.get(kind="事故证明")
    assert (stored.content_type, stored.size, stored.original_name) == ("application/pdf", len(PDF), "事故认定书.pdf")
    assert (tmp_path / stored.file.name).read_bytes() == PDF
    with pytest.raises(ValidationError):
        paper_file_add(actor=tree.yanliang_cadre, paper=paper, upload=upload(b"hello", "x.pdf"))
    assert PaperFile.objects.count() == 1
    assert len(list(tmp_path.rglob("*.*"))) == 1
