"""Demo data of assistance: the hardship archive, contact households, applications approved and paid from the pools.

Everything goes through the part's services, run as the demo's staff would run them:

- the registry's archived households enter the archive (`archives_import_many`, the bulk form for a federation's
  existing archive); a few households the screening proposes are registered, verified, made public and archived
  one by one, one stopped by an upheld objection; a few archives are reviewed, one leaves hardship;
- households with a disabled member, and some other archived ones, become one-to-one contact households of the
  cadre paired with their enterprise, most contacted lately, some overdue;
- emergency relief: a cadre files some on the worker's behalf (written authorisation), the district's second staff
  member files the rest by round; papers are received (registry documents); the district's staff approve from the
  district's pool and the city's administrator approves what the district's pool cannot cover from the city's pool
  (市、区两级统筹); the approver pays. A few are left in each earlier state;
- warmth: the district's second staff member files every eligible household by round; the city approves the
  deep-hardship households from the city's pool, the districts the others from theirs, until the pools run dry —
  the rest wait for money, each refusal named; the approvers pay.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.utils import timezone

from niangjia.assistance.choices import ApplicationStatus, Authorisation, Cause, ContactChannel, ContactFrequency
from niangjia.assistance.models import Application, HardshipArchive, QueueItem
from niangjia.assistance.services import (
    application_file,
    application_reject,
    application_submit,
    application_withdraw,
    archive_exit,
    archive_move,
    archive_open,
    archive_review_confirm,
    contact_log,
    contact_start,
    notice_close,
    notice_open,
    objection_add,
    objection_decide,
    paper_receive,
    queue_rebuild,
)
from niangjia.assistance.services.archive import ArchiveImport, archives_import_many
from niangjia.assistance.services.funding import rescreen_households
from niangjia.assistance.services.many import (
    Outcome,
    applications_approve_many,
    applications_file_many,
    applications_pay_many,
)
from niangjia.core.roles import Role
from niangjia.demo.orgs import TreeSeed
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.models import Household, MemberCircumstances
from niangjia.registry.models.household import HOUSEHOLD_CADRE
from niangjia.screening.models import ScreeningResult

# Main causes as FACTS.md §1.4 weighs the exit routes: illness and unemployment first.
CAUSES = [Cause.SERIOUS_ILLNESS] * 5 + [Cause.LAID_OFF] * 3 + [Cause.ABLE_UNEMPLOYED] * 2 + [
    Cause.UNABLE_TO_WORK, Cause.SCHOOLING, Cause.ACCIDENT, Cause.DISASTER, Cause.NO_INSURANCE]  # fmt: skip
AUTHORISATIONS = [Authorisation.WRITTEN, Authorisation.WRITTEN, Authorisation.VERBAL_WITNESSED, Authorisation.GUARDIAN]


def assistance_seed(
    *, tree: TreeSeed, seed: int, workers: int | None = None, stdout: Any, today: date | None = None, **_: Any
) -> None:
    """Archive, contact households, applications filed, approved and paid — through the services."""
    started = time.monotonic()
    rng = random.Random(seed * 14 + 1)
    today = today or timezone.localdate()
    admin = StaffUser.objects.get(username="xa_admin")
    queue_rebuild(today=today)
    archived = _archive(rng, admin, today)
    contacts = _contacts(rng, today)
    paying = timezone.now()
    relief = _emergency(rng, tree, admin, today)
    warmth = _warmth(tree, admin, today)
    rescreen_households(relief["households"] + warmth["households"], since=paying)
    stdout.write(
        f"帮扶：困难职工档案 {archived} 份；一对一联系户 {contacts} 户；"
        f"紧急救助发放 {relief['paid']} 笔 ¥{relief['amount']:,.2f}（代办 {relief['proxy']} 件，另有 {relief['open']} 件在办）；"
        f"送温暖发放 {warmth['paid']} 户 ¥{warmth['amount']:,.2f}（资金不足待拨 {warmth['waiting']} 户）"
        f"（{time.monotonic() - started:.1f} 秒）\n"
    )


def _staff(district: UnionOrg) -> tuple[StaffUser, StaffUser]:
    """The district's staff member who approves and pays, and the second one who files (maker–checker)."""
    staff = list(StaffUser.objects.filter(org=district, role=Role.DISTRICT_STAFF, is_active=True).order_by("username"))
    return staff[0], staff[-1]


