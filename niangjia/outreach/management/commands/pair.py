"""`niangjia pair CAMPAIGN [--k N] [--cross-district] [--dry-run] [--publish]`: 一人一企 pairing from the shell."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from niangjia.orgs.models import StaffUser
from niangjia.outreach.models import Campaign
from niangjia.outreach.services.pairing import K_MAX, PairingOutcome, pairing_publish, pairing_run

METHODS = {"dense": "精确求解", "sparse": "近邻稀疏求解"}


def _campaign(text: str) -> Campaign:
    """The campaign named by its id or its exact name."""
    found = Campaign.objects.select_related("org").filter(pk=int(text)) if text.isdigit() and len(text) < 19 else None
    campaign = found.first() if found is not None else None
    if campaign is None:
        matches = list(Campaign.objects.select_related("org").filter(name=text.strip())[:2])
        if len(matches) > 1:
            raise CommandError(f"有多个名为“{text}”的走访活动，请用编号指定。")
        campaign = matches[0] if matches else None
    if campaign is None:
        raise CommandError(f"找不到走访活动：{text}（请给出编号或完整名称）")
    return campaign


def _km(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f} 公里"


class Command(BaseCommand):
    help = "为走访活动计算一人一企结对（总距离最短），并与轮流分配比较。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="走访活动的编号或完整名称")
        parser.add_argument("--k", type=int, default=None, help=f"每名干部结对企业数（1–{K_MAX}，默认取活动设置）")
        parser.add_argument("--cross-district", action="store_true", help="允许跨区县结对（默认取活动设置）")
        parser.add_argument("--dry-run", action="store_true", help="只计算并报告，不写入")
        parser.add_argument("--publish", action="store_true", help="写入后发布：干部的联系企业随之更新")
        parser.add_argument("--user", default=None, help="以该工作人员的身份执行（审计记录其用户名；默认为系统）")
        parser.add_argument("--polish-seconds", type=float, default=30.0, help="大规模（稀疏）求解时改进的时间上限，秒")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = _campaign(options["campaign"])
        k = options["k"]
        if k is not None and not 1 <= k <= K_MAX:
            raise CommandError(f"--k 应在 1 到 {K_MAX} 之间。")
        if not 0 <= options["polish_seconds"] <= 3600:
            raise CommandError("--polish-seconds 应在 0 到 3600 之间。")
        actor = self._actor(options["user"])
        try:
            outcome = pairing_run(
                actor=actor, campaign=campaign, enterprises_per_cadre=k,
                cross_district=True if options["cross_district"] else None, dry_run=options["dry_run"],
                polish_seconds=options["polish_seconds"],
            )  # fmt: skip
            self._report(outcome, dry_run=options["dry_run"])
            if options["publish"] and not options["dry_run"]:
                pairing_publish(actor=actor, campaign=campaign)
                self.stdout.write("已发布：干部的联系企业已按结对更新。")
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc

    def _actor(self, username: str | None) -> StaffUser | None:
        if not username:
            return None
        user = StaffUser.objects.select_related("org").filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"找不到启用中的工作人员：{username}")
        return user

    def _report(self, outcome: PairingOutcome, *, dry_run: bool) -> None:
        found, inputs = outcome.solution, outcome.inputs
        write = self.stdout.write
        write(f"走访活动：{outcome.campaign.name}（编号 {outcome.campaign.pk}）{'，试算，未写入' if dry_run else ''}")
        write(
            f"干部 {len(inputs.cadres_in_scope):,} 名，待结对企业 {len(inputs.enterprise_ids):,} 家，"
            f"固定结对 {len(inputs.fixed):,} 对；每名干部最多 {outcome.enterprises_per_cadre} 家，"
            f"{'允许' if outcome.cross_district else '不允许'}跨区县"
        )
        if inputs.unlocated_cadres or inputs.unlocated_enterprises:
            write(f"没有位置、未参加：干部 {inputs.unlocated_cadres:,} 名，企业 {inputs.unlocated_enterprises:,} 家")
        write(f"{'':<10}{'结对':>10}{'总距离':>18}{'平均距离':>14}")
        write(f"{'优化结对':<10}{found.paired:>10,}{_km(found.total_km):>18}{_km(found.mean_km):>14}")
        write(
            f"{'轮流分配':<10}{found.baseline_paired:>10,}{_km(found.baseline_total_km):>18}"
            f"{_km(found.baseline_mean_km):>14}"
        )
        if found.mean_km is not None and found.baseline_mean_km:
            write(f"平均距离比轮流分配少 {(1 - found.mean_km / found.baseline_mean_km) * 100:.1f}%")
        gap = "—" if found.gap is None else f"{found.gap * 100:.1f}%"
        proven = "，已证明最优" if found.optimal else ""
        write(
            f"求解：{METHODS.get(found.method, found.method)}{proven}，用时 {found.seconds:.2f} 秒；"
            f"下界 {_km(found.lower_bound_km)}，与下界差距 {gap}"
        )
        for row in outcome.districts:
            write(
                f"  {row['name']}：干部 {row['cadres']:,}，企业 {row['enterprises']:,}，结对 {row['paired']:,}，"
                f"总距离 {row['total_km']:,.2f} 公里（轮流分配 {row['baseline_km']:,.2f}）"
            )
