"""一人一企 pairing writes: run the solver, publish, release, swap, fix, exclude. Each one transaction, audited.

A run replaces the campaign's pairings that are not fixed with the solver's, in bulk (one audit entry per
pairing). Once a campaign's pairing is published, cadres' enterprise assignments follow it
(`services.assignments`): a later run, swap or fix of that campaign changes the assignments in the same
transaction.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_entry, audit_record, audit_records
from niangjia.core.inserting import insert_records
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require
from niangjia.orgs.models import StaffUser
from niangjia.outreach.choices import CampaignStatus
from niangjia.outreach.models import Campaign, Pairing, PairingExclusion, PairingRun
from niangjia.outreach.selectors.pairing_inputs import (
    PairingInputs,
    cadre_points,
    campaign_cadres,
    district_of,
    enterprise_points,
    pairing_inputs,
)
from niangjia.outreach.services.assignments import assignments_sync, pairing_released
from niangjia.outreach.services.campaigns import require_runner
from niangjia.outreach.solver import Solution, haversine_km, solve
from niangjia.registry.models import Enterprise

K_MAX = 50
POLISH_SECONDS = 30.0
# A web request or API call solves at most this many enterprises; a larger campaign is paired with `niangjia pair`.
WEB_MAX_ENTERPRISES = 6000
CENT = Decimal("0.01")


@dataclass
class PairingOutcome:
    """What a run found (and, unless a dry run, wrote)."""

    campaign: Campaign
    inputs: PairingInputs
    solution: Solution
    enterprises_per_cadre: int
    cross_district: bool
    run: PairingRun | None = None

    @property
    def districts(self) -> list[dict[str, Any]]:
        """Figures per district: [{org_id, name, cadres, enterprises, paired, total_km, baseline_km, method}]."""
        rows = []
        for report in self.solution.groups:
            org = self.inputs.group_org.get(report.group) if report.group is not None else self.campaign.org_id
            rows.append(
                {
                    "org_id": org,
                    "name": self.inputs.districts.names.get(org or 0, "全部"),
                    "cadres": report.cadres,
                    "enterprises": report.enterprises,
                    "paired": report.paired,
                    "total_km": round(report.total_km, 2),
                    "baseline_km": round(report.baseline_total_km, 2),
                    "method": report.method,
                }
            )
        return sorted(rows, key=lambda row: str(row["name"]))


def _km(value: float | None) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_open(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError({"status": "走访活动已经结束，结对不能再改动。"})


def pairing_run(
    *,
    actor: StaffUser | None,
    campaign: Campaign,
    enterprises_per_cadre: int | None = None,
    cross_district: bool | None = None,
    dry_run: bool = False,
    polish_seconds: float = POLISH_SECONDS,
    now: datetime | None = None,
) -> PairingOutcome:
    """Pair the campaign's cadres with its enterprises at least total distance (k per cadre; within districts
    unless `cross_district`; fixed pairs kept, exclusions honoured). `actor` None: an operator's command.

    A dry run computes and reports without writing anything.
    """
    if actor is not None:
        require_runner(actor, campaign.org)
    _check_open(campaign)
    k = campaign.enterprises_per_cadre if enterprises_per_cadre is None else enterprises_per_cadre
    cross = campaign.cross_district if cross_district is None else cross_district
    if not 1 <= k <= K_MAX:
        raise ValidationError({"enterprises_per_cadre": f"每名干部结对企业数应在 1 到 {K_MAX} 之间。"})
    started = time.perf_counter()
    inputs = pairing_inputs(campaign, enterprises_per_cadre=k, cross_district=cross)
    solution = solve(inputs.problem, polish_seconds=polish_seconds)
    outcome = PairingOutcome(campaign, inputs, solution, k, cross)
    if dry_run:
        return outcome
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
        _check_open(campaign)
        outcome.campaign = campaign
        before = set(Pairing.objects.filter(campaign=campaign).values_list("cadre_id", flat=True))
        Pairing.objects.filter(campaign=campaign, fixed=False).delete()
        pairings = _pairings(campaign, inputs, solution)
        insert_records(pairings)
        outcome.run = _run_record(actor, outcome, seconds=time.perf_counter() - started)
        _audit_run(actor, outcome, pairings)
        if campaign.pairing_current:
            assignments_sync(actor=actor, cadre_ids=before | {p.cadre_id for p in pairings}, now=now)
    return outcome


def _pairings(campaign: Campaign, inputs: PairingInputs, solution: Solution) -> list[Pairing]:
    rows = []
    for index, cadre in enumerate(solution.enterprise_cadre.tolist()):
        if cadre >= 0:
            rows.append(
                Pairing(
                    campaign=campaign,
                    cadre_id=inputs.cadre_ids[cadre],
                    enterprise_id=inputs.enterprise_ids[index],
                    distance_km=_km(float(solution.distance_km[index])),
                )
            )
    return rows


def _run_record(actor: StaffUser | None, outcome: PairingOutcome, *, seconds: float) -> PairingRun:
    solution, inputs = outcome.solution, outcome.inputs
    fixed = len(inputs.fixed)
    run = PairingRun(
        campaign=outcome.campaign,
        created_by=actor,
        enterprises_per_cadre=outcome.enterprises_per_cadre,
        cross_district=outcome.cross_district,
        cadres=len(inputs.cadres_in_scope),
        enterprises=len(inputs.enterprise_ids) + inputs.unlocated_enterprises + fixed,
        paired=solution.paired + fixed,
        fixed=fixed,
        unlocated=inputs.unlocated_enterprises,
        total_km=_km(solution.total_km),
        mean_km=_km(solution.mean_km),
        baseline_total_km=_km(solution.baseline_total_km),
        baseline_mean_km=_km(solution.baseline_mean_km),
        lower_bound_km=_km(solution.lower_bound_km),
        gap=Decimal(solution.gap).quantize(Decimal("0.0001")) if solution.gap is not None else None,
        optimal=solution.optimal,
        method=solution.method,
        seconds=Decimal(seconds).quantize(CENT),
        districts=outcome.districts,
    )
    run.full_clean()
    run.save()
    return run


def _audit_run(actor: StaffUser | None, outcome: PairingOutcome, pairings: list[Pairing]) -> None:
    run = outcome.run
    assert run is not None
    campaign = outcome.campaign
    names = dict(Enterprise.objects.filter(pk__in=[p.enterprise_id for p in pairings]).values_list("pk", "name"))
    users = dict(StaffUser.objects.filter(pk__in={p.cadre_id for p in pairings}).values_list("pk", "username"))
    entries = [
        audit_entry(
            actor=actor, action="outreach.pairing.run", target=campaign, org_path=campaign.org.path,
            new={"run": run.pk, "k": run.enterprises_per_cadre, "cross_district": run.cross_district,
                 "paired": run.paired, "total_km": run.total_km, "baseline_total_km": run.baseline_total_km},
        )
    ] + [
        audit_entry(
            actor=actor, action="outreach.pairing.create", target=p, org_path=campaign.org.path,
            target_label=f"{users.get(p.cadre_id, '')} → {names.get(p.enterprise_id, '')}",
            new={"campaign": campaign.pk, "cadre": p.cadre_id, "enterprise": p.enterprise_id, "km": p.distance_km},
        )
        for p in pairings
    ]  # fmt: skip
    audit_records(entries)


def pairing_publish(*, actor: StaffUser | None, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Make the campaign's pairing current: its cadres' enterprise assignments become their pairings.

    Cadres of the campaign's scope left without a pairing lose the assignments no current pairing gives them.
    """
    if actor is not None:
        require_runner(actor, campaign.org)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
        _check_open(campaign)
        paired = set(Pairing.objects.filter(campaign=campaign).values_list("cadre_id", flat=True))
        if not paired:
            raise ValidationError({"pairing": "还没有结对，请先计算结对。"})
        campaign.pairing_published_at, campaign.pairing_released_at = now, None
        campaign.save(update_fields=["pairing_published_at", "pairing_released_at"])
        cadres = paired | set(campaign_cadres(campaign).values_list("pk", flat=True))
        added, removed = assignments_sync(actor=actor, cadre_ids=cadres, now=now)
        audit_record(
            actor=actor, action="outreach.pairing.publish", target=campaign, org_path=campaign.org.path,
            new={"cadres": len(cadres), "assignments_added": added, "assignments_removed": removed},
        )  # fmt: skip
    return campaign


