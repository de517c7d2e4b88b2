"""Demo households: who lives together, what they earn, and who is in the hardship archive.

Each household gets a profile first. Most are ordinary; a few are shaped so that the
example policy pack finds them (FACTS.md §7): archived 深度/相对/意外致困 in a 30/55/15
mix (~3.5% of households), unarchived poor households the engine should discover,
and poor households ruled out by an exclusion (two homes, a car, a shop).
The income arithmetic mirrors hardship_archive only to aim the numbers; the
engine, not this module, decides eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from niangjia.demo.enterprises import DistrictPlace, EnterpriseSeed
from niangjia.demo.people import (
    PeopleContext,
    Person,
    give_bank_account,
    health_draw,
    money,
    relative_person,
    work_injury,
    worker_person,
)
from niangjia.orgs.areas import read_csv
from niangjia.registry.choices import ArchiveLevel, EmploymentForm, Health, HousingType, Relation, Sex, WorkStatus
from niangjia.registry.models import Enterprise, Household, HouseholdCircumstances

PROFILE_WEIGHTS = {"normal": 94.7, "deep": 1.05, "relative": 1.925, "sudden": 0.525, "poor": 1.0, "excluded": 0.8}
PROFILES, PROFILE_CUM = list(PROFILE_WEIGHTS), list(accumulate(PROFILE_WEIGHTS.values()))
SIZES, SIZE_CUM = (1, 2, 3, 4, 5), list(accumulate((12, 24, 36, 20, 8)))
HARDSHIP_SIZES, HARDSHIP_SIZE_CUM = (2, 3, 4, 5), list(accumulate((24, 36, 20, 8)))
ARCHIVED = ("deep", "relative", "sudden")
HARDSHIP = ("deep", "relative", "poor", "excluded")
GIG_SHARE = 0.09
SPOUSE_WORKER_SHARE = 0.15
UNKNOWN_INCOME_SHARE = 0.02


@dataclass
class DistrictPool:
    """A district's enterprises with cumulative hiring weights, platforms apart."""

    place: DistrictPlace
    regular: list[Enterprise]
    regular_cum: list[float]
    platforms: list[tuple[Enterprise, str]]


@dataclass
class HouseholdDraft:
    """A household in the making: its rows, its people (head first) and its profile."""

    profile: str
    household: Household
    circ: HouseholdCircumstances
    people: list[Person]


@dataclass
class Lines:
    """The monthly 低保 and minimum wage used to aim incomes (the policy files hold the real values)."""

    dibao: float
    min_wage: float


def demo_lines(district: str, today: date) -> Lines:
    """The example pack's values for the district and year (RULES.md)."""
    county = district in ("610122", "610124")
    if today.year >= 2026:
        return Lines(800 if county else 880, 2050 if county else 2160)
    return Lines(780 if county else 850, 2050 if county else 2160)


def district_pools(seed: EnterpriseSeed, places: dict[str, DistrictPlace]) -> dict[str, DistrictPool]:
    """Group saved enterprises by district; hiring weight is the headcount."""
    pools = {code: DistrictPool(place, [], [], []) for code, place in places.items()}
    for index, enterprise in enumerate(seed.enterprises):
        pool = pools[enterprise.area.code[:6]]
        if index in seed.gig_form:
            pool.platforms.append((enterprise, seed.gig_form[index]))
        else:
            total = pool.regular_cum[-1] if pool.regular_cum else 0.0
            pool.regular.append(enterprise)
            pool.regular_cum.append(total + float(enterprise.employee_count or 1))
    return pools


def district_weights() -> dict[str, float]:
    return {row["code"]: float(row["population_10k"]) for row in read_csv("xian_population.csv")}


