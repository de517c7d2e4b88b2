"""Demo people: workers with their job, and the other members of their households.

Identifiers are valid and unique (ID numbers from `make_id_number`, one global set of
what was used) and are stored only through `identity.set_protected`: ciphertext, mask
and keyed hashes, never plaintext.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from niangjia.core.identifiers import make_id_number
from niangjia.core.pinyin import name_initials, name_pinyin
from niangjia.demo.enterprises import ROADS
from niangjia.demo.orgs import GIVEN, SURNAMES
from niangjia.registry.choices import (
    DisabilityType,
    EmploymentForm,
    Health,
    Industry,
    Relation,
    SchoolStage,
    Sex,
    WorkStatus,
)
from niangjia.registry.identity import ADDRESS, BANK_ACCOUNT, ID_NUMBER, PHONE, set_protected
from niangjia.registry.models import Employment, Enterprise, HouseholdMember, MemberCircumstances, Worker

# Home counties of migrant workers: rural counties of Shaanxi (GB/T 2260) and of neighbouring provinces.
MIGRANT_ORIGINS = (
    "610122",
    "610124",
    "610422",
    "610423",
    "610424",
    "610425",
    "610430",
    "610431",
    "610523",
    "610524",
    "610526",
    "610528",
    "610724",
    "610821",
    "610924",
    "611021",
    "411323",
    "412726",
    "620523",
    "140828",
)
MINORITIES = ("回族", "回族", "回族", "满族", "蒙古族", "土家族", "壮族", "藏族")
ILLNESSES = ("恶性肿瘤", "终末期肾病", "脑血管病", "心血管病", "白血病", "严重肝病", "重症肺病")
POSTS: dict[str, tuple[str, ...]] = {
    Industry.C: ("生产工人", "操作工", "质检员", "技术员"), Industry.E: ("建筑工人", "钢筋工", "施工员"),
    Industry.F: ("营业员", "收银员", "理货员"), Industry.G: ("司机", "装卸工", "仓管员"),
    Industry.H: ("厨师", "服务员", "保洁员"), Industry.I: ("程序员", "运维工程师", "客服"),
}  # fmt: skip
GIG_POSTS: dict[str, str] = {
    EmploymentForm.GIG_RIDER: "外卖骑手", EmploymentForm.GIG_COURIER: "快递员",
    EmploymentForm.GIG_RIDE_HAILING: "网约车司机", EmploymentForm.GIG_TRUCK: "货车司机",
    EmploymentForm.GIG_STREAMER: "网络主播",
}  # fmt: skip
GIG_FORMS = frozenset(EmploymentForm.gig())
FORM_CHOICES = (EmploymentForm.STANDARD, EmploymentForm.DISPATCHED, EmploymentForm.PART_TIME, EmploymentForm.FLEXIBLE)
FORM_CUM = list(accumulate((80, 8, 5, 7)))
SCHOOL_START = {SchoolStage.PRIMARY: 6, SchoolStage.JUNIOR: 12, SchoolStage.SENIOR: 15, SchoolStage.VOCATIONAL: 15,
                SchoolStage.COLLEGE: 18, SchoolStage.UNDERGRADUATE: 18, SchoolStage.POSTGRADUATE: 22}  # fmt: skip


@dataclass
class Person:
    """One member in the making: the member row, its circumstances, and the worker if registered."""

    member: HouseholdMember
    circ: MemberCircumstances
    age: int
    worker: Worker | None = None
    employment: Employment | None = None
    origin: str = ""  # the area code of the ID number: a migrant's home county, else a Xi'an district

    @property
    def employed(self) -> bool:
        return self.member.work_status in (WorkStatus.EMPLOYED, WorkStatus.FLEXIBLE)


@dataclass
class PeopleContext:
    """What every person draw needs: the random stream, the demo date, and the identifiers used."""

    rng: random.Random
    today: date
    used_ids: set[tuple[str, date, int, str]] = field(default_factory=set)


def years_ago(today: date, years: int, days: int = 0) -> date:
    """The date `years` years and then `days` days before `today` (29 Feb falls back to 28 Feb)."""
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - timedelta(days=days)


def age_on(birth: date, today: date) -> int:
    """Full years of age on `today`."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def given_name(rng: random.Random) -> str:
    return "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def id_number(ctx: PeopleContext, area: str, birth: date, sex: str) -> str:
    """A valid ID number not used before in this demo."""
    while True:
        seq = ctx.rng.randrange(500)
        key = (area, birth, seq, sex)
        if key not in ctx.used_ids:
            ctx.used_ids.add(key)
            return make_id_number(area, birth, seq, "M" if sex == Sex.MALE else "F")


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"