def pairing_release(*, actor: StaffUser | None, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Stop the campaign's pairing from being current: its cadres no longer hold its enterprises."""
    if actor is not None:
        require_runner(actor, campaign.org)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
        if not campaign.pairing_current:
            raise ValidationError({"pairing": "该活动的结对尚未发布或已经解除。"})
        pairing_released(actor=actor, campaign=campaign, now=now or timezone.now())
    return campaign


# Manual changes: by city or district staff, on pairings of their own subtree.


def _require_editor(actor: StaffUser, *records: Any) -> None:
    if actor.role not in (Role.CITY_ADMIN, Role.DISTRICT_STAFF) and not actor.is_superuser:
        raise PermissionDenied("只有市总工会和区县总工会的工作人员可以调整结对。")
    for record in records:
        require(actor, Action.CHANGE, record)


def _check_pair(campaign: Campaign, cadre: StaffUser, enterprise: Enterprise) -> None:
    """A cadre of the campaign, in the enterprise's district (unless pairs may cross), not excluded."""
    if cadre.role != Role.CADRE or not cadre.is_active:
        raise ValidationError({"cadre": f"{cadre}不是在职的工会干部，不能结对。"})
    if not campaign_cadres(campaign).filter(pk=cadre.pk).exists():
        raise ValidationError({"cadre": f"{cadre}不在该走访活动的范围内。"})
    if not campaign.cross_district:
        assert cadre.org is not None
        cadre_district, enterprise_district = district_of(campaign, [cadre.org.path, enterprise.org.path])
        if cadre_district != enterprise_district:
            raise ValidationError({"cadre": f"{cadre}与“{enterprise.name}”不在同一区县，该活动不允许跨区县结对。"})
    if PairingExclusion.objects.filter(campaign=campaign, cadre=cadre, enterprise=enterprise).exists():
        raise ValidationError({"cadre": f"已登记{cadre}不与“{enterprise.name}”结对。"})


def _distance(cadre: StaffUser, enterprise: Enterprise) -> Decimal | None:
    start, end = cadre_points([cadre.pk]).get(cadre.pk), enterprise_points([enterprise.pk]).get(enterprise.pk)
    if start is None or end is None:
        return None
    return _km(float(haversine_km(start[0], start[1], end[0], end[1])))


def pairing_swap(*, actor: StaffUser, first: Pairing, second: Pairing, now: datetime | None = None) -> None:
    """Exchange the cadres of two pairings of a campaign; both become manual and fixed (a re-run keeps them)."""
    _require_editor(actor, first, second)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=first.campaign_id)
        _check_open(campaign)
        pair = list(
            Pairing.objects.select_for_update(of=("self",))
            .select_related("cadre__org", "enterprise__org")
            .filter(pk__in=[first.pk, second.pk], campaign=campaign)
            .order_by("pk")
        )
        if len(pair) != 2 or first.pk == second.pk:
            raise ValidationError({"second": "请选择同一走访活动中的两个不同结对。"})
        a, b = pair
        if a.cadre_id == b.cadre_id:
            raise ValidationError({"second": "两个结对是同一名干部，无需交换。"})
        _check_pair(campaign, b.cadre, a.enterprise)
        _check_pair(campaign, a.cadre, b.enterprise)
        old = {a.pk: a.cadre.username, b.pk: b.cadre.username}
        a.cadre, b.cadre = b.cadre, a.cadre
        for p in (a, b):
            p.manual = p.fixed = True
            p.distance_km = _distance(p.cadre, p.enterprise)
            p.full_clean()
        Pairing.objects.bulk_update([a, b], ["cadre", "manual", "fixed", "distance_km"])
        audit_records(
            [
                audit_entry(
                    actor=actor, action="outreach.pairing.swap", target=p, org_path=p.enterprise.org.path,
                    old={"cadre": old[p.pk]}, new={"cadre": p.cadre.username, "km": p.distance_km},
                )
                for p in (a, b)
            ]
        )  # fmt: skip
        if campaign.pairing_current:
            assignments_sync(actor=actor, cadre_ids=[a.cadre_id, b.cadre_id], now=now)