def _cadre_of(household_ids: Sequence[int]) -> dict[int, StaffUser]:
    """The cadre paired with each household's enterprise (the first one), who may work on it."""
    field = f"{HOUSEHOLD_CADRE}"
    pairs = Household.objects.filter(pk__in=list(household_ids)).values_list("pk", field).order_by("pk", field)
    first: dict[int, int] = {}
    for household_id, cadre_id in pairs:
        if cadre_id and household_id not in first:
            first[household_id] = cadre_id
    users = StaffUser.objects.in_bulk(set(first.values()))
    return {h: users[c] for h, c in first.items() if c in users}


def _archive(rng: random.Random, admin: StaffUser, today: date) -> int:
    """The existing archive entered in bulk; a few new ones one by one, through every step."""
    archived = list(Household.objects.exclude(archive_level="").order_by("pk").values_list("pk", flat=True))
    rows = []
    for household_id in archived:
        main = rng.choice(CAUSES)
        others = [c for c in rng.sample(list(Cause.values), 3) if c != main][: rng.choice((0, 1, 1, 2))]
        rows.append(ArchiveImport(household_id=household_id, main_cause=main, secondary_causes=tuple(others),
                                  evidence="历史档案：入户核实记录和收入证明已归档"))  # fmt: skip
    count = archives_import_many(actor=admin, rows=rows)
    count += _new_archives(rng, today)
    _reviews(rng, today)
    return count


