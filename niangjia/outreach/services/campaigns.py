"""Campaign writes: create, change, activate, close. Each one transaction, audited.

Only city and district staff run campaigns, for an organization they may change (their own or below it)
at city, district or zone level. The scope, the target districts and the target groups are checked here,
so the web form, the API and the demo are held to the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require
from niangjia.orgs.choices import OrgLevel
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.outreach.choices import CampaignStatus, EnterpriseGroup, WorkerGroup
from niangjia.outreach.models import Campaign, CampaignTarget
from niangjia.outreach.services.assignments import pairing_released
from niangjia.registry.selectors import area_prefix

RUNNER_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_STAFF)
ORGANIZER_LEVELS = (OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.ZONE)
TARGET_LEVELS = (OrgLevel.DISTRICT, OrgLevel.ZONE, OrgLevel.STREET)
SCOPE_MAX = 200
TARGETS_MAX = 200
FIELDS = [
    "name",
    "starts_on",
    "ends_on",
    "enterprise_groups",
    "worker_groups",
    "enterprises_per_cadre",
    "cross_district",
]


@dataclass
class TargetData:
    """How many enterprises and homes one district (or zone, or street) is to visit."""

    org: UnionOrg
    enterprises: int = 0
    homes: int = 0


@dataclass
class CampaignData:
    """What a campaign is made of; `org` is the organizer (fixed once created)."""

    name: str
    starts_on: date
    ends_on: date
    org: UnionOrg
    orgs: list[UnionOrg] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    enterprise_groups: list[str] = field(default_factory=list)
    worker_groups: list[str] = field(default_factory=list)
    enterprises_per_cadre: int = 1
    cross_district: bool = False
    targets: list[TargetData] = field(default_factory=list)


def is_runner(user: Any) -> bool:
    """Whether the user's role may run campaigns at all (city or district staff)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or (user.role in RUNNER_ROLES and user.org_id is not None))


def require_runner(actor: StaffUser, org: UnionOrg) -> None:
    """Refuse unless `actor` is city or district staff who may change `org` (their own or below)."""
    if not is_runner(actor):
        raise PermissionDenied("只有市总工会和区县总工会的工作人员可以组织走访活动。")
    require(actor, Action.CHANGE, org)


