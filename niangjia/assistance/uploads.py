"""Checking an uploaded paper by its content: a PDF, or a JPEG or PNG image that Pillow can read.

The name and the browser's content type are not trusted. A PDF must start with `%PDF-` and end with
`%%EOF` (in its last kilobyte); an image must decode, within a pixel bound, and is saved again
without its metadata (a phone photo's EXIF holds where and when it was taken). The size bound is
setting ASSISTANCE_UPLOAD_MAX_BYTES (10 MB by default).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A 40-megapixel phone photo is the largest plausible scan; more is a decompression bomb.
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    name: str


def max_bytes() -> int:
    return int(getattr(settings, "ASSISTANCE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _read_bounded(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": f"文件不能超过 {limit // (1024 * 1024)} MB，请压缩或分页拍照后再上传。"})
    data = b"".join(upload.chunks())
    if len(data) > limit:
        raise ValidationError({"file": f"文件不能超过 {limit // (1024 * 1024)} MB，请压缩或分页拍照后再上传。"})
    if not data:
        raise ValidationError({"file": "文件是空的，请重新选择。"})
    return data


def _image(data: bytes) -> tuple[bytes, str, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                if kind not in IMAGE_FORMATS:
                    raise ValidationError({"file": "只能上传 PDF、JPG 或 PNG 文件。"})
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError({"file": "图片像素过大，请缩小后再上传。"})
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                clean = io.BytesIO()
                if kind == "JPEG":
                    image.convert("RGB").save(clean, format="JPEG", quality=90)
                else:
                    image.save(clean, format="PNG")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise ValidationError({"file": "文件无法识别：只能上传 PDF、JPG 或 PNG 文件，且文件不能损坏。"}) from None
    content_type, extension = IMAGE_FORMATS[kind]
    return clean.getvalue(), content_type, extension


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The upload's checked content, or a Chinese ValidationError naming what is wrong and how to fix it."""
    data = _read_bounded(upload, max_bytes())
    if data[:1024].lstrip().startswith(b"%PDF-"):
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError({"file": "PDF 文件不完整，请重新导出或扫描后上传。"})
        content, content_type, extension = data, "application/pdf", "pdf"
    else:
        content, content_type, extension = _image(data)
    name = (upload.name or "材料").rsplit("/", 1)[-1][:100]
    return CheckedFile(content, content_type, extension, hashlib.sha256(content).hexdigest(), name)
