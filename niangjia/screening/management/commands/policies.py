"""`niangjia policies check|test|diff`: validate, test and preview policy files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from niangjia.rules import PolicyError
from niangjia.rules.cli import as_of_date
from niangjia.rules.tools import check, diff, run_tests
from niangjia.screening.extract import extract_tables


class Command(BaseCommand):
    help = "政策文件：check 校验，test 运行内嵌/外部用例，diff 预览修改对名册的影响。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--policies", default=None, help="政策目录，默认 NIANGJIA_POLICY_DIR（policies/）")
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="校验全部政策文件")
        test = sub.add_parser("test", help="运行内嵌测试，或 --cases 指定的用例文件")
        test.add_argument("--cases", help="用例文件（YAML：政策编号 → 用例列表，格式同内嵌测试）")
        preview = sub.add_parser("diff", help="旧版与新版政策文件在当前名册上的差别")
        preview.add_argument("old")
        preview.add_argument("new")
        preview.add_argument("--as-of", type=as_of_date, default=None)
        preview.add_argument("--area", default="", help="只在该区划内比较")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["policies"] or settings.NIANGJIA_POLICY_DIR
        if options["action"] == "check":
            errors = check(directory)
            if errors:
                raise CommandError("\n".join(errors))
            self.stdout.write("全部政策文件校验通过。")
        elif options["action"] == "test":
            report = run_tests(directory, options["cases"])
            self.stdout.write("\n".join(report.lines()))
            if not report.ok:
                raise CommandError("有政策用例未通过。")
        else:
            self._diff(options)

    def _diff(self, options: dict[str, Any]) -> None:
        as_of = options["as_of"] or timezone.localdate()
        try:
            summary = diff(options["old"], options["new"], extract_tables(area_prefix=options["area"] or None), as_of)
        except PolicyError as exc:
            raise CommandError("\n".join(str(i) for i in exc.issues)) from exc
        unit = "户" if summary["entity"] == "household" else "人"
        self.stdout.write(
            f"政策 {summary['policy_id']}：{summary['old_version']} → {summary['new_version']}（基准日 {as_of}）\n"
            f"新增符合 {summary['gained']} {unit}，不再符合 {summary['lost']} {unit}\n"
            f"金额：{summary['old_total']} → {summary['new_total']} 元（变化 {summary['money_delta']:+} 元）"
        )
