"""What a bulletin (通报) says, built from the pre-aggregated counts as of a day, small counts withheld.

The headline sentence is written in the seed article's style ("全市1400名工会干部走访企业1400家，精准识别
困难职工3554名……"), a clause for each headline figure the campaign has; then the table by organization,
the ranking by completion of the enterprise target, and the organizations behind the time schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import UnionOrg
from niangjia.outreach.models import Campaign
from niangjia.reports import indicators
from niangjia.reports.choices import Grouping, Measure
from niangjia.reports.formatting import HIDDEN_NOTE, wan_yuan
from niangjia.reports.indicators import Indicator
from niangjia.reports.selectors.dashboard import progress_items
from niangjia.reports.selectors.tables import Cell, Row, Table, indicator_table
from niangjia.reports.suppression import Mark

# The headline's clauses, in order: (codes, how the clause reads with their numbers). A clause whose
# indicators are not all defined yet is left out; so is one whose number is hidden as a complement.
CLAUSES: list[tuple[tuple[str, ...], str]] = [
    (("enterprises_visited",), "走访企业{0}家"),
    (("homes_visited",), "入户走访{0}户"),
    (("workers_visited",), "见到职工{0}人次"),
    (("hardship_found", "hardship_new"), "精准识别困难职工家庭{0}户（其中新识别{1}户）"),
    (("needs_raised", "needs_resolved"), "收集职工需求{0}件、已解决{1}件"),
    (("problems_solved",), "为企业解决问题{0}项"),
    (("hazards_reported", "hazards_rectified"), "排查安全隐患{0}处、整改验收{1}处"),
    (("applications_filed", "applications_proxy"), "受理帮扶申请{0}件（其中干部代办{1}件）"),
    (("money_paid",), "市、区两级统筹发放帮扶资金{0}"),
    (("helped_emergency",), "紧急救助{0}户"),
    (("helped_warmth",), "送温暖帮扶{0}户"),
    (("tickets_on_time_rate",), "诉求按期办结率{0}"),
]
# The columns of the bulletin's table, those defined.
COLUMNS = [
    "enterprises_target",
    "enterprises_visited",
    "enterprises_progress",
    "homes_visited",
    "hardship_found",
    "hardship_new",
    "needs_raised",
    "needs_resolved",
    "problems_solved",
    "hazards_rectified",
    "applications_filed",
    "money_paid",
    "tickets_on_time_rate",
]


@dataclass
class Ranked:
    rank: int
    row: Row
    done: Cell
    target: Cell
    rate: float


@dataclass
class Bulletin:
    campaign: Campaign
    base: UnionOrg
    as_of: date
    generated_at: datetime
    headline: str
    table: Table
    ranking: list[Ranked]
    behind: list[Ranked]
    schedule: float
    progress: tuple[Indicator, Indicator] | None
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"关于{self.campaign.name}进展情况的通报"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def scope_word(org: UnionOrg) -> str:
    """ "全市" for a city federation, "全县" for a county's, else "全区"."""
    if org.level == OrgLevel.CITY:
        return "全市"
    return "全县" if org.name.endswith("县总工会") else "全区"


def clause_number(item: Indicator, cell: Cell) -> str | None:
    """A number as the sentence says it: "1400", "不足5", "85.3%", "342.15万元"; None to leave it out."""
    if cell.mark == Mark.COMPLEMENT or (cell.raw is None and not cell.mark):
        return None
    if cell.mark and item.measure not in (Measure.COUNT, Measure.SUM):
        return None
    if cell.mark == Mark.SMALL:
        return "不足5"
    if item.measure == Measure.MONEY:
        return wan_yuan(cell.raw)
    if item.measure == Measure.RATIO:
        return f"{float(cell.raw):.1f}%"
    return str(int(cell.raw))


def headline(table: Table, campaign: Campaign, base: UnionOrg, as_of: date) -> str:
    """The opening sentence, every number from the table's total row."""
    total = table.total.cells
    clauses = []
    for codes, text in CLAUSES:
        if not all(code in total for code in codes):
            continue
        numbers = [clause_number(indicators.BY_CODE[code], total[code]) for code in codes]
        if all(number is not None for number in numbers):
            clauses.append(text.format(*numbers))
    days = (min(as_of, campaign.ends_on) - campaign.starts_on).days + 1
    who = scope_word(base)
    cadres = total.get("cadres_paired")
    if cadres is not None and not cadres.hidden and cadres.raw:
        who += f"{int(cadres.raw)}名工会干部"
    body = "，".join(clauses) if clauses else "各项工作正在开展"
    return f"截至{chinese_date(as_of)}，“{campaign.name}”开展{max(days, 0)}天来，{who}{body}。"


def _ranking(table: Table, progress: tuple[Indicator, Indicator] | None) -> list[Ranked]:
    if progress is None:
        return []
    done, target = progress
    found = []
    for row in table.rows:
        goal, count = row.cells[target.code], row.cells[done.code]
        if goal.raw and not count.hidden:
            found.append((row, count, goal, 100 * float(count.raw) / float(goal.raw)))
    found.sort(key=lambda item: (-item[3], item[0].label))
    return [Ranked(rank, row, count, goal, rate) for rank, (row, count, goal, rate) in enumerate(found, start=1)]


def bulletin_data(*, campaign: Campaign, base: UnionOrg, as_of: date | None = None, user: Any = None) -> Bulletin:
    """The bulletin of a campaign for `base` (its organization by default), as of a day (today at most)."""
    day = as_of or min(timezone.localdate(), campaign.ends_on)
    items = [indicators.BY_CODE[code] for code in COLUMNS if code in indicators.BY_CODE]
    extra = [indicators.BY_CODE[code] for codes, _ in CLAUSES for code in codes if code in indicators.BY_CODE]
    extra.append(indicators.BY_CODE["cadres_paired"])
    wanted = items + [item for item in extra if item not in items]
    table = indicator_table(
        user=user, campaign=campaign, base=base, items=wanted, by=Grouping.ORG, as_of=day, published=True
    )
    table.indicators = items
    trio = progress_items()
    progress = (trio[0][0], trio[0][1]) if trio else None
    ranking = _ranking(table, progress)
    span = (campaign.ends_on - campaign.starts_on).days + 1
    schedule = 100 * min(1.0, max(0.0, ((day - campaign.starts_on).days + 1) / span))
    return Bulletin(
        campaign=campaign,
        base=base,
        as_of=day,
        generated_at=timezone.localtime(),
        headline=headline(table, campaign, base, day),
        table=table,
        ranking=ranking,
        behind=[ranked for ranked in ranking if ranked.rate < schedule],
        schedule=schedule,
        progress=progress,
        notes=[HIDDEN_NOTE] if table.hidden_any else [],
    )
