"""`niangjia import enterprises|workers|households FILE [--dry-run] [--good-rows-only] [--report FILE]`.

Exits non-zero when the file is refused, or has errors (without --good-rows-only), dry run or not.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from niangjia.core.tabular.rows import ignored_text
from niangjia.registry.importing import KINDS, ImportFileError, import_file, report_write
from niangjia.registry.importing.report import summary_line
from niangjia.registry.importing.template import template_write
from niangjia.registry.management.commands._lookup import org_option, staff_option

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "从 xlsx、xls 或 csv 文件导入企业、职工或家庭成员名册（默认全部成功才写入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="导入类型")
        parser.add_argument("file", help="要导入的文件（.xlsx / .xls / .csv）；与 --template 同用时为模板的保存位置")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--good-rows-only", action="store_true", help="只导入无错误的行（默认有错误则整个文件不导入）"
        )
        parser.add_argument("--report", help="把错误清单写入此 xlsx 文件")
        parser.add_argument("--user", help="以该工作人员的身份导入（受其管辖范围限制）；不填则以系统身份导入")
        parser.add_argument("--org", type=int, help="新记录归属的工会组织编号（默认按区划或用户所在组织确定）")
        parser.add_argument("--template", action="store_true", help="不导入，而是把该类型的空白模板写到 FILE")
        parser.add_argument(
            "--max-mb", type=int, default=2048, help="命令行导入允许的最大文件（MB，默认 2048；网页上传另有上限）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], Path(options["file"])
        if options["template"]:
            template_write(kind, str(path))
            self.stdout.write(f"模板已写入 {path}")
            return
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        user = staff_option(options["user"])
        org = org_option(options["org"])
        started = time.monotonic()
        try:
            result = import_file(
                kind=kind, path=path, user=user, org=org, dry_run=options["dry_run"],
                good_rows_only=options["good_rows_only"], file_label=path.name,
                max_bytes=options["max_mb"] * 1024 * 1024,
            )  # fmt: skip
        except (ImportFileError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        if result.ignored_headers:
            self.stdout.write(ignored_text(result.ignored_headers))
        for error in result.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"第 {error.row} 行【{error.column}】“{error.value}”：{error.reason}")
        if result.error_count > SHOWN_ERRORS:
            self.stderr.write(f"……另有 {result.error_count - SHOWN_ERRORS} 处错误，见错误清单（--report）。")
        if options["report"]:
            report_write(result, options["report"])
            self.stdout.write(f"错误清单已写入 {options['report']}")
        self.stdout.write(f"{summary_line(result)}用时 {elapsed:.1f} 秒。")
        if options["dry_run"]:
            self.stdout.write("这是试运行（--dry-run），没有写入任何数据。")
        if result.error_rows and not options["good_rows_only"]:
            if options["dry_run"]:
                raise CommandError(
                    "文件中有错误，照此导入将整个文件不导入。请改正后再试，或加 --good-rows-only 只导入正确的行。"
                )
            raise CommandError("文件中有错误，整个文件未导入。改正后重新导入，或加 --good-rows-only 只导入正确的行。")