class HouseholdMaker:
    """Draws one household at a time, in a fixed order of random draws."""

    def __init__(self, ctx: PeopleContext, pools: dict[str, DistrictPool], seeded_at: datetime) -> None:
        self.ctx, self.pools, self.seeded_at = ctx, pools, seeded_at
        weights = district_weights()
        self.codes = list(pools)
        self.code_cum = list(accumulate(weights[c] for c in self.codes))

    def draft(self, workers_left: int) -> HouseholdDraft:
        """Draw a household with one or (if `workers_left` allows) two registered workers."""
        rng = self.ctx.rng
        profile = rng.choices(PROFILES, cum_weights=PROFILE_CUM)[0]
        pool = self.pools[rng.choices(self.codes, cum_weights=self.code_cum)[0]]
        gig = bool(pool.platforms) and rng.random() < GIG_SHARE
        if gig:
            enterprise, form = rng.choice(pool.platforms)
        else:
            enterprise, form = rng.choices(pool.regular, cum_weights=pool.regular_cum)[0], None
        head = worker_person(
            self.ctx, enterprise=enterprise, district=pool.place.code, district_name=pool.place.name, gig_form=form
        )
        hardship = profile != "normal"
        sizes, cum = (HARDSHIP_SIZES, HARDSHIP_SIZE_CUM) if hardship else (SIZES, SIZE_CUM)
        size = rng.choices(sizes, cum_weights=cum)[0]
        people = [head, *self._relatives(pool, head, size, workers_left > 1 and not hardship)]
        for person in people:
            health_draw(rng, person, frailty=4.0 if hardship and profile != "excluded" else 1.0)
            if person.worker is not None and rng.random() < (0.03 if hardship else 0.004):
                work_injury(rng, person)
        household = Household(area=enterprise.area, org=enterprise.org, facts_changed_at=self.seeded_at)
        draft = HouseholdDraft(profile, household, HouseholdCircumstances(household=household), people)
        for person in people:
            person.member.household = household
        self._circumstances(draft)
        self._shape(draft, demo_lines(pool.place.code, self.ctx.today))
        return draft

    def _relatives(self, pool: DistrictPool, head: Person, size: int, spouse_may_work: bool) -> list[Person]:
        rng = self.ctx.rng
        out: list[Person] = []
        head_sex, surname = head.member.sex, head.member.name[0]
        area = head.origin or pool.place.code  # a migrant's spouse and parents come from the same county
        if size >= 2 and head.age >= 21 and rng.random() > 0.12:  # 12% single parents
            age = max(20, min(75, head.age + rng.randint(-5, 5)))
            sex = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
            if spouse_may_work and 18 <= age <= 60 and rng.random() < SPOUSE_WORKER_SHARE:
                enterprise = rng.choices(pool.regular, cum_weights=pool.regular_cum)[0]
                spouse = worker_person(
                    self.ctx,
                    enterprise=enterprise,
                    district=pool.place.code,
                    district_name=pool.place.name,
                    gig_form=None,
                    relation=Relation.SPOUSE,
                    sex=sex,
                    age=age,
                )
            else:
                spouse = relative_person(
                    self.ctx,
                    relation=Relation.SPOUSE,
                    age=age,
                    sex=sex,
                    surname=rng.choice("王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"),
                    area=area,
                )
            if sex == Sex.MALE:
                surname = spouse.member.name[0]
            out.append(spouse)
        child_age = head.age - rng.randint(22, 34)
        while len(out) < size - 1 and child_age >= 0 and len(out) < 4:
            sex = rng.choice((Sex.MALE, Sex.FEMALE))
            out.append(
                relative_person(
                    self.ctx,
                    relation=Relation.CHILD,
                    age=child_age,
                    sex=sex,
                    surname=surname,
                    area=pool.place.code,
                    with_id=rng.random() > 0.05,
                )
            )
            child_age -= rng.randint(1, 6)
        while len(out) < size - 1:
            age = min(92, head.age + rng.randint(22, 32))
            sex = rng.choice((Sex.MALE, Sex.FEMALE))
            out.append(
                relative_person(
                    self.ctx,
                    relation=Relation.PARENT,
                    age=age,
                    sex=sex,
                    surname=head.member.name[0] if sex == Sex.MALE else rng.choice("王李张刘陈"),
                    area=area,
                    with_id=rng.random() > 0.05,
                )
            )
        return out

    def _circumstances(self, draft: HouseholdDraft) -> None:
        rng, circ = self.ctx.rng, draft.circ
        head = draft.people[0]
        migrant = head.worker is not None and head.worker.is_migrant
        housing = rng.choices(
            (HousingType.OWNED, HousingType.RENTED, HousingType.PUBLIC, HousingType.DORMITORY, HousingType.OTHER),
            weights=(25, 45, 6, 20, 4) if migrant else (66, 22, 6, 3, 3),
        )[0]
        circ.housing_type = housing
        circ.homes_owned = rng.choices((1, 2, 3), weights=(80, 17, 3))[0] if housing == HousingType.OWNED else 0
        circ.owns_shop_or_employs = rng.random() < 0.04
        circ.private_car_non_work = rng.random() < 0.22
        students = any(p.member.work_status == WorkStatus.STUDENT for p in draft.people)
        circ.child_private_or_abroad = students and rng.random() < 0.015
        circ.other_annual_income = money(rng.uniform(2000, 30000)) if rng.random() < 0.2 else Decimal(0)
        for name in ("rigid_medical_12m", "rigid_education_12m", "rigid_other_12m", "hardship_costs_12m"):
            setattr(circ, name, Decimal(0))
        if draft.profile == "normal":
            for name in ("homes_owned", "owns_shop_or_employs", "private_car_non_work"):
                if rng.random() < 0.03:
                    setattr(circ, name, None)
            for person in draft.people[1:]:
                adult = person.age >= 18 and person.member.work_status != WorkStatus.STUDENT
                if adult and rng.random() < UNKNOWN_INCOME_SHARE:
                    person.circ.monthly_income = None

    def _shape(self, draft: HouseholdDraft, lines: Lines) -> None:
        rng, today = self.ctx.rng, self.ctx.today
        profile = draft.profile
        if profile == "normal":
            return
        circ, head = draft.circ, draft.people[0]
        if profile in ARCHIVED:
            self._archive(draft, ArchiveLevel(profile))
        circ.owns_shop_or_employs = circ.private_car_non_work = circ.child_private_or_abroad = False
        circ.homes_owned = min(circ.homes_owned or 0, 1)
        circ.other_annual_income = Decimal(0)
        if profile == "excluded":
            exclusion = rng.choice(("homes_owned", "private_car_non_work", "owns_shop_or_employs"))
            setattr(circ, exclusion, 2 if exclusion == "homes_owned" else True)
        if profile in ARCHIVED and rng.random() < 0.08:
            return  # recovered since archived: due to leave the archive (应退则退)
        if profile == "sudden":
            annual = self.annual_income(draft, lines)
            circ.hardship_costs_12m = money(max(annual, 20000) * rng.uniform(0.85, 1.8))
            return
        self._aim_income(draft, lines, today)
        income, job = head.circ.monthly_income, head.employment
        if income is not None and job is not None and income < lines.min_wage and job.form == EmploymentForm.STANDARD:
            job.form, job.contract_months = EmploymentForm.PART_TIME, None  # below the minimum wage: not full-time

    def _archive(self, draft: HouseholdDraft, level: ArchiveLevel) -> None:
        """Set the archive level and dates; make the head someone the migrant rule admits."""
        rng, today = self.ctx.rng, self.ctx.today
        household, head = draft.household, draft.people[0]
        household.archive_level = level
        archived_on = today - timedelta(days=rng.randint(60, 2200))
        overdue = rng.random() < 0.22
        review = today - timedelta(days=rng.randint(366, 800) if overdue else rng.randint(5, 360))
        household.archived_on, household.last_review_date = min(archived_on, review), review
        if head.worker is not None:
            head.worker.union_member = True
            head.worker.member_since = head.worker.member_since or (today - timedelta(days=rng.randint(400, 3000)))
            head.worker.lives_in_city = True
            give_bank_account(rng, head)
        if head.employment is not None and head.employment.start_date is not None:
            head.employment.start_date = min(head.employment.start_date, today - timedelta(days=rng.randint(400, 3000)))

    def _aim_income(self, draft: HouseholdDraft, lines: Lines, today: date) -> None:
        """Set rigid spending, then the head's income so per-capita net income lands in the profile's band."""
        rng, circ, people = self.ctx.rng, draft.circ, draft.people
        deep = draft.profile == "deep" or (draft.profile in ("poor", "excluded") and rng.random() < 0.4)
        ratio = rng.uniform(0.35, 0.92) if deep else rng.uniform(1.08, 1.88)
        if any(p.circ.major_illness for p in people) or rng.random() < 0.3:
            circ.rigid_medical_12m = money(rng.uniform(3000, 30000))
            if not any(p.circ.health != Health.HEALTHY for p in people):
                sick = rng.choice(people)
                sick.circ.health = Health.CHRONIC
        if any(p.member.school_stage in ("senior", "vocational", "college", "undergraduate") for p in people):
            circ.rigid_education_12m = money(rng.uniform(2000, 12000)) if rng.random() < 0.6 else Decimal(0)
        if any(p.circ.health == Health.DISABLED for p in people):
            circ.rigid_other_12m = money(rng.uniform(1000, 6000))
        rigid = (
            float(circ.rigid_medical_12m or 0) + float(circ.rigid_education_12m or 0) + float(circ.rigid_other_12m or 0)
        )
        for person in people[1:]:
            if person.member.work_status == WorkStatus.UNEMPLOYED and rng.random() < 0.6:
                person.member.able_to_work, person.member.work_status = False, WorkStatus.UNABLE
        others = sum(self.counted(p, lines) or 0.0 for p in people[1:])
        head_annual = ratio * lines.dibao * len(people) * 12 - 12 * others + rigid
        head_monthly = head_annual / 12
        floor = rng.uniform(600, 1200)
        if head_monthly < floor:
            circ.rigid_medical_12m = money(float(circ.rigid_medical_12m or 0) + (floor - head_monthly) * 12)
            head_monthly = floor
        people[0].circ.monthly_income = money(head_monthly)

    def counted(self, person: Person, lines: Lines) -> float | None:
        """A member's income as hardship_archive counts it (idle able-bodied 18–59 at the minimum wage)."""
        row = person.member
        idle = row.able_to_work and row.work_status != WorkStatus.STUDENT and not person.employed
        if idle and 18 <= person.age <= 59:
            return lines.min_wage
        income = person.circ.monthly_income
        return float(income) if income is not None else None

    def annual_income(self, draft: HouseholdDraft, lines: Lines) -> float:
        """12 × counted monthly incomes + other annual income (unknown incomes as 0)."""
        monthly = sum(self.counted(p, lines) or 0.0 for p in draft.people)
        return 12 * monthly + float(draft.circ.other_annual_income or 0)
