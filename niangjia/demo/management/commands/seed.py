"""`niangjia seed --preset xian [--seed N]`: deterministic demo data."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from niangjia.demo.orgs import DEMO_PASSWORD, tree_seed
from niangjia.demo.writing import statistics_refresh
from niangjia.orgs.models import UnionOrg


class Command(BaseCommand):
    help = "载入演示数据（确定性的：同一 --seed 得到同样的数据）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", default="xian", choices=["xian"], help="演示数据方案，目前只有 xian（西安）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，默认 2026")
        parser.add_argument("--workers", type=int, default=None, help="演示职工人数（默认见各模块）")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有组织时什么也不做（make demo 用）")

    def handle(self, *args: Any, **options: Any) -> None:
        if UnionOrg.objects.exists():
            if options["if_empty"]:
                self.stdout.write("演示数据已存在，跳过载入。")
                self._print_logins(None)
                return
            raise CommandError("数据库中已有工会组织。演示数据只能载入空数据库；请先删除 var/ 下的数据库文件。")
        started = time.monotonic()
        tree = tree_seed(seed=options["seed"])
        self.stdout.write(
            f"组织树：{UnionOrg.objects.count()} 个工会组织，"
            f"{sum(len(v) for v in tree.cadres.values())} 名工会干部（{time.monotonic() - started:.1f} 秒）"
        )
        for step in self._extensions():
            step(tree=tree, seed=options["seed"], workers=options["workers"], stdout=self.stdout)
        self._print_logins(tree.logins)

    def _extensions(self) -> list[Any]:
        # Later parts add their demo data here (a module in niangjia/demo/), in dependency order.
        from niangjia.demo.assistance import assistance_seed
        from niangjia.demo.funds import funds_seed
        from niangjia.demo.outreach import outreach_seed
        from niangjia.demo.registry import registry_seed
        from niangjia.demo.reports import reports_seed
        from niangjia.demo.screening import screening_seed
        from niangjia.demo.tickets import tickets_seed
        from niangjia.demo.transfers import transfers_seed

        steps: list[Callable[..., None]] = [
            registry_seed,
            transfers_seed,
            tickets_seed,
            outreach_seed,
            screening_seed,
            funds_seed,
            assistance_seed,
            reports_seed,  # last: it counts what the others wrote
        ]
        return [_analysed(step) for step in steps]

    def _print_logins(self, logins: list[tuple[str, str, str]] | None) -> None:
        from niangjia.orgs.models import StaffUser

        if logins is None:
            cadre = (
                StaffUser.objects.filter(role="cadre", org__path__startswith=_yanliang_path())
                .order_by("username")
                .first()
            )
            logins = [
                ("市总工会管理员", "xa_admin", "西安市总工会"),
                ("区县总工会工作人员", "yanliang_staff", "阎良区总工会"),
                ("工会干部", cadre.username if cadre else "cadre0001", cadre.org.name if cadre and cadre.org else ""),
                ("领导(只读)", "xa_leader", "西安市总工会"),
            ]
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username, org in logins:
            self.stdout.write(f"  {role:<12} {username:<16} {org}")


def _analysed(step: Callable[..., None]) -> Callable[..., None]:
    """The step, then ANALYZE on PostgreSQL, so that the next step's queries are planned on the rows this one
    wrote: autovacuum comes later (and never inside a transaction), and a count over tables taken for empty
    nests loops for minutes."""

    @wraps(step)
    def run(**kwargs: Any) -> None:
        step(**kwargs)
        statistics_refresh()

    return run


def _yanliang_path() -> str:
    org = UnionOrg.objects.filter(key="xa-yanliang").first()
    return org.path if org else "/-/"
