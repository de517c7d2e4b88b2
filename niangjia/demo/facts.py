"""Demo facts with dates: life events, documents on file and aid already received.

Dates are relative to the demo's "today", so every policy window (90 days, 365
days, this calendar year, this warmth season) has households on both sides of it.
Document kinds and policy ids are those of the example pack in `policies/`. Many
households lack some documents on purpose, so "still missing" lists are visible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from niangjia.demo.households import HouseholdDraft
from niangjia.demo.people import GIG_FORMS, Person
from niangjia.registry.choices import EventKind, SchoolStage
from niangjia.registry.models import Document, LifeEvent, ReceivedAid

SOURCE = "演示数据"
WARMTH = {"deep": Decimal(2000), "relative": Decimal(1000), "sudden": Decimal(1000)}
MEDICAL_RATE = {"deep": Decimal(1), "relative": Decimal("0.8")}
MEDICAL_CAP = Decimal(20000)
CAUSE_PROOF = {"accident": "事故证明", "major_illness": "诊断证明", "disaster": "灾害证明"}
SCHOOL_AID = {SchoolStage.UNDERGRADUATE: 5000, SchoolStage.COLLEGE: 4000, SchoolStage.SENIOR: 3000,
              SchoolStage.VOCATIONAL: 3000}  # fmt: skip


@dataclass
class Facts:
    """The rows drawn for one chunk of households."""

    events: list[LifeEvent] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    aid: list[ReceivedAid] = field(default_factory=list)


def season_of(day: date) -> int | None:
    """The warmth season (1 Nov – end of February) containing `day`, by its start year."""
    if day.month >= 11:
        return day.year
    return day.year - 1 if day.month <= 2 else None


class FactMaker:
    """Draws the dated facts of each household after its people are known."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today = rng, today
        self.year_start = date(today.year, 1, 1)
        now = season_of(today)
        self.season_now = now
        self.season_last = now - 1 if now is not None else today.year - 1

    def draw(self, draft: HouseholdDraft, out: Facts) -> None:
        """Append the household's events, documents and aid to `out`."""
        self.out, self.draft = out, draft
        self._archive_papers()
        self._warmth()
        self._sudden_events()
        self._surgery_and_death()
        self._medical_bills()
        for person in draft.people:
            if person.worker is not None:
                self._inpatient(person)
                self._certificate(person)
            elif person.member.admission_year is not None:
                self._admission(person)

    # --- helpers ---------------------------------------------------------------

    def _days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def _this_year(self) -> date:
        return self.year_start + timedelta(days=self.rng.randint(0, (self.today - self.year_start).days))

    def _event(self, person: Person | None, kind: str, day: date, **extra: object) -> LifeEvent:
        event = LifeEvent(
            household=self.draft.household, member=person.member if person else None, kind=kind, date=day, **extra
        )
        self.out.events.append(event)
        return event

    def _doc(self, kind: str, chance: float, person: Person | None = None, after: date | None = None) -> None:
        if self.rng.random() >= chance:
            return
        start = max(after or self.today - timedelta(days=300), self.today - timedelta(days=300))
        day = start + timedelta(days=self.rng.randint(0, max(0, (self.today - start).days)))
        member = person.member if person else None
        self.out.documents.append(Document(household=self.draft.household, member=member, kind=kind, received_on=day))

    def _pay(
        self,
        policy: str,
        amount: Decimal,
        day: date,
        *,
        person: Person | None = None,
        event: LifeEvent | None = None,
        period: int | None = None,
    ) -> None:
        self.out.aid.append(
            ReceivedAid(
                household=self.draft.household,
                member=person.member if person else None,
                policy_id=policy,
                paid_on=min(day, self.today),
                amount=amount.quantize(Decimal("0.01")),
                period=period,
                event=event,
                source=SOURCE,
            )
        )

    def _level(self) -> str:
        return self.draft.household.archive_level

    # --- per policy ------------------------------------------------------------

    def _archive_papers(self) -> None:
        profile, circ = self.draft.profile, self.draft.circ
        archived = bool(self._level())
        if archived:
            self._doc("收入证明", 0.85)
            self._doc("户口本", 0.9)
        elif profile in ("poor", "excluded"):
            self._doc("收入证明", 0.15)
            self._doc("户口本", 0.25)
        else:
            self._doc("户口本", 0.05)
        if archived and ((circ.rigid_medical_12m or 0) > 0 or any(p.circ.major_illness for p in self.draft.people)):
            self._doc("病历及费用单据", 0.7)
        if archived and (circ.rigid_education_12m or 0) > 0:
            self._doc("学籍证明", 0.6)
        if self._level() == "sudden":
            self._doc("事故/灾害证明", 0.7)

    def _warmth(self) -> None:
        level, rng = self._level(), self.rng
        if not level:
            return
        if rng.random() < 0.85:
            start = date(self.season_last, 12, 1)
            self._pay("warmth", WARMTH[level], start + timedelta(days=rng.randint(0, 55)), period=self.season_last)
        if self.season_now is not None and rng.random() < 0.2:
            opened = date(self.season_now, 11, 1)
            day = opened + timedelta(days=rng.randint(0, max(0, (self.today - opened).days)))
            self._pay("warmth", WARMTH[level], day, period=self.season_now)

    def _sudden_events(self) -> None:
        rng, people = self.rng, self.draft.people
        recent = rng.random() < 0.004
        older = self._level() == "sudden" or rng.random() < 0.004
        if older:
            event = self._sudden(rng.choice(people), self._days_ago(91, 330))
            if rng.random() < 0.6:
                self._pay(
                    "emergency_relief",
                    self._relief(event),
                    event.date + timedelta(days=rng.randint(10, 40)),
                    event=event,
                )
        if recent:
            event = self._sudden(rng.choice(people), self._days_ago(0, 90))
            self._doc(CAUSE_PROOF[event.cause], 0.4, after=event.date)
            if not older and rng.random() < 0.15:  # relief already paid this year for an earlier event
                earlier = self._sudden(rng.choice(people), self._days_ago(120, 340))
                self._pay("emergency_relief", self._relief(earlier), earlier.date + timedelta(days=20), event=earlier)

    def _sudden(self, person: Person, day: date) -> LifeEvent:
        cause = self.rng.choices(("accident", "major_illness", "disaster"), weights=(45, 40, 15))[0]
        severity = self.rng.choices((1, 2, 3, None), weights=(60, 28, 9, 3))[0]
        return self._event(person, EventKind.SUDDEN_EVENT, day, severity=severity, cause=cause)

    @staticmethod
    def _relief(event: LifeEvent) -> Decimal:
        return Decimal({1: 1000, 2: 2000, 3: 3000}.get(event.severity or 1, 1000))

    def _surgery_and_death(self) -> None:
        rng, people = self.rng, self.draft.people
        roll = rng.random()
        if roll < 0.005:
            self._event(rng.choice(people), EventKind.MAJOR_SURGERY, self._days_ago(0, 90), cause="major_illness")
        elif roll < 0.01:
            self._event(rng.choice(people), EventKind.MAJOR_SURGERY, self._days_ago(91, 400), cause="major_illness")
        roll = rng.random()
        if roll < 0.0004:
            worker = next((p for p in people if p.worker is not None), people[0])
            day = self._days_ago(0, 365) if roll < 0.0003 else self._days_ago(366, 700)
            self._event(worker, EventKind.DEATH_ON_DUTY, day, cause="accident")

    def _medical_bills(self) -> None:
        rng, level, people = self.rng, self._level(), self.draft.people
        sick = [p for p in people if p.circ.major_illness or p.circ.health == "chronic"]
        chance = 0.45 if level in MEDICAL_RATE else (0.4 if any(p.circ.major_illness for p in people) else 0.0)
        if not sick or rng.random() >= chance:
            return
        person = rng.choice(sick)
        bills = [
            self._event(
                person, EventKind.MEDICAL_BILL, self._this_year(), amount=Decimal(rng.randint(80_000, 2_500_000)) / 100
            )
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        self._doc("病历", 0.5, after=self.year_start)
        self._doc("医疗费用结算单", 0.45, after=self.year_start)
        if level not in MEDICAL_RATE:
            return
        roll = rng.random()
        if roll < 0.35:
            bill = bills[0]
            amount = min(MEDICAL_CAP, (bill.amount or Decimal(0)) * MEDICAL_RATE[level])
            self._pay(
                "medical_aid",
                amount,
                bill.date + timedelta(days=rng.randint(10, 30)),
                event=bill,
                period=self.today.year,
            )
        elif roll < 0.38:  # an earlier, large claim used the whole year's cap
            self._pay("medical_aid", MEDICAL_CAP, self._this_year(), period=self.today.year)

    def _inpatient(self, person: Person) -> None:
        rng = self.rng
        roll = rng.random()
        if roll >= 0.05:
            return
        this_year = roll < 0.035
        day = self._this_year() if this_year else date(self.today.year - 1, rng.randint(1, 12), rng.randint(1, 28))
        days = min(60, 1 + int(rng.expovariate(1 / 6)))
        event = self._event(person, EventKind.INPATIENT_STAY, day, days=days)
        self._doc("出院小结", 0.55, person, after=day)
        self._doc("住院费用清单", 0.45, person, after=day)
        enrolled = person.worker is not None and person.worker.mutual_aid_year == day.year
        if enrolled and days > 3 and rng.random() < 0.3:
            amount = Decimal(min(4500, 50 * (days - 3)))
            self._pay(
                "inpatient_mutual_aid",
                amount,
                day + timedelta(days=rng.randint(5, 30)),
                person=person,
                event=event,
                period=day.year,
            )

    def _certificate(self, person: Person) -> None:
        rng = self.rng
        if person.employment is None or person.employment.form not in GIG_FORMS:
            return
        roll = rng.random()
        if roll >= 0.18:
            return
        day = self._days_ago(0, 365) if roll < 0.13 else self._days_ago(366, 700)
        cost = Decimal(rng.randrange(800, 4500, 50))
        self._event(person, EventKind.SKILL_CERTIFICATE, day, amount=cost, cause="职业技能等级证书")
        self._doc("职业技能证书", 0.6, person, after=day)
        self._doc("培训费发票", 0.45, person, after=day)
        if day >= self.year_start and rng.random() < 0.12:
            self._pay(
                "gig_training_subsidy",
                min(cost, Decimal(3000)),
                day + timedelta(days=rng.randint(5, 40)),
                person=person,
                period=self.today.year,
            )

    def _admission(self, person: Person) -> None:
        row, rng = person.member, self.rng
        if row.school_stage not in SCHOOL_AID:
            return
        amount = Decimal(SCHOOL_AID[row.school_stage])  # type: ignore[index]
        if row.admission_year == self.today.year:
            self._doc("录取通知书", 0.45, person)
            self._doc("收费标准", 0.3, person)
            opened = date(self.today.year, 7, 15)
            if self._level() and self.today > opened and rng.random() < (0.5 if self.today.month >= 10 else 0.25):
                day = opened + timedelta(
                    days=rng.randint(0, (min(self.today, date(self.today.year, 9, 30)) - opened).days)
                )
                self._pay("school_aid", amount, day, person=person, period=self.today.year)
        elif row.admission_year == self.today.year - 1 and self._level() and rng.random() < 0.5:
            self._pay(
                "school_aid",
                amount,
                date(self.today.year - 1, 8, rng.randint(1, 31)),
                person=person,
                period=self.today.year - 1,
            )
