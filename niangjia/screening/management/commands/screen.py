"""`niangjia screen`: 政策找人 over the registry, or over a roster file that is not in it."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from niangjia.rules import PolicyError
from niangjia.rules.cli import as_of_date
from niangjia.rules.tools import screen_files
from niangjia.screening import services
from niangjia.screening.models import ScreeningRun
from niangjia.screening.snapshots import run_reproduce


class Command(BaseCommand):
    help = "按已发布的政策筛查名册（政策找人）。不带 --input 时筛查数据库中的家庭，按区县分区。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=as_of_date, default=None, help="筛查基准日 YYYY-MM-DD，默认今天")
        parser.add_argument("--area", default="", help="只筛查该区划代码（及下级）的家庭，如 610114")
        parser.add_argument("--enqueue", action="store_true", help="每个分区排入后台任务队列，由 make worker 执行")
        parser.add_argument("--input", help="不在名册中的花名册：.xlsx 文件或 CSV 目录（表结构见 docs/policies.md）")
        parser.add_argument("--output", help="与 --input 同用：结果写入的 .xlsx 文件")
        parser.add_argument("--follow", action="store_true", help="持续运行：家庭情况一变更，几秒内重新筛查")
        parser.add_argument("--interval", type=float, default=2.0, help="--follow 的检查间隔（秒）")
        parser.add_argument(
            "--reproduce", type=int, metavar="RUN", help="用第 RUN 批次当时的政策文件和基准日重新计算并比对"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        try:
            if options["reproduce"]:
                self._reproduce(options["reproduce"])
            elif options["input"]:
                self._files(options, as_of)
            elif options["follow"]:
                self._follow(options["interval"])
            else:
                self._registry(options, as_of)
        except PolicyError as exc:
            raise CommandError("政策文件有误：\n" + "\n".join(str(i) for i in exc.issues)) from exc

    def _files(self, options: dict[str, Any], as_of: date) -> None:
        if not options["output"]:
            raise CommandError("使用 --input 时必须用 --output 指定结果文件（.xlsx）。")
        source = Path(options["input"])
        if not source.exists():
            raise CommandError(f"找不到输入文件或目录：{source}")
        started = time.monotonic()
        try:
            rows = screen_files(source, options["output"], as_of, settings.NIANGJIA_POLICY_DIR)
        except ValueError as exc:  # InputError: every row, column and fix; nothing written
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已筛查 {source}，写出 {rows} 行结果到 {options['output']}（{time.monotonic() - started:.1f} 秒）"
        )

    def _registry(self, options: dict[str, Any], as_of: date) -> None:
        if options["enqueue"]:
            queued = services.screening_enqueue(actor=None, area_prefix=options["area"], as_of=as_of)
            for prefix in queued:
                self.stdout.write(f"已排入队列：{prefix}")
            return
        partitions = [options["area"]] if options["area"] else services.area_partitions()
        if not partitions:
            self.stdout.write("名册中还没有家庭，无需筛查。")
            return
        for prefix in partitions:
            run = services.screening_run(as_of=as_of, area_prefix=prefix)
            summary = "，".join(
                f"{pid} 符合 {c.get('eligible', 0)} / 可能 {c.get('possibly', 0)}"
                for pid, c in sorted(run.counts.items())
            )
            self.stdout.write(f"{prefix}：{run.households} 户，{run.seconds:.2f} 秒。{summary}")

    def _reproduce(self, run_id: int) -> None:
        run = ScreeningRun.objects.filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"没有编号为 {run_id} 的筛查批次。")
        r = run_reproduce(run=run)
        self.stdout.write(
            f"批次 {run_id}（基准日 {run.as_of}，政策文件 {len(run.files)} 个）：保存的 {r['stored']} 条结果中 "
            f"{r['same']} 条重算一致，{r['different']} 条不同；新出现 {r['new']} 条。不同之处来自此后登记信息的变化。"
        )

    def _follow(self, interval: float) -> None:
        self.stdout.write(f"正在跟踪家庭情况变更（每 {interval:g} 秒检查一次），Ctrl-C 退出。")
        since = services.follow_watermark()
        try:
            while True:
                started = timezone.now()
                run = services.changed_rescreen(since=since)
                if run is None or run.households < services.FOLLOW_BATCH:
                    since = started  # caught up; a full batch means more may be waiting
                if run is not None:
                    self.stdout.write(f"已重新筛查 {run.households} 户（{run.seconds:.2f} 秒）")
                time.sleep(interval)
        except KeyboardInterrupt:
            return
