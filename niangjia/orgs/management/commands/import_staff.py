"""`niangjia import_staff FILE [--dry-run] [--as USERNAME] [--passwords OUT.xlsx]`: import a staff roster."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from niangjia.core.tabular.errors import ImportFileError
from niangjia.orgs.import_files import errors_write, passwords_write
from niangjia.orgs.importing import staff_import
from niangjia.orgs.models import StaffUser


class Command(BaseCommand):
    help = (
        "从 Excel/CSV 导入工作人员（工会干部）名册：先检查，全部正确才导入（--good-rows-only 只导入正确的行）。"
        "新账号的一次性初始密码写入 --passwords 指定的文件，本人首次登录须修改。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".xlsx / .xls / .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--good-rows-only", action="store_true", help="只导入正确的行")
        parser.add_argument(
            "--as", dest="actor", default="", help="以该用户的身份和管辖范围导入（默认：系统，不限范围）"
        )
        parser.add_argument("--passwords", default="", help="初始密码写入的 .xlsx 文件（导入时必填，文件不能已存在）")
        parser.add_argument("--errors", default="", help="把错误清单写入该 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        passwords = Path(options["passwords"]) if options["passwords"] else None
        if not options["dry_run"] and passwords is None:
            raise CommandError("导入时须用 --passwords 指定初始密码文件（或用 --dry-run 只检查）。")
        if passwords is not None and passwords.exists():
            raise CommandError(f"{passwords} 已存在：初始密码文件不会覆盖已有文件。")
        actor = self._actor(options["actor"])
        started = time.perf_counter()
        try:
            result = staff_import(
                path=Path(options["file"]), actor=actor, dry_run=options["dry_run"],
                good_rows_only=options["good_rows_only"], file_label=Path(options["file"]).name,
            )  # fmt: skip
        except (ImportFileError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        for error in result.errors[:50]:
            self.stdout.write(f"第 {error.row} 行 · {error.column} · “{error.value}”：{error.reason}")
        if result.error_count > 50:
            self.stdout.write(f"……另有 {result.error_count - 50} 处错误（用 --errors 写出完整清单）。")
        if options["errors"]:
            with open(options["errors"], "wb") as handle:
                errors_write(result, handle)
        if result.committed and passwords is not None:
            with passwords.open("xb") as handle:
                passwords_write(result, handle)
            passwords.chmod(0o600)
            self.stdout.write(f"初始密码已写入 {passwords}（仅本人可读）；逐人发放后请删除该文件。")
        self.stdout.write(f"{result.summary()}用时 {seconds:.1f} 秒。")
        if result.error_rows and not result.committed:
            raise CommandError("文件有错误，没有写入任何数据。")

    @staticmethod
    def _actor(username: str) -> StaffUser | None:
        if not username:
            return None
        try:
            return StaffUser.objects.select_related("org").get(username=username, is_active=True)
        except StaffUser.DoesNotExist:
            raise CommandError(f"找不到在用的用户“{username}”。") from None
