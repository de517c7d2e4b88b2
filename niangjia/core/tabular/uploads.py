"""Uploaded files waiting between preview and confirmation: one folder per upload, its owner's only.

An upload is kept under MEDIA_ROOT/imports/[<area>/]<uuid>/ as `source.<ext>` beside `meta.json`
(who uploaded it, its name, what the preview and the result found). The files hold personal
data: they are never served by the web server and `niangjia prune_imports` removes old ones.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.utils import timezone

GONE = "找不到该导入文件，可能已过期。"


@dataclass(frozen=True)
class Upload:
    """One stored upload: its token, folder and metadata (a dict saved as meta.json)."""

    token: uuid.UUID
    folder: Path
    meta: dict[str, Any]

    @property
    def source(self) -> Path:
        return self.folder / str(self.meta["stored"])

    def save(self) -> None:
        (self.folder / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False), encoding="utf-8")

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _root(area: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / area if area else Path(settings.MEDIA_ROOT) / "imports"


def upload_store(*, user_id: int, upload: UploadedFile, area: str = "", **meta: Any) -> Upload:
    """Keep `upload` for its uploader, with `meta` (the kind, options…); return it (meta not yet saved)."""
    token = uuid.uuid4()
    folder = _root(area) / str(token)
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(upload.name or "upload").name
    stored = "source" + Path(name).suffix.lower()
    with (folder / stored).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    info = {"user_id": user_id, "name": name, "stored": stored, "uploaded_at": timezone.now().isoformat(), **meta}
    return Upload(token=token, folder=folder, meta=info)


def upload_load(*, user_id: int, token: uuid.UUID, area: str = "") -> Upload:
    """The upload `token` if it exists and belongs to `user_id`; else 404 (another's looks like none)."""
    folder = _root(area) / str(token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404(GONE) from None
    if meta.get("user_id") != user_id:
        raise Http404(GONE)
    return Upload(token=token, folder=folder, meta=meta)


def uploads_prune(*, older_than_days: float) -> int:
    """Delete the uploads (of every area) last touched more than `older_than_days` ago; return how many."""
    root = _root("")
    cutoff = time.time() - older_than_days * 86400
    removed = 0
    for meta in list(root.glob("**/meta.json")) if root.exists() else []:
        folder = meta.parent
        if _is_token(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _is_token(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True
