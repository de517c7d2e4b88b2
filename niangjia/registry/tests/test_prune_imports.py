"""Old import uploads are deleted; recent ones stay."""

from __future__ import annotations

import os
import time
from io import StringIO

from django.core.management import call_command


def test_prune_imports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old, new = tmp_path / "imports" / "old", tmp_path / "imports" / "new"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "upload.xlsx").write_bytes(b"x")
    eight_days_ago = time.time() - 8 * 86400
    os.utime(old, (eight_days_ago, eight_days_ago))
    out = StringIO()
    call_command("prune_imports", stdout=out)
    assert not old.exists() and new.exists()
    assert "已删除 1 个" in out.getvalue()
