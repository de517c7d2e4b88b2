"""Demo visits of the campaign: two months of 走企 and 入户 over its published pairings, through the services.

Most paired enterprises are visited once, some again for a follow-up; cadres walk into the homes of
hardship households among their enterprises' workers. Visits that raise a need (a ticket) or notice a
hardship signal (a change of household facts, so screening picks the household up) go through
`visit_record` one by one; the others through its bulk form. Deterministic for a seed and a date.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

from django.utils import timezone

from niangjia.outreach.models import Campaign, Pairing, Visit
from niangjia.outreach.services.facts import SIGNALS, as_json, current
from niangjia.outreach.services.signals import SignalData
from niangjia.outreach.services.visits import NeedData, VisitData, visit_record
from niangjia.outreach.services.visits_bulk import VisitRow, visits_bulk_record
from niangjia.registry.choices import EventCause
from niangjia.registry.models import Household, HouseholdMember
from niangjia.tickets.choices import NeedCategory

FIRST_VISIT = 0.88
FOLLOW_UP = 0.35
HOME_ARCHIVED = 0.75
HOME_OTHER = 0.04
HOMES_PER_ENTERPRISE = 4
NEED = 0.06
SIGNAL = 0.10
WORKER_NEEDS = [
    ("希望参加技能培训", NeedCategory.SKILLS), ("子女入学费用有困难", NeedCategory.EDUCATION),
    ("家属住院费用负担重", NeedCategory.MEDICAL), ("希望申请公租房", NeedCategory.HOUSING),
    ("失业后求职登记", NeedCategory.EMPLOYMENT), ("拖欠工资如何维权", NeedCategory.LEGAL),
    ("生活困难求助", NeedCategory.HARDSHIP),
]  # fmt: skip
ENTERPRISE_PROBLEMS = ["用工招聘困难", "融资渠道咨询", "技术改造缺少合作方", "车间通风条件差", "职工通勤不便"]
NOTES = ["企业生产经营正常，职工队伍稳定。", "与企业工会主席座谈，了解职工诉求。", "入户了解家庭收入和就医情况。",
         "宣传工会帮扶政策，发放联系卡。", "回访前次反映问题的办理情况。"]  # fmt: skip


def visits_seed(*, campaign: Campaign, seed: int, stdout: Any, today: date | None = None) -> dict[str, int]:
    """Visit the campaign's pairings and hardship homes between its start and `today`; print and return counts."""
    started = time.monotonic()
    rng = random.Random(seed + 131)
    today = min(today or timezone.localdate(), timezone.localdate(), campaign.ends_on)
    pairings = list(Pairing.objects.filter(campaign=campaign).select_related("cadre__org", "enterprise").order_by("pk"))
    homes = _homes(pairings)
    plan = Plan(rng=rng, campaign=campaign, today=today)
    for pairing in pairings:
        plan.enterprise(pairing)
        for household, archived in homes.get(pairing.enterprise_id, []):
            if rng.random() < (HOME_ARCHIVED if archived else HOME_OTHER):
                plan.home(pairing, household)
    created = visits_bulk_record(rows=plan.bulk)
    needs = signals = 0
    for row in sorted(plan.single, key=lambda r: (r.data.date, str(r.client_id))):
        visit_record(actor=row.actor, client_id=row.client_id, data=row.data)
        needs += len(row.data.needs)
        signals += len(row.data.signals)
    counts = {
        "visits": created + len(plan.single),
        "enterprise": Visit.objects.filter(campaign=campaign, kind="enterprise").count(),
        "home": Visit.objects.filter(campaign=campaign, kind="home").count(),
        "needs": needs,
        "signals": signals,
    }
    stdout.write(
        f"走访记录：{counts['visits']:,} 次（走企 {counts['enterprise']:,}，入户 {counts['home']:,}），"
        f"收集需求 {needs:,} 件转为诉求工单，发现困难情况 {signals:,} 条已更新家庭信息"
        f"（{time.monotonic() - started:.1f} 秒）\n"
    )
    return counts


def _homes(pairings: list[Pairing]) -> dict[int, list[tuple[Household, bool]]]:
    """For each paired enterprise, households whose head works there now: archived first, a few others."""
    enterprises = [p.enterprise_id for p in pairings]
    heads = (
        HouseholdMember.objects.filter(
            relation="head",
            worker__employments__enterprise__in=enterprises,
            worker__employments__end_date__isnull=True,
        )
        .select_related("household")
        .values_list("worker__employments__enterprise_id", "household_id")
        .order_by("household_id")
    )
    by_enterprise: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, household_id in heads:
        by_enterprise[enterprise_id].append(household_id)
    households = Household.objects.in_bulk([h for ids in by_enterprise.values() for h in ids])
    found: dict[int, list[tuple[Household, bool]]] = {}
    for enterprise_id, ids in by_enterprise.items():
        rows = [(households[h], bool(households[h].archive_level)) for h in ids]
        rows.sort(key=lambda row: (not row[1], row[0].pk))
        found[enterprise_id] = rows[:HOMES_PER_ENTERPRISE]
    return found


