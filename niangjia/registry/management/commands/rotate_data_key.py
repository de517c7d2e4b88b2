"""`niangjia rotate_data_key`: re-encrypt identifiers under the current data key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from niangjia.core.keys import keyring
from niangjia.registry.services.keys import data_key_rotate


class Command(BaseCommand):
    help = (
        "把所有加密的个人标识改用当前数据密钥重新加密。先把新密钥放在 NIANGJIA_DATA_KEY 的第一位"
        "（旧密钥保留在后面），运行本命令，全部完成后再删除旧密钥。可中断后重跑。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="每批处理的行数（每批一个事务）")
        parser.add_argument("--dry-run", action="store_true", help="只统计需要重新加密的行数")

    def handle(self, *args: Any, **options: Any) -> None:
        ring = keyring()
        if ring.is_dev:
            self.stderr.write("注意：当前使用的是开发密钥。")
        counts = data_key_rotate(batch_size=options["batch_size"], dry_run=options["dry_run"])
        verb = "需要重新加密" if options["dry_run"] else "已重新加密"
        for label, count in counts.items():
            self.stdout.write(f"{label}: {verb} {count} 行（当前密钥 {ring.current_id}）")
