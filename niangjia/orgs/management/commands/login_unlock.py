"""`niangjia login_unlock [USERNAME] [--address IP]`: let an account, or an address, try again now."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from niangjia.orgs.services import login_throttle_clear


class Command(BaseCommand):
    help = "清除某账号（来自所有地址）或某 IP 地址的登录失败记录，使其无需等待即可再次登录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="", help="用户名")
        parser.add_argument("--address", default=None, help="只清除来自该 IP 地址的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = login_throttle_clear(username=options["username"], ip=options["address"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"已清除 {count} 条登录失败记录。")