def pairing_fix(
    *, actor: StaffUser, campaign: Campaign, cadre: StaffUser, enterprise: Enterprise, now: datetime | None = None
) -> Pairing:
    """Pair this cadre with this enterprise by hand, fixed (kept by later runs); the enterprise's previous
    pairing in the campaign, if any, is replaced."""
    _require_editor(actor, enterprise, cadre)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
        _check_open(campaign)
        _check_pair(campaign, cadre, enterprise)
        existing = Pairing.objects.select_for_update().filter(campaign=campaign, enterprise=enterprise).first()
        others = Pairing.objects.filter(campaign=campaign, cadre=cadre).exclude(enterprise=enterprise).count()
        if others >= campaign.enterprises_per_cadre:
            raise ValidationError(
                {"cadre": f"{cadre}已结对 {others} 家企业，达到每名干部 {campaign.enterprises_per_cadre} 家的上限。"}
            )
        previous = existing.cadre_id if existing else None
        pairing = existing or Pairing(campaign=campaign, enterprise=enterprise, cadre=cadre)
        pairing.cadre = cadre
        pairing.manual = pairing.fixed = True
        pairing.distance_km = _distance(cadre, enterprise)
        pairing.full_clean()
        pairing.save()
        audit_record(
            actor=actor, action="outreach.pairing.fix", target=pairing, org_path=enterprise.org.path,
            old={"cadre": previous}, new={"cadre": cadre.pk, "enterprise": enterprise.pk, "km": pairing.distance_km},
        )  # fmt: skip
        if campaign.pairing_current:
            assignments_sync(actor=actor, cadre_ids={cadre.pk, previous or cadre.pk}, now=now)
    return pairing