class Plan:
    """The visits to write: those for the bulk service, and those with needs or signals for the single one."""

    def __init__(self, *, rng: random.Random, campaign: Campaign, today: date) -> None:
        self.rng, self.campaign, self.today = rng, campaign, today
        self.span = max((today - campaign.starts_on).days, 0)
        self.bulk: list[VisitRow] = []
        self.single: list[VisitRow] = []

    def _id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _day(self, after: date | None = None) -> date:
        start = after + timedelta(days=7) if after else self.campaign.starts_on
        if start > self.today:
            return self.today
        return start + timedelta(days=self.rng.randint(0, (self.today - start).days))

    def _at(self, day: date) -> datetime:
        moment = timezone.make_aware(datetime.combine(day, clock(self.rng.randint(8, 17), self.rng.randint(0, 59))))
        return min(moment, timezone.now())

    def _add(self, pairing: Pairing, data: VisitData) -> None:
        row = VisitRow(actor=pairing.cadre, client_id=self._id(), data=data)
        (self.single if data.needs or data.signals else self.bulk).append(row)

    def enterprise(self, pairing: Pairing) -> None:
        if self.rng.random() > FIRST_VISIT or self.span <= 0:
            return
        first = self._day()
        days = [first] + ([self._day(first)] if self.rng.random() < FOLLOW_UP and first < self.today else [])
        for day in days:
            needs = []
            if self.rng.random() < NEED:
                if self.rng.random() < 0.5:
                    needs.append(NeedData(kind="enterprise_problem", title=self.rng.choice(ENTERPRISE_PROBLEMS)))
                else:
                    title, category = self.rng.choice(WORKER_NEEDS)
                    needs.append(NeedData(kind="need", title=title, category=category))
            self._add(pairing, VisitData(
                campaign=self.campaign, kind="enterprise", date=day, enterprise=pairing.enterprise,
                people_met=self.rng.randint(2, 15), people_notes="企业负责人、工会主席和职工代表",
                satisfaction=self.rng.choices([5, 4, 3], weights=[70, 25, 5])[0], notes=self.rng.choice(NOTES),
                needs=needs, recorded_at=self._at(day),
            ))  # fmt: skip

    def home(self, pairing: Pairing, household: Household) -> None:
        if self.span <= 0:
            return
        day = self._day()
        needs, signals = [], []
        if self.rng.random() < NEED:
            title, category = self.rng.choice(WORKER_NEEDS)
            needs.append(NeedData(kind="need", title=title, category=category))
        if self.rng.random() < SIGNAL:
            signal = self._signal(household, day)
            if signal is not None:
                signals.append(signal)
        self._add(pairing, VisitData(
            campaign=self.campaign, kind="home", date=day, household=household,
            people_met=self.rng.randint(1, 4), people_notes="职工本人和家属",
            basic_clear=True, hardship_clear=self.rng.random() < 0.9, aid_clear=self.rng.random() < 0.8,
            satisfaction=self.rng.choices([5, 4, 3], weights=[75, 20, 5])[0], notes=self.rng.choice(NOTES),
            needs=needs, signals=signals, recorded_at=self._at(day),
        ))  # fmt: skip

    def _signal(self, household: Household, day: date) -> SignalData | None:
        """A hardship signal as a cadre would record it, with the values their phone showed as `base`."""
        members = list(HouseholdMember.objects.filter(household=household).select_related("circumstances"))
        adults = [m for m in members if m.relation in ("head", "spouse")]
        children = [m for m in members if m.relation == "child"]
        kind = self.rng.choice(["illness", "job_loss", "sudden_event"] + (["school_start"] if children else []))
        if kind == "sudden_event":
            loss = Decimal(self.rng.randrange(20000, 120000, 1000))
            event = {
                "event_severity": self.rng.choice("1112223"),
                "event_cause": self.rng.choice(list(EventCause.values)),
            }
            return SignalData(kind=kind, values={"hardship_costs_12m": str(loss)} | event,
                              base={"hardship_costs_12m": _json(current("hardship_costs_12m", household=household,
                                                                        member=None))})  # fmt: skip
        member = self.rng.choice(children if kind == "school_start" else adults or members)
        values: dict[str, Any] = {}
        if kind == "illness":
            values = {"illness_name": self.rng.choice(["尿毒症", "恶性肿瘤", "脑卒中", "白血病"])}
        elif kind == "job_loss":
            values = {"monthly_income": "0"}
        elif kind == "school_start":
            values = {"school_stage": self.rng.choice(["undergraduate", "vocational_college", "senior_high"])}
        spec = SIGNALS[kind]
        names = [*spec.fixed, *spec.required, *spec.optional]
        base = {name: _json(current(name, household=household, member=member)) for name in names}
        return SignalData(kind=kind, member=member, values=values, base=base, note="走访时发现")


def _json(value: Any) -> Any:
    return as_json(value)
