"""Visit photos: checked by their content (Pillow), bounded, resized, stripped of EXIF, stored as JPEG.

The phone already resizes (canvas → JPEG, at most 1600 px), but the server trusts no upload: it
opens the bytes with Pillow, refuses what is not a JPEG, PNG or WebP image or would decode into too
many pixels, applies the EXIF orientation, and writes a fresh JPEG without any metadata (GPS and the
camera's serial number stay on the phone).
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from niangjia.core.audit import audit_record
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Visit, VisitPhoto

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 1600
PHOTOS_PER_VISIT = 10
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def photo_add(
    *, actor: StaffUser, visit: Visit, client_id: uuid.UUID, upload: IO[bytes], size: int
) -> tuple[VisitPhoto, bool]:
    """Add a photo to a visit once per client id; return it and whether it was added now."""
    require(actor, Action.CHANGE, visit)
    existing = VisitPhoto.objects.filter(visit=visit, client_id=client_id).first()
    if existing is not None:
        return existing, False
    if VisitPhoto.objects.filter(visit=visit).count() >= PHOTOS_PER_VISIT:
        raise ValidationError({"photo": f"一次走访最多 {PHOTOS_PER_VISIT} 张照片。"})
    if size <= 0 or size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": f"照片应大于 0、不超过 {PHOTO_MAX_BYTES // (1024 * 1024)} MB。"})
    jpeg, width, height = clean_image(upload.read(PHOTO_MAX_BYTES + 1))
    photo = VisitPhoto(visit=visit, client_id=client_id, width=width, height=height, bytes=len(jpeg))
    photo.image.save(f"{client_id}.jpg", ContentFile(jpeg), save=False)
    try:
        with transaction.atomic():
            photo.save(force_insert=True)
            audit_record(
                actor=actor,
                action="outreach.visit.photo",
                target=visit,
                new={"photo": str(client_id), "width": width, "height": height, "bytes": len(jpeg)},
                org_path=visit.org.path,
            )
    except IntegrityError:
        photo.image.delete(save=False)
        existing = VisitPhoto.objects.filter(visit=visit, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    except Exception:
        photo.image.delete(save=False)
        raise
    return photo, True


def clean_image(data: bytes) -> tuple[bytes, int, int]:
    """A JPEG of the image in `data` (oriented, at most PHOTO_MAX_SIDE px, no metadata) and its size."""
    refused = ValidationError({"photo": "照片无法识别：请上传 JPEG、PNG 或 WebP 格式的照片。"})
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": f"照片不能超过 {PHOTO_MAX_BYTES // (1024 * 1024)} MB。"})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise refused
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValidationError({"photo": "照片像素过多（超过 4000 万像素），请缩小后上传。"})
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise refused from error
    upright: Image.Image = ImageOps.exif_transpose(image) or image
    clean = upright.convert("RGB")
    clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height
