"""`niangjia bulletin CAMPAIGN [--as-of D] [--output DIR]`: the campaign's bulletin (通报) as PDF and xlsx."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from niangjia.core.audit import audit_record
from niangjia.outreach.models import Campaign
from niangjia.reports.bulletin import bulletin_data, bulletin_pdf, bulletin_xlsx
from niangjia.reports.services import campaign_refresh


def find_campaign(text: str) -> Campaign:
    """A campaign by its number or exact name."""
    found = Campaign.objects.filter(pk=int(text)) if text.isdigit() else Campaign.objects.filter(name=text)
    campaign = found.select_related("org").first()
    if campaign is None:
        raise CommandError(f"找不到走访活动“{text}”：请给出活动编号或完整名称。")
    return campaign


def parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of 应为日期，如 2026-05-31，而不是“{text}”。") from exc


class Command(BaseCommand):
    help = "生成走访活动的通报（PDF 和 Excel），统计截至指定日期（默认今天，不晚于活动结束日）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="活动编号或完整名称")
        parser.add_argument("--as-of", help="统计截至日期，如 2026-05-31")
        parser.add_argument("--output", help="输出目录，默认 var/bulletins/")
        parser.add_argument("--no-refresh", action="store_true", help="不先刷新统计数据（用上次刷新的结果）")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = find_campaign(options["campaign"])
        as_of = parse_day(options["as_of"])
        if as_of is not None and as_of < campaign.starts_on:
            raise CommandError(f"--as-of 不能早于活动开始日 {campaign.starts_on}。")
        output = Path(options["output"] or Path(settings.VAR_DIR) / "bulletins")
        output.mkdir(parents=True, exist_ok=True)
        if not options["no_refresh"]:
            campaign_refresh(campaign=campaign)
        bulletin = bulletin_data(campaign=campaign, base=campaign.org, as_of=as_of)
        stem = f"bulletin-{campaign.pk}-{bulletin.as_of:%Y%m%d}"
        pdf, xlsx = output / f"{stem}.pdf", output / f"{stem}.xlsx"
        pdf.write_bytes(bulletin_pdf(bulletin))
        xlsx.write_bytes(bulletin_xlsx(bulletin))
        with transaction.atomic():
            audit_record(
                actor=None,
                action="reports.bulletin",
                target=campaign,
                new={"as_of": bulletin.as_of.isoformat(), "files": f"{pdf.name}, {xlsx.name}"},
                org_path=campaign.org.path,
            )
        self.stdout.write(bulletin.headline)
        self.stdout.write(f"已生成：{pdf}\n已生成：{xlsx}")
