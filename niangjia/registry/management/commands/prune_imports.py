"""`niangjia prune_imports [--days 7]`: delete old uploaded import files (they hold personal data)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "删除超过指定天数的导入上传文件、预览和错误报告（含个人信息，建议每天定时运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=float, default=7, help="保留天数，默认 7")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.MEDIA_ROOT) / "imports"
        cutoff = time.time() - options["days"] * 86400
        removed = 0
        for folder in root.glob("*") if root.exists() else []:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
                removed += 1
        self.stdout.write(f"已删除 {removed} 个过期的导入文件夹。")