def money(value: float) -> Decimal:
    """Round to whole tens of yuan, as incomes are usually declared."""
    return Decimal(int(round(value, -1)))


def wage(rng: random.Random, form: str) -> Decimal:
    """A monthly wage for a job form (Xi'an 2025–26 order of magnitude)."""
    if form in (EmploymentForm.GIG_RIDER, EmploymentForm.GIG_COURIER, EmploymentForm.GIG_TRUCK):
        return money(rng.uniform(4500, 9000))
    if form == EmploymentForm.GIG_RIDE_HAILING:
        return money(rng.uniform(4000, 8000))
    if form == EmploymentForm.PART_TIME:
        return money(rng.uniform(1200, 2600))
    return money(max(2160.0, rng.lognormvariate(8.65, 0.4)))  # median ≈ 5,700


def _worker_age(rng: random.Random, gig: bool) -> int:
    return int(rng.triangular(20, 50, 30)) if gig else min(60, int(rng.triangular(18, 61, 37)))


def worker_person(
    ctx: PeopleContext,
    *,
    enterprise: Enterprise,
    district: str,
    district_name: str,
    gig_form: str | None,
    relation: str = Relation.HEAD,
    sex: str | None = None,
    surname: str | None = None,
    age: int | None = None,
) -> Person:
    """A registered worker (18–60) employed at `enterprise`, and the member row that links them."""
    rng, today = ctx.rng, ctx.today
    age = age if age is not None else _worker_age(rng, gig_form is not None)
    if sex is None:
        male_share = 0.4 if gig_form == EmploymentForm.GIG_STREAMER else (0.9 if gig_form else 0.55)
        sex = Sex.MALE if rng.random() < male_share else Sex.FEMALE
    birth = years_ago(today, age, rng.randint(1, 364))
    migrant_chance = (
        0.5 if gig_form else (0.33 if enterprise.industry in (Industry.C, Industry.E, Industry.H) else 0.09)
    )
    migrant = rng.random() < migrant_chance
    origin = rng.choice(MIGRANT_ORIGINS) if migrant else (district if rng.random() < 0.85 else "610113")
    name = (surname or rng.choice(SURNAMES)) + given_name(rng)
    form = gig_form or rng.choices(FORM_CHOICES, cum_weights=FORM_CUM)[0]
    tenure = min(age - 17, rng.expovariate(1 / 5)) if age > 18 else rng.random()
    start = today - timedelta(days=max(20, int(tenure * 365)))
    has_union = enterprise.union_id is not None
    member = rng.random() < (0.7 if gig_form else (0.92 if has_union else 0.78))
    worker = Worker(
        name=name,
        name_initials=name_initials(name),
        name_pinyin=name_pinyin(name),
        birth_date=birth,
        sex=sex,
        ethnicity="汉族" if rng.random() < 0.99 else rng.choice(MINORITIES),
        union_member=member,
        member_since=start + timedelta(days=rng.randint(0, max(0, (today - start).days))) if member else None,
        is_migrant=migrant,
        lives_in_city=(rng.random() < 0.85) if migrant else True,
        mutual_aid_year=_mutual_aid_year(rng, today, member),
        org=enterprise.org,
    )
    set_protected(worker, ID_NUMBER, id_number(ctx, origin, birth, sex))
    set_protected(worker, PHONE, phone(rng))
    set_protected(worker, ADDRESS, home_address(rng, district_name))
    employment = Employment(
        worker=worker,
        enterprise=enterprise,
        post=GIG_POSTS.get(form) or rng.choice(POSTS.get(enterprise.industry, ("职员", "工人", "业务员"))),
        form=form,
        start_date=start,
        contract_months=_contract_months(rng, form),
    )
    status = WorkStatus.FLEXIBLE if form in GIG_FORMS or form == EmploymentForm.FLEXIBLE else WorkStatus.EMPLOYED
    row = HouseholdMember(
        worker=worker, name=name, relation=relation, sex=sex, birth_date=birth, work_status=status, able_to_work=True
    )
    circ = MemberCircumstances(member=row, monthly_income=wage(rng, form))
    return Person(member=row, circ=circ, age=age, worker=worker, employment=employment, origin=origin)


