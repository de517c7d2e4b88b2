"""Uploads are judged by their content: photos re-encoded with no EXIF at all, bombs and impostors refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from niangjia.tickets import uploads
from niangjia.tickets.tests.conftest import stored_files
from niangjia.tickets.tests.files import GPS_IFD, jpeg, pdf, png, png_declaring, webp, zip_file


def test_a_photo_with_gps_is_stored_without_any_exif() -> None:
    sent = jpeg(gps=True)
    assert b"Exif" in sent and b"iPhone" in sent and b"xmpmeta" in sent
    assert dict(Image.open(io.BytesIO(sent)).getexif().get_ifd(GPS_IFD))[1] == "N"
    checked = uploads.check_file(sent, name="IMG_0001.JPG")
    for stored in (checked.content, checked.thumb):
        assert stored is not None
        assert b"Exif" not in stored and b"iPhone" not in stored and b"Apple" not in stored
        assert b"xmpmeta" not in stored and b"Xi'an" not in stored and b"ICC_PROFILE" not in stored
        image = Image.open(io.BytesIO(stored))
        assert image.format == "JPEG" and dict(image.getexif()) == {}
        assert "exif" not in image.info and "xmp" not in image.info and "comment" not in image.info
    assert (checked.content_type, checked.extension, checked.width, checked.height) == ("image/jpeg", "jpg", 640, 480)
    assert Image.open(io.BytesIO(checked.thumb or b"")).size == (320, 240)
    assert checked.name == "IMG_0001.JPG"


def test_the_orientation_is_applied_before_the_exif_goes() -> None:
    checked = uploads.check_file(jpeg(640, 480, orientation=6))  # 6: turn 90° clockwise to view
    assert (checked.width, checked.height) == (480, 640)
    assert dict(Image.open(io.BytesIO(checked.content)).getexif()) == {}


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (png(64, 48), (64, 48)),
        (png(64, 48, alpha=True), (64, 48)),
        (webp(64, 48), (64, 48)),
        (jpeg(3000, 1000), (2048, 683)),
    ],
)
def test_png_and_webp_become_jpeg_and_large_photos_are_scaled(data: bytes, size: tuple[int, int]) -> None:
    checked = uploads.check_file(data)
    image = Image.open(io.BytesIO(checked.content))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", size)


def test_a_transparent_png_is_flattened_on_white() -> None:
    image = Image.open(io.BytesIO(uploads.check_file(png(alpha=True)).content))
    assert all(channel > 240 for channel in image.getpixel((10, 10)))  # type: ignore[union-attr]


def test_a_pdf_is_kept_as_sent_but_only_as_a_paper() -> None:
    checked = uploads.check_file(pdf(), name="../../整改通知书.pdf")
    assert (checked.content, checked.content_type, checked.thumb, checked.name) == (
        pdf(),
        "application/pdf",
        None,
        "整改通知书.pdf",
    )
    with pytest.raises(ValidationError, match="只接受 JPEG、PNG、WebP 格式的照片。"):
        uploads.check_file(pdf(), photo_only=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的，请重新选择。"),
        (zip_file(), "不是可以接受的文件：只接受 JPEG、PNG、WebP 格式的照片和 PDF 文件。"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "不是可以接受的文件"),
        (b"GIF89a" + b"\0" * 100, "不是可以接受的文件"),
        (b"<?php system($_GET['c']); ?>", "不是可以接受的文件"),
        (png_declaring(100_000, 100_000), "照片像素过多（超过 4000 万像素），请缩小后再上传。"),
        (png_declaring(8000, 6000), "照片像素过多（超过 4000 万像素）"),
        (png_declaring(0, 10), "照片"),
        (jpeg()[:300], "照片已损坏或不完整"),
        (png()[:-20] + b"\0" * 20, "照片已损坏或不完整"),
        (b"\xff\xd8\xff" + b"\0" * 64, "照片已损坏或不完整"),
    ],
)
def test_what_is_not_a_photo_or_a_pdf_is_refused_in_chinese(data: bytes, message: str) -> None:
    assert len(png_declaring(100_000, 100_000)) < 1024
    with pytest.raises(ValidationError) as refused:
        uploads.check_file(data)
    assert message in refused.value.messages[0]


def test_the_size_and_pixel_limits_are_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TICKET_UPLOAD_MAX_PIXELS = 100
    assert uploads.check_file(png(10, 10)).width == 10
    with pytest.raises(ValidationError, match="像素过多"):
        uploads.check_file(png(11, 10))
    settings.TICKET_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError, match="文件过大（3 KB），每个文件不能超过 2 KB。"):
        uploads.check_file(b"%PDF-" + b"x" * 3000)
    assert uploads.max_body() == 3 * 2048 + 256 * 1024


def test_one_bad_file_refuses_the_submission_naming_it() -> None:
    good = SimpleUploadedFile("a.jpg", jpeg())
    bad = SimpleUploadedFile("../../b.jpg", zip_file())
    with pytest.raises(ValidationError) as refused:
        uploads.check_uploads([good, bad], purpose="report_photo")
    assert refused.value.messages == ["“b.jpg”：不是可以接受的文件：只接受 JPEG、PNG、WebP 格式的照片。"]
    many = [SimpleUploadedFile(f"{n}.jpg", jpeg()) for n in range(4)]
    with pytest.raises(ValidationError, match="每次最多上传 3 个文件，您选了 4 个。"):
        uploads.check_uploads(many, purpose="report_photo")


def test_stored_files_are_named_by_their_digest_once(media) -> None:  # type: ignore[no-untyped-def]
    checked = uploads.check_file(jpeg(gps=True), name="../../../etc/passwd")
    name, thumb = uploads.store(checked)
    assert name == f"tickets/{checked.sha256[:2]}/{checked.sha256}.jpg"
    assert thumb == f"tickets/{checked.sha256[:2]}/{checked.sha256}-thumb.jpg"
    assert uploads.store(checked) == (name, thumb)
    assert [p.relative_to(media).as_posix() for p in stored_files(media)] == sorted([name, thumb])
    assert (media / name).read_bytes() == checked.content