def pairing_unfix(*, actor: StaffUser, pairing: Pairing) -> Pairing:
    """Let the solver move a fixed pairing again at its next run."""
    _require_editor(actor, pairing)
    with transaction.atomic():
        pairing = (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("campaign", "enterprise__org")
            .get(pk=pairing.pk)
        )
        _check_open(pairing.campaign)
        if not pairing.fixed:
            raise ValidationError({"fixed": "该结对不是固定结对。"})
        pairing.fixed = False
        pairing.save(update_fields=["fixed"])
        audit_record(
            actor=actor, action="outreach.pairing.unfix", target=pairing, org_path=pairing.enterprise.org.path,
            old={"fixed": True}, new={"fixed": False},
        )  # fmt: skip
    return pairing


def exclusion_add(
    *, actor: StaffUser, campaign: Campaign, cadre: StaffUser, enterprise: Enterprise, reason: str
) -> PairingExclusion:
    """Record that the solver must never pair this cadre with this enterprise in the campaign."""
    _require_editor(actor, enterprise, cadre)
    exclusion = PairingExclusion(
        campaign=campaign, cadre=cadre, enterprise=enterprise, reason=reason.strip(), created_by=actor
    )
    exclusion.full_clean()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _check_open(campaign)
        if Pairing.objects.filter(campaign=campaign, cadre=cadre, enterprise=enterprise).exists():
            raise ValidationError(
                {"cadre": f"{cadre}现与“{enterprise.name}”结对，请先交换或改派该企业，再登记不结对。"}
            )
        exclusion.save()
        audit_record(
            actor=actor, action="outreach.exclusion.add", target=exclusion, org_path=enterprise.org.path,
            new={"campaign": campaign.pk, "cadre": cadre.pk, "enterprise": enterprise.pk, "reason": exclusion.reason},
        )  # fmt: skip
    return exclusion


def exclusion_remove(*, actor: StaffUser, exclusion: PairingExclusion) -> None:
    """Withdraw an exclusion: the solver may pair them again."""
    _require_editor(actor, exclusion)
    with transaction.atomic():
        exclusion = PairingExclusion.objects.select_related("campaign", "enterprise__org").get(pk=exclusion.pk)
        _check_open(exclusion.campaign)
        audit_record(
            actor=actor, action="outreach.exclusion.remove", target=exclusion, org_path=exclusion.enterprise.org.path,
            old={"cadre": exclusion.cadre_id, "enterprise": exclusion.enterprise_id, "reason": exclusion.reason},
        )  # fmt: skip
        exclusion.delete()