def _mutual_aid_year(rng: random.Random, today: date, member: bool) -> int | None:
    if not member:
        return None
    roll = rng.random()
    return today.year if roll < 0.62 else (today.year - 1 if roll < 0.8 else None)


def _contract_months(rng: random.Random, form: str) -> int | None:
    if form == EmploymentForm.STANDARD:
        return rng.choice((12, 24, 36, 36, 60, 120))
    if form == EmploymentForm.DISPATCHED:
        return rng.choice((12, 24))
    return None


def home_address(rng: random.Random, district_name: str) -> str:
    return f"西安市{district_name}{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.randint(1, 30)}号楼{rng.randint(101, 2605)}室"


def bank_account(rng: random.Random) -> str:
    return "6217" + "".join(str(rng.randrange(10)) for _ in range(15))


def give_bank_account(rng: random.Random, person: Person) -> None:
    """Record a payment card (archived heads: aid is paid to a real-name card)."""
    if person.worker is not None:
        set_protected(person.worker, BANK_ACCOUNT, bank_account(rng))


def relative_person(
    ctx: PeopleContext, *, relation: str, age: int, sex: str, surname: str, area: str, with_id: bool = True
) -> Person:
    """A member who is not a registered worker: spouse, child or parent, with status and income."""
    rng, today = ctx.rng, ctx.today
    birth = years_ago(today, age, rng.randint(1, 364))
    name = surname + given_name(rng)
    row = HouseholdMember(name=name, relation=relation, sex=sex, birth_date=birth)
    if with_id:
        set_protected(row, ID_NUMBER, id_number(ctx, area, birth, sex))
    circ = MemberCircumstances(member=row)
    person = Person(member=row, circ=circ, age=age)
    _status(rng, today, person)
    return person


def _status(rng: random.Random, today: date, person: Person) -> None:
    """Work status, schooling and income of a non-worker member, by age."""
    row, circ, age = person.member, person.circ, person.age
    row.able_to_work = 16 <= age < 65
    if age < 3:
        row.work_status, row.able_to_work = WorkStatus.PRESCHOOL, False
    elif age < 22 or (age < 25 and rng.random() < 0.1):
        _school(rng, today, person)
    elif age >= 60 or (age >= 50 and rng.random() < 0.3 and row.sex == Sex.FEMALE):
        row.work_status = WorkStatus.RETIRED
        row.able_to_work = age < 65 and rng.random() < 0.3
        circ.monthly_income = money(rng.uniform(150, 400) if rng.random() < 0.15 else rng.uniform(2500, 5000))
    elif rng.random() < 0.78:
        row.work_status = WorkStatus.EMPLOYED
        circ.monthly_income = wage(rng, EmploymentForm.STANDARD if rng.random() < 0.85 else EmploymentForm.PART_TIME)
    else:
        row.work_status = WorkStatus.UNEMPLOYED
        circ.monthly_income = Decimal(0)
    if circ.monthly_income is None and row.work_status not in (WorkStatus.STUDENT, WorkStatus.PRESCHOOL):
        circ.monthly_income = Decimal(0)
    if row.work_status in (WorkStatus.STUDENT, WorkStatus.PRESCHOOL):
        circ.monthly_income = Decimal(0)


