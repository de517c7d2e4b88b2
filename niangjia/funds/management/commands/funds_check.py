"""`niangjia funds_check`: is every ledger transaction balanced, and does every pool's cache agree with it?"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from niangjia.funds.tasks import ledger_check_report


class Command(BaseCommand):
    help = "核对资金台账：每笔记录借贷相抵，每个资金池的余额与台账一致。不一致时以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = ledger_check_report()
        if not report["ok"]:
            raise CommandError(
                f"台账核对未通过：不平衡的记录 {report['unbalanced']}；余额与台账不一致的资金池 {list(report['mismatched'])}。"
            )
        self.stdout.write("台账核对通过：每笔记录借贷相抵，每个资金池的余额与台账一致。")
