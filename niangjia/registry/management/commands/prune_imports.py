"""`niangjia prune_imports [--days 7]`: delete old uploaded import files (they hold personal data)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from niangjia.core.tabular.uploads import uploads_prune


class Command(BaseCommand):
    help = "删除超过指定天数的导入上传文件、预览和错误报告（名册和工作人员导入，含个人信息，建议每天定时运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=float, default=7, help="保留天数，默认 7")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = uploads_prune(older_than_days=options["days"])
        self.stdout.write(f"已删除 {removed} 个过期的导入文件夹。")
