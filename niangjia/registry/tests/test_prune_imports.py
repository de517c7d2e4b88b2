"""Old import uploads are deleted, of every kind (rosters and the staff import); recent ones stay."""

from __future__ import annotations

import os
import time
import uuid
from io import StringIO

from django.core.management import call_command


def test_prune_imports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    imports = tmp_path / "imports"
    old, new = imports / str(uuid.uuid4()), imports / str(uuid.uuid4())
    old_staff, new_staff = imports / "staff" / str(uuid.uuid4()), imports / "staff" / str(uuid.uuid4())
    for folder in (old, new, old_staff, new_staff):
        folder.mkdir(parents=True)
        (folder / "source.xlsx").write_bytes(b"x")
        (folder / "meta.json").write_text("{}")
    eight_days_ago = time.time() - 8 * 86400
    for folder in (old, old_staff, imports / "staff"):
        os.utime(folder, (eight_days_ago, eight_days_ago))
    out = StringIO()
    call_command("prune_imports", stdout=out)
    assert not old.exists() and not old_staff.exists()
    assert new.exists() and new_staff.exists()
    assert "已删除 2 个" in out.getvalue()
