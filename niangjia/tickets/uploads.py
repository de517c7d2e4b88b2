"""Checking and storing a ticket's photos and papers: by content, never by name, with bounds on what reading costs.

A file is a photo when its first bytes say JPEG, PNG or WebP and Pillow, restricted to that one format, opens
and verifies it; a paper when it starts with `%PDF-`. Anything else is refused in Chinese. Before any pixel is
decoded the declared size is held to TICKET_UPLOAD_MAX_PIXELS (a 1 KB PNG may declare 10^10 pixels); JPEGs
decode at a reduced scale (`draft`). Photos are re-encoded as JPEG with the orientation applied and nothing
else kept: no EXIF (GPS, device, time), no XMP, no ICC, no comments. They are stored under MEDIA_ROOT as
`tickets/<2 hex>/<sha256 of the stored bytes>.jpg` (and `-thumb.jpg`): the name a client sent is never a path.

Nothing here touches the database; the services store the checked files inside their transaction.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

from niangjia.tickets.choices import PHOTO_PURPOSES

# The long side of a stored photo and of its thumbnail, in pixels.
PHOTO_SIDE = 2048
THUMB_SIDE = 320
JPEG_QUALITY = 85
# The form fields of a multipart body beside its files (a note, the token, the choices).
FORM_OVERHEAD = 256 * 1024
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
ACCEPTED = "只接受 JPEG、PNG、WebP 格式的照片和 PDF 文件"
ACCEPTED_PHOTOS = "只接受 JPEG、PNG、WebP 格式的照片"


def max_bytes() -> int:
    """The largest file accepted (setting TICKET_UPLOAD_MAX_BYTES, 8 MB by default)."""
    return int(getattr(settings, "TICKET_UPLOAD_MAX_BYTES", 8 * 1024 * 1024))


def max_pixels() -> int:
    """The most pixels a photo may declare (setting TICKET_UPLOAD_MAX_PIXELS, 40 million by default)."""
    return int(getattr(settings, "TICKET_UPLOAD_MAX_PIXELS", 40_000_000))


def max_files() -> int:
    """The most files one submission may carry (setting TICKET_UPLOAD_MAX_FILES, 3 by default)."""
    return int(getattr(settings, "TICKET_UPLOAD_MAX_FILES", 3))


def max_body() -> int:
    """The largest request body an upload page reads: every file at its limit, and the form's fields."""
    return max_files() * max_bytes() + FORM_OVERHEAD


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def too_large_message() -> str:
    return (
        f"提交的内容过大：每次最多 {max_files()} 个文件，每个不超过 {megabytes(max_bytes())}。请压缩或减少照片后重试。"
    )


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: the bytes to store (a re-encoded photo, or the PDF as sent)."""

    content: bytes
    content_type: str
    extension: str
    name: str
    thumb: bytes | None = None
    width: int | None = None
    height: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _sniff(head: bytes) -> str | None:
    """The format the first bytes announce: JPEG, PNG, WEBP, PDF, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return None


def _shown_name(name: str | None) -> str:
    """The name as sent, for staff to recognise a paper by: printable characters of its last part, 100 at most."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:100]


def check_file(data: bytes, *, name: str = "", photo_only: bool = False) -> CheckedFile:
    """Check one file by its content; return what to store, or raise a Chinese ValidationError."""
    if not data:
        raise ValidationError("文件是空的，请重新选择。")
    if len(data) > max_bytes():
        raise ValidationError(f"文件过大（{megabytes(len(data))}），每个文件不能超过 {megabytes(max_bytes())}。")
    kind = _sniff(data[:16])
    if kind == "PDF" and not photo_only:
        return CheckedFile(content=data, content_type="application/pdf", extension="pdf", name=_shown_name(name))
    if kind not in PHOTO_FORMATS:
        raise ValidationError(f"不是可以接受的文件：{ACCEPTED_PHOTOS if photo_only else ACCEPTED}。")
    return _photo(data, kind, name=_shown_name(name))


def _photo(data: bytes, kind: str, *, name: str) -> CheckedFile:
    too_big = f"照片像素过多（超过 {max_pixels() // 10000} 万像素），请缩小后再上传。"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PHOTO_FORMATS[kind]]) as probe:
                width, height = probe.size
                if width < 1 or height < 1 or width * height > max_pixels():
                    raise ValidationError(too_big)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[PHOTO_FORMATS[kind]]) as opened:
                image = _upright_rgb(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(too_big) from None
    except ValidationError:
        raise
    except Exception:  # any decoder error of a hostile or broken file is a refusal, not a 500
        raise ValidationError("照片已损坏或不完整，无法打开，请重新拍摄或选择。") from None
    content, (width, height) = _jpeg(image), image.size
    image.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return CheckedFile(content=content, content_type="image/jpeg", extension="jpg", name=name,
                       thumb=_jpeg(image), width=width, height=height)  # fmt: skip


def _draft_size(width: int, height: int) -> tuple[int, int]:
    """The smallest size whose long side is still PHOTO_SIDE: a JPEG then decodes at 1/2, 1/4 or 1/8 scale."""
    scale = min(1.0, PHOTO_SIDE / max(width, height))
    return math.ceil(width * scale), math.ceil(height * scale)


def _upright_rgb(image: Image.Image) -> Image.Image:
    """The first frame at most PHOTO_SIDE long, turned as its EXIF orientation says, in RGB on white; with no
    metadata left. Scaled first, so the turn and the conversion work on the small image."""
    image.draft("RGB", _draft_size(*image.size))
    image.load()
    image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
    try:
        turned = ImageOps.exif_transpose(image)
    except Exception:  # a malformed EXIF block: keep the pixels as they are (a copy: the file closes after)
        turned = image.copy()
    if turned.mode in ("RGBA", "LA") or (turned.mode == "P" and "transparency" in turned.info):
        rgba = turned.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = turned.convert("RGB") if turned.mode != "RGB" else turned
    flat.info.clear()
    return flat


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile= or comment=: the stored file carries pixels only.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def check_uploads(uploads: Sequence[UploadedFile], *, purpose: str) -> list[CheckedFile]:
    """Check every uploaded file of one submission; refuse them all (naming the file at fault) if one fails."""
    if len(uploads) > max_files():
        raise ValidationError(f"每次最多上传 {max_files()} 个文件，您选了 {len(uploads)} 个。")
    checked = []
    for position, upload in enumerate(uploads, start=1):
        shown = _shown_name(upload.name) or f"第 {position} 个文件"
        if upload.size is not None and upload.size > max_bytes():
            raise ValidationError(
                f"“{shown}”过大（{megabytes(upload.size)}），每个文件不能超过 {megabytes(max_bytes())}。"
            )
        upload.seek(0)
        data = upload.read(max_bytes() + 1)
        try:
            checked.append(check_file(data, name=upload.name or "", photo_only=purpose in PHOTO_PURPOSES))
        except ValidationError as exc:
            raise ValidationError(f"“{shown}”：{exc.messages[0]}") from None
    return checked


def store(checked: CheckedFile) -> tuple[str, str]:
    """Write a checked file (and its thumbnail) under MEDIA_ROOT by its digest; return their storage names.

    The same content is written once: a second upload of it reuses the file.
    """
    digest = checked.sha256
    name = f"tickets/{digest[:2]}/{digest}.{checked.extension}"
    _write(name, checked.content)
    thumb_name = ""
    if checked.thumb is not None:
        thumb_name = f"tickets/{digest[:2]}/{digest}-thumb.jpg"
        _write(thumb_name, checked.thumb)
    return name, thumb_name


def _write(name: str, content: bytes) -> None:
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
