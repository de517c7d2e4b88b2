"""`niangjia export enterprises|workers FILE [--user U] [--org ID] [--area CODE] [--gig] …`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from niangjia.core.scoping import Action, restrict
from niangjia.orgs.models import Area, StaffUser
from niangjia.registry.exporting import export_enterprises, export_workers
from niangjia.registry.management.commands._lookup import org_option, staff_option
from niangjia.registry.models import Enterprise, Worker
from niangjia.registry.selectors import GIG, EnterpriseFilter, WorkerFilter


class Command(BaseCommand):
    help = "把企业或职工名册导出为 xlsx（证件号等已脱敏，并记入审计日志）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["enterprises", "workers"], help="导出类型")
        parser.add_argument("file", help="导出到的 .xlsx 文件")
        parser.add_argument("--user", help="以该工作人员的身份导出（只导出其管辖范围内的数据）；不填则以系统身份导出")
        parser.add_argument("--org", type=int, help="只导出该工会组织及其下属组织负责的记录")
        parser.add_argument("--area", help="只导出该区划（含下级区划）的企业，或在这些企业就业的职工")
        parser.add_argument("--gig", action="store_true", help="只导出新就业形态劳动者（职工）")
        parser.add_argument("--platform", action="store_true", help="只导出平台企业（企业）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = staff_option(options["user"])
        self._check_area(options["area"])
        try:
            if options["kind"] == "enterprises":
                enterprises = EnterpriseFilter(
                    area=options["area"] or "", is_platform=True if options["platform"] else None
                )
                queryset_e = enterprises.apply(self._scoped(Enterprise.objects.all(), user, options["org"]))
                count = export_enterprises(user=user, queryset=queryset_e, stream=options["file"], filters=enterprises)
            else:
                workers = WorkerFilter(area=options["area"] or "", form=GIG if options["gig"] else None)
                base = self._scoped(Worker.objects.filter(merged_into__isnull=True), user, options["org"])
                count = export_workers(user=user, queryset=workers.apply(base), stream=options["file"], filters=workers)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导出 {count} 条到 {options['file']}")

    def _scoped(self, queryset: QuerySet[Any], user: StaffUser | None, org_id: int | None) -> QuerySet[Any]:
        if user is not None:
            queryset = restrict(queryset, user, Action.EXPORT)
        org = org_option(org_id)
        if org is not None:
            queryset = queryset.filter(org__path__startswith=org.path)
        return queryset

    def _check_area(self, code: str | None) -> None:
        if code and not Area.objects.filter(code=code).exists():
            raise CommandError(f"找不到区划代码 {code}")
