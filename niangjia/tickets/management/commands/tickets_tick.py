"""`niangjia tickets_tick`: the tickets' periodic job — escalate overdue tickets, prune the public pages' counters.

Run it every few minutes from cron or a systemd timer (docs/tickets.md, "Periodic work"); running it twice
escalates a ticket once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from niangjia.tickets.tasks import tickets_tick


class Command(BaseCommand):
    help = "诉求工单定时任务：超期诉求上提一级，删除一天前的公开页面访问计数。建议每 5 分钟运行一次。"

    def handle(self, *args: Any, **options: Any) -> None:
        done = tickets_tick()
        self.stdout.write(f"超期上提 {done['escalated']} 件；删除过期访问计数 {done['pruned']} 条。")