def _new_archives(rng: random.Random, today: date) -> int:
    """Households the screening proposes for the archive: registered, verified, made public, archived."""
    results = list(
        ScreeningResult.objects.filter(policy_id="hardship_archive", status="eligible", is_current=True)
        .exclude(household__archive_level__in=["deep", "relative", "sudden"])
        .select_related("household__org")
        .order_by("household_id")[:2000]
    )
    rng.shuffle(results)
    cadres = _cadre_of([r.household_id for r in results])
    chosen = [r for r in results if r.household_id in cadres][: max(4, min(40, len(results) // 40))]
    made = 0
    for n, result in enumerate(chosen):
        cadre = cadres[result.household_id]
        district_staff = _staff(_district_of(result.household.org))[0]
        archive = archive_open(
            actor=cadre, household=result.household, level=result.level or "relative", main_cause=rng.choice(CAUSES),
            evidence="政策找人筛查提示，干部入户了解：家庭收入低、刚性支出大", result=result,
        )  # fmt: skip
        made += 1
        if n % 4 == 3:
            continue  # left 疑似困难: to be visited
        archive = archive_move(actor=cadre, archive=archive, move="verify", note="入户核实收入、支出和家庭成员情况属实")
        if n % 4 == 2:
            continue  # verified, not yet made public
        start = today - timedelta(days=10)
        notice = notice_open(actor=cadre, archive=archive, starts_on=start, ends_on=start + timedelta(days=6),
                             place=f"{result.household.org.name}公示栏")  # fmt: skip
        if n % 8 == 1:
            objection = objection_add(actor=cadre, notice=notice, received_on=start + timedelta(days=2),
                                      content="群众反映其家庭有经营性商铺")  # fmt: skip
            objection_decide(actor=district_staff, objection=objection, outcome="upheld",
                             finding="经市场监管登记查询，其配偶名下有个体工商户且正常经营")  # fmt: skip
            notice_close(actor=district_staff, notice=notice, today=today)
            archive_move(actor=cadre, archive=archive, move="dismiss", note="公示异议成立，不予建档")
            continue
        notice_close(actor=district_staff, notice=notice, today=today)
        archive_move(actor=district_staff, archive=archive, move="archive", today=today)
    return made


def _district_of(org: UnionOrg) -> UnionOrg:
    parts = [p for p in org.path.split("/") if p]
    return UnionOrg.objects.get(path=f"/{'/'.join(parts[:2])}/") if len(parts) >= 2 else org


def _reviews(rng: random.Random, today: date) -> None:
    """A few of the archives due for their yearly review are reviewed; one leaves hardship."""
    due = list(
        HardshipArchive.objects.filter(status="archived", last_review_date__lt=today - timedelta(days=365))
        .select_related("household__org")
        .order_by("pk")[:400]
    )
    rng.shuffle(due)
    cadres = _cadre_of([a.household_id for a in due])
    chosen = [a for a in due if a.household_id in cadres][:8]
    for n, archive in enumerate(chosen):
        staff = _staff(_district_of(archive.household.org))[0]
        archive = archive_move(actor=cadres[archive.household_id], archive=archive, move="review", today=today)
        if n == 0:
            archive_exit(
                actor=staff,
                archive=archive,
                route="job",
                reason="本人再就业，家庭人均收入连续 6 个月高于低保",
                today=today,
            )
        elif n % 2:
            archive_review_confirm(actor=staff, archive=archive, note="入户复核：困难情况未变", today=today)


def _contacts(rng: random.Random, today: date) -> int:
    """One-to-one contact households: monthly for those with a disabled member, quarterly for some archived."""
    disabled = set(
        MemberCircumstances.objects.exclude(disability_type="").values_list("member__household_id", flat=True)[:5000]
    )
    archived = list(HardshipArchive.objects.filter(status="archived").values_list("household_id", flat=True)[:5000])
    chosen = sorted(disabled)[:300] + [h for h in archived[::9] if h not in disabled][:150]
    cadres = _cadre_of(chosen)
    households = Household.objects.in_bulk([h for h in chosen if h in cadres])
    made = 0
    for household_id, household in sorted(households.items()):
        cadre = cadres[household_id]
        monthly = household_id in disabled
        started = today - timedelta(days=rng.randint(20, 200))
        contact_start(
            actor=None, household=household, cadre=cadre, started_on=started,
            frequency=ContactFrequency.MONTHLY if monthly else ContactFrequency.QUARTERLY,
            reason="家有残疾成员，每月联系" if monthly else "困难建档户，每季联系",
        )  # fmt: skip
        made += 1
        if rng.random() < 0.75:  # the rest are left overdue
            day = today - timedelta(days=rng.randint(1, 25))
            at = timezone.make_aware(datetime.combine(day, clock(rng.randint(9, 17), rng.choice((0, 30)))))
            channel = rng.choice([ContactChannel.PHONE, ContactChannel.HOME_VISIT, ContactChannel.ONLINE])
            contact_log(household=household, cadre=cadre, at=at, channel=channel,
                        note=rng.choice(["电话问候，近况平稳", "入户看望，送去米面油", "微信联系，孩子学费已解决"]))  # fmt: skip
    return made


def _eligible(policy_id: str) -> dict[UnionOrg, list[int]]:
    """Households the screening finds eligible for a policy and no one has applied for, by district."""
    items = QueueItem.objects.filter(
        policy_id=policy_id, proposed=True, outcome="eligible", member__isnull=True,
        status__in=["pending", "contacted", "collecting"],
    ).values_list("household_id", "household__org__path")  # fmt: skip
    districts = {d.path: d for d in UnionOrg.objects.filter(level="district")}
    found: dict[UnionOrg, list[int]] = defaultdict(list)
    for household_id, path in items.order_by("household_id"):
        parts = [p for p in path.split("/") if p]
        district = districts.get(f"/{'/'.join(parts[:2])}/") if len(parts) >= 2 else None
        if district is not None:
            found[district].append(household_id)
    return found


def _approve_and_pay(
    district_apps: dict[UnionOrg, list[Application]],
    admin: StaffUser,
    today: date,
    *,
    city_first: set[int] | None = None,
) -> tuple[list[Outcome], list[Outcome]]:
    """Approve from the district's pool (the city's for `city_first`, and for what the district cannot cover),
    then pay as the approver; return what was paid and what was refused for lack of money."""
    paid: list[Outcome] = []
    waiting: list[Outcome] = []
    by_city: list[Application] = []
    for district, apps in sorted(district_apps.items(), key=lambda kv: kv[0].path):
        approver, _ = _staff(district)
        mine = [a for a in apps if not city_first or a.pk not in city_first]
        by_city += [a for a in apps if city_first and a.pk in city_first]
        approved = applications_approve_many(actor=approver, applications=mine, today=today, note="区县总工会审批")
        by_city += [o.application for o in approved if not o.ok and o.application and "可用余额" in o.message]
        done = [o.application for o in approved if o.ok and o.application]
        paid += [
            o for o in applications_pay_many(actor=approver, applications=done, today=today, rescreen=False) if o.ok
        ]
    approved = applications_approve_many(actor=admin, applications=by_city, today=today, note="市总工会统筹审批")
    waiting += [o for o in approved if not o.ok]
    done = [o.application for o in approved if o.ok and o.application]
    paid += [o for o in applications_pay_many(actor=admin, applications=done, today=today, rescreen=False) if o.ok]
    return paid, waiting


def _emergency(rng: random.Random, tree: TreeSeed, admin: StaffUser, today: date) -> dict[str, Any]:
    """Emergency relief: filed by cadres on the worker's behalf or by round, papers in, approved, paid."""
    proxy = 0
    left_open = 0
    counter = 0
    ready: dict[UnionOrg, list[Application]] = defaultdict(list)
    for district, household_ids in sorted(_eligible("emergency_relief").items(), key=lambda kv: kv[0].path):
        _, filer = _staff(district)
        cadres = _cadre_of(household_ids)
        by_cadre = [h for h in household_ids if h in cadres][: max(1, len(household_ids) // 3)]
        apps: list[Application] = []
        households = Household.objects.in_bulk(by_cadre)
        for household_id in by_cadre:
            apps.append(application_file(
                actor=cadres[household_id], household=households[household_id], policy_id="emergency_relief",
                filed_by_proxy=True, authorisation=rng.choice(AUTHORISATIONS), authorised_on=today - timedelta(days=rng.randint(0, 5)),
                authorisation_note="职工住院，委托联系干部跑腿代办", note="干部代办：收集事故或诊断证明", today=today,
            ))  # fmt: skip
        proxy += len(apps)
        rest = [h for h in household_ids if h not in set(by_cadre)]
        filed = applications_file_many(actor=filer, policy_id="emergency_relief", targets=[(h, None) for h in rest],
                                       today=today, note="区县总工会紧急救助集中办理")  # fmt: skip
        apps += [o.application for o in filed if o.ok and o.application]
        for application in apps:
            counter += 1
            cadre = cadres.get(application.household_id)
            clerk = cadre or filer
            if counter % 10 == 1:
                left_open += 1
                continue  # papers still being collected
            for paper in application.papers.filter(status="missing"):
                paper_receive(actor=clerk, paper=paper, received_on=today - timedelta(days=rng.randint(0, 3)),
                              holder=rng.choice(["cadre", "office"]))  # fmt: skip
            application.refresh_from_db()
            if application.status == ApplicationStatus.DRAFT:
                application = application_submit(actor=clerk, application=application)
            if counter % 10 == 2:
                left_open += 1
                continue  # waiting for approval
            if counter % 10 == 3:
                approver, _ = _staff(district)
                rejected = application_reject(
                    actor=approver, application=application, reason="事故证明未加盖出具单位公章，请补正"
                )
                if counter % 40 == 3:
                    application_withdraw(actor=clerk, application=rejected, reason="职工已获单位全额补偿，不再申请")
                left_open += 1
                continue
            ready[district].append(application)
    paid, _ = _approve_and_pay(ready, admin, today)
    return {"paid": len(paid), "amount": sum(o.amount or 0 for o in paid), "proxy": proxy, "open": left_open,
            "households": [o.household_id for o in paid]}  # fmt: skip


def _warmth(tree: TreeSeed, admin: StaffUser, today: date) -> dict[str, Any]:
    """Warmth by round: every eligible household filed; the city pays the deep-hardship ones, the districts the rest."""
    if not (today.month >= 11 or today.month <= 2):
        return {"paid": 0, "amount": 0, "waiting": 0, "households": []}
    filed: dict[UnionOrg, list[Application]] = defaultdict(list)
    for district, household_ids in sorted(_eligible("warmth").items(), key=lambda kv: kv[0].path):
        _, filer = _staff(district)
        outcomes = applications_file_many(actor=filer, policy_id="warmth", targets=[(h, None) for h in household_ids],
                                          today=today, note=f"{today.year}年冬季送温暖集中办理")  # fmt: skip
        filed[district] = [o.application for o in outcomes if o.ok and o.application]
    deep = {a.pk for apps in filed.values() for a in apps if a.level == "deep"}
    paid, waiting = _approve_and_pay(filed, admin, today, city_first=deep)
    return {"paid": len(paid), "amount": sum(o.amount or 0 for o in paid), "waiting": len(waiting),
            "households": [o.household_id for o in paid]}  # fmt: skip