def _school(rng: random.Random, today: date, person: Person) -> None:
    row, age = person.member, person.age
    if age < 6:
        stage = SchoolStage.PRESCHOOL
    elif age < 12:
        stage = SchoolStage.PRIMARY
    elif age < 15:
        stage = SchoolStage.JUNIOR
    elif age < 18:
        stage = SchoolStage.SENIOR if rng.random() < 0.78 else SchoolStage.VOCATIONAL
    elif age < 22 and rng.random() < 0.82:
        stage = SchoolStage.UNDERGRADUATE if rng.random() < 0.55 else SchoolStage.COLLEGE
    elif age >= 22 and rng.random() < 0.5:
        stage = SchoolStage.POSTGRADUATE
    else:
        row.work_status = WorkStatus.EMPLOYED if rng.random() < 0.7 else WorkStatus.UNEMPLOYED
        person.circ.monthly_income = wage(rng, EmploymentForm.STANDARD) if row.work_status == "employed" else Decimal(0)
        return
    row.work_status = WorkStatus.PRESCHOOL if stage == SchoolStage.PRESCHOOL else WorkStatus.STUDENT
    row.school_stage = stage
    if stage in SCHOOL_START:
        assert row.birth_date is not None
        # Pupils start school in September of the year they turn the start age (before 1 September).
        late = row.birth_date.month >= 9
        row.admission_year = row.birth_date.year + SCHOOL_START[stage] + int(late)
        if row.admission_year > today.year or (row.admission_year == today.year and today.month < 9):
            row.admission_year -= 1  # admitted at the previous intake: keep within the stage's range
        row.admission_kind = "regular"
        if stage in (SchoolStage.COLLEGE, SchoolStage.UNDERGRADUATE) and rng.random() < 0.05:
            row.admission_kind = rng.choice(("military", "free_normal", "commissioned"))


def health_draw(rng: random.Random, person: Person, *, frailty: float = 1.0) -> None:
    """Health, illness and disability; `frailty` > 1 for households in hardship."""
    circ, age = person.circ, person.age
    illness = (0.012 + age * 0.0006) * frailty
    disability = 0.012 * frailty
    roll = rng.random()
    circ.major_illness = False
    circ.work_injury_disabled = False
    if roll < illness:
        circ.health, circ.major_illness, circ.illness_name = Health.MAJOR_ILLNESS, True, rng.choice(ILLNESSES)
    elif roll < illness + disability:
        circ.health = Health.DISABLED
        circ.disability_type = rng.choice(DisabilityType.values)
        circ.disability_grade = rng.choice((1, 2, 2, 3, 3, 4, 4, 4))
    elif age >= 45 and roll < illness + disability + 0.12:
        circ.health = Health.CHRONIC
    else:
        circ.health = Health.HEALTHY
    if circ.health in (Health.MAJOR_ILLNESS, Health.DISABLED) and person.worker is None and age >= 16:
        person.member.able_to_work = circ.health == Health.DISABLED and (circ.disability_grade or 1) >= 3
        if not person.member.able_to_work and person.member.work_status == WorkStatus.UNEMPLOYED:
            person.member.work_status = WorkStatus.UNABLE


def work_injury(rng: random.Random, person: Person) -> None:
    """Mark a worker disabled by a work injury (工伤致残)."""
    circ = person.circ
    circ.work_injury_disabled = True
    circ.health = Health.DISABLED
    circ.disability_type = DisabilityType.PHYSICAL
    circ.disability_grade = rng.choice((2, 3, 4, 4))