def _checked(data: CampaignData) -> dict[str, list[str]]:
    """Chinese messages by field for what the model's validators cannot see."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.org.level not in ORGANIZER_LEVELS:
        add("org", "主办组织应为市总工会、区县总工会或开发区工会。")
    for name, values, choices in (
        ("enterprise_groups", data.enterprise_groups, EnterpriseGroup.values),
        ("worker_groups", data.worker_groups, WorkerGroup.values),
    ):
        if len(set(values)) != len(values) or any(v not in choices for v in values):
            add(name, "请从列出的重点群体中选择，每项最多一次。")
    if len(data.orgs) > SCOPE_MAX or len(data.areas) > SCOPE_MAX:
        add("orgs", f"走访范围最多 {SCOPE_MAX} 个组织和 {SCOPE_MAX} 个区划。")
    if any(not data.org.contains(org) for org in data.orgs):
        add("orgs", "走访范围内的组织须是主办组织或其下级组织。")
    prefix = area_prefix(data.org.area.code)
    if any(not area_prefix(area.code).startswith(prefix) for area in data.areas):
        add("areas", f"走访区划须在主办组织所在区划（{data.org.area.name}）之内。")
    seen: set[int] = set()
    for target in data.targets:
        if not data.org.contains(target.org) or (target.org != data.org and target.org.level not in TARGET_LEVELS):
            add("targets", f"“{target.org.name}”不是主办组织下的区县、开发区或街道工会，不能分配走访目标。")
        elif target.org.pk in seen:
            add("targets", f"“{target.org.name}”的走访目标填写了两次。")
        seen.add(target.org.pk)
    if len(data.targets) > TARGETS_MAX:
        add("targets", f"走访目标最多 {TARGETS_MAX} 行。")
    return errors


def _apply(campaign: Campaign, data: CampaignData) -> list[CampaignTarget]:
    """Set the fields on `campaign` and validate; return the unsaved targets."""
    for name in FIELDS:
        setattr(campaign, name, getattr(data, name))
    campaign.name = campaign.name.strip()
    errors = _checked(data)
    try:
        # The period's check constraint is checked just below, with a message naming the field.
        campaign.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if campaign.ends_on and campaign.starts_on and campaign.ends_on < campaign.starts_on:
        errors.setdefault("ends_on", []).append("结束日期不能早于开始日期。")
    targets = [CampaignTarget(org=t.org, enterprises=t.enterprises, homes=t.homes) for t in data.targets]
    for target in targets:
        try:
            target.full_clean(exclude=["campaign", "org"])
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.setdefault("targets", []).extend(f"{target.org.name}：{m}" for m in messages)
    if errors:
        raise ValidationError(errors)
    return targets


def _summary(campaign: Campaign, data: CampaignData) -> dict[str, Any]:
    values = {name: getattr(campaign, name) for name in FIELDS}
    values["enterprise_groups"] = ",".join(campaign.enterprise_groups)
    values["worker_groups"] = ",".join(campaign.worker_groups)
    values["orgs"] = ",".join(str(o.pk) for o in data.orgs)
    values["areas"] = ",".join(a.code for a in data.areas)
    values["targets"] = ";".join(f"{t.org.pk}:{t.enterprises}/{t.homes}" for t in data.targets)
    return values


def campaign_create(*, actor: StaffUser, data: CampaignData) -> Campaign:
    """Create a campaign (筹备中) with its scope and per-district targets."""
    require_runner(actor, data.org)
    campaign = Campaign(org=data.org, created_by=actor)
    targets = _apply(campaign, data)
    with transaction.atomic():
        campaign.save()
        _write_scope(campaign, data, targets)
        audit_record(
            actor=actor, action="outreach.campaign.create", target=campaign, new=_summary(campaign, data),
            org_path=campaign.org.path,
        )  # fmt: skip
    return campaign


def campaign_update(*, actor: StaffUser, campaign: Campaign, data: CampaignData) -> Campaign:
    """Change a campaign that has not ended; its organizer stays. The targets are replaced by `data.targets`."""
    require_runner(actor, campaign.org)
    if data.org.pk != campaign.org_id:
        raise ValidationError({"org": "走访活动的主办组织不能更改。"})
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org__area").get(pk=campaign.pk)
        if campaign.status == CampaignStatus.CLOSED:
            raise ValidationError({"status": "已结束的走访活动不能修改。"})
        old = _summary(campaign, _current(campaign))
        targets = _apply(campaign, data)
        campaign.save()
        _write_scope(campaign, data, targets)
        new = _summary(campaign, data)
        changed = {name for name in new if new[name] != old[name]}
        if changed:
            audit_record(
                actor=actor, action="outreach.campaign.change", target=campaign,
                old={n: old[n] for n in sorted(changed)}, new={n: new[n] for n in sorted(changed)},
                org_path=campaign.org.path,
            )  # fmt: skip
    return campaign


def _current(campaign: Campaign) -> CampaignData:
    """The campaign as it is stored, as CampaignData (for the audit's old values)."""
    return CampaignData(
        name=campaign.name, starts_on=campaign.starts_on, ends_on=campaign.ends_on, org=campaign.org,
        orgs=list(campaign.orgs.order_by("pk")), areas=list(campaign.areas.order_by("code")),
        targets=[TargetData(org=t.org, enterprises=t.enterprises, homes=t.homes)
                 for t in campaign.targets.select_related("org").order_by("org__path")],
    )  # fmt: skip


def _write_scope(campaign: Campaign, data: CampaignData, targets: list[CampaignTarget]) -> None:
    campaign.orgs.set(data.orgs)
    campaign.areas.set(data.areas)
    campaign.targets.all().delete()
    for target in targets:
        target.campaign = campaign
    CampaignTarget.objects.bulk_create(targets)


def campaign_activate(*, actor: StaffUser, campaign: Campaign) -> Campaign:
    """Start a campaign in preparation (筹备中 → 进行中)."""
    require_runner(actor, campaign.org)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
        if campaign.status != CampaignStatus.DRAFT:
            raise ValidationError({"status": f"只有筹备中的走访活动可以启动（现为{campaign.get_status_display()}）。"})
        campaign.status = CampaignStatus.ACTIVE
        campaign.save(update_fields=["status"])
        audit_record(
            actor=actor, action="outreach.campaign.activate", target=campaign,
            old={"status": CampaignStatus.DRAFT}, new={"status": CampaignStatus.ACTIVE}, org_path=campaign.org.path,
        )  # fmt: skip
    return campaign


def campaign_close(
    *, actor: StaffUser, campaign: Campaign, keep_pairing: bool = False, now: datetime | None = None
) -> Campaign:
    """End a campaign. Its pairing is released (cadres no longer hold its enterprises) unless `keep_pairing`:
    then the cadres keep them, for the follow-ups, until someone releases the pairing."""
    require_runner(actor, campaign.org)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("org").get(pk=campaign.pk)
        if campaign.status == CampaignStatus.CLOSED:
            raise ValidationError({"status": "走访活动已经结束。"})
        old = campaign.status
        campaign.status = CampaignStatus.CLOSED
        campaign.save(update_fields=["status"])
        audit_record(
            actor=actor, action="outreach.campaign.close", target=campaign, old={"status": old},
            new={"status": CampaignStatus.CLOSED, "keep_pairing": keep_pairing}, org_path=campaign.org.path,
        )  # fmt: skip
        if campaign.pairing_current and not keep_pairing:
            pairing_released(actor=actor, campaign=campaign, now=now)
    return campaign
