"""Recording many visits at once (the demo, a later import): the same checks as `visit_record`, bulk writes.

Only visits without needs and signals go this way: a need is a ticket and a signal a change of
household facts, each written by its own part's service, so such visits go through `visit_record`
one by one. Every row is checked as the single service checks it (scope, campaign, dates, ranges);
a client id already recorded is skipped; the good rows are inserted in a few statements with one
audit entry per visit, all in one transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core.audit import audit_entry, audit_records
from niangjia.core.scoping import Action, allows, require_action, restrict
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.outreach.listeners import home_visits_notify
from niangjia.outreach.models import Pairing, Visit
from niangjia.outreach.services.visits import VisitData, campaign_open_to, visit_check, visit_rules
from niangjia.registry.models import Enterprise, Household

BATCH = 1000


@dataclass
class VisitRow:
    """One visit of a bulk recording: who recorded it, the phone's client id, what it holds."""

    actor: StaffUser
    client_id: uuid.UUID
    data: VisitData


def visits_bulk_record(*, rows: Sequence[VisitRow]) -> int:
    """Record visits without needs or signals in bulk; return how many were created (known client ids skipped)."""
    for row in rows:
        if row.data.needs or row.data.signals:
            raise ValidationError({"needs": "有需求或困难情况的走访须逐条记录（visit_record）。"})
        require_action(row.actor, Action.CHANGE)
    known = set(Visit.objects.filter(client_id__in=[r.client_id for r in rows]).values_list("client_id", flat=True))
    fresh = [r for r in rows if r.client_id not in known]
    _check(fresh)
    seen = _visited(fresh)
    visits = []
    for row in sorted(fresh, key=lambda r: (r.data.date, r.data.recorded_at or r.data.date)):
        data = row.data
        target = data.enterprise or data.household
        assert target is not None
        key = ("e", target.pk) if data.enterprise is not None else ("h", target.pk)
        visit = Visit(
            client_id=row.client_id, campaign=data.campaign, kind=data.kind, date=data.date,
            enterprise=data.enterprise, household=data.household, org_id=target.org_id, recorded_by=row.actor,
            people_met=data.people_met, people_notes=data.people_notes.strip(), lat=data.lat, lng=data.lng,
            basic_clear=data.basic_clear, hardship_clear=data.hardship_clear, aid_clear=data.aid_clear,
            follow_up=key in seen, satisfaction=data.satisfaction, notes=data.notes.strip(),
            recorded_at=data.recorded_at or timezone.now(),
        )  # fmt: skip
        # The constraints are visit_rules' checks (Django would test each with a query).
        visit.full_clean(
            exclude=["client_id", "campaign", "enterprise", "household", "org", "recorded_by"],
            validate_constraints=False,
        )
        seen.add(key)
        visits.append((visit, row))
    paths = dict(UnionOrg.objects.filter(pk__in={v.org_id for v, _ in visits}).values_list("pk", "path"))
    with transaction.atomic():
        Visit.objects.bulk_create([v for v, _ in visits], batch_size=BATCH)
        through = Visit.cadres.through
        links = [
            through(visit_id=visit.pk, staffuser_id=cadre.pk)
            for visit, row in visits
            for cadre in {c.pk: c for c in [row.actor, *row.data.companions]}.values()
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        audit_records(
            audit_entry(
                actor=row.actor,
                action="outreach.visit.record",
                target=visit,
                org_path=paths[visit.org_id],
                new={
                    "kind": visit.kind,
                    "campaign": visit.campaign_id,
                    "target": visit.enterprise_id or visit.household_id,
                    "tickets": "",
                    "signals": 0,
                    "conflicts": 0,
                },
            )
            for visit, row in visits
        )
        home_visits_notify([visit for visit, _ in visits])
    return len(visits)


def _check(rows: Sequence[VisitRow]) -> None:
    """The single service's checks, with one scope query per recorder and kind of target instead of one per row."""
    by_actor: dict[int, list[VisitRow]] = defaultdict(list)
    for row in rows:
        if row.data.companions:
            visit_check(row.actor, row.data)
            continue
        visit_rules(row.data)
        by_actor[row.actor.pk].append(row)
    campaigns = {r.data.campaign.pk: r.data.campaign for r in rows}
    paired: dict[int, set[int]] = defaultdict(set)
    for campaign_id, cadre_id in Pairing.objects.filter(campaign__in=campaigns).values_list("campaign_id", "cadre_id"):
        paired[campaign_id].add(cadre_id)
    cadres = [g[0].actor for g in by_actor.values() if g[0].actor.role == "cadre" and allows(g[0].actor, Action.CHANGE)]
    assigned = {model: _assigned(model, cadres, rows) for model in (Enterprise, Household)}
    for group in by_actor.values():
        actor = group[0].actor
        for campaign in {r.data.campaign.pk: r.data.campaign for r in group}.values():
            if not campaign_open_to(actor=actor, campaign=campaign, paired=paired[campaign.pk]):
                raise PermissionDenied("您未参加该走访活动，不能记录它的走访。")
        for model, field in ((Enterprise, "enterprise"), (Household, "household")):
            wanted = {getattr(r.data, field).pk for r in group if getattr(r.data, field) is not None}
            if not wanted:
                continue
            if actor in cadres:
                allowed = {pk for pk, cadre in assigned[model] if cadre == actor.pk}
            else:
                allowed = set(
                    restrict(model.objects.filter(pk__in=wanted), actor, Action.CHANGE).values_list("pk", flat=True)
                )
            if wanted - allowed:
                raise PermissionDenied("无权修改该记录：超出您所在组织的管辖范围或角色权限。")


def _assigned(
    model: type[Enterprise | Household], cadres: list[StaffUser], rows: Sequence[VisitRow]
) -> set[tuple[int, int]]:
    """(record, cadre) for the rows' targets assigned to the cadres: the chokepoint's cadre rule, for all at once.

    `scope_q` gives a cadre what the model's `ScopeSpec.cadre` lookup reaches from them; this asks the
    same lookup for many cadres in one query.
    """
    field = "enterprise" if model is Enterprise else "household"
    ids = {getattr(r.data, field).pk for r in rows if getattr(r.data, field) is not None}
    if not ids or not cadres:
        return set()
    lookup = model.scope.cadre
    assert lookup is not None
    found = model.objects.filter(pk__in=ids, **{f"{lookup}__in": [c.pk for c in cadres]}).values_list("pk", lookup)
    return set(found.distinct())


def _visited(rows: Sequence[VisitRow]) -> set[tuple[str, int]]:
    """The targets already visited in their campaigns before this batch (for `follow_up`)."""
    campaigns = {r.data.campaign.pk for r in rows}
    enterprises = {r.data.enterprise.pk for r in rows if r.data.enterprise is not None}
    households = {r.data.household.pk for r in rows if r.data.household is not None}
    found: set[tuple[str, int]] = set()
    earlier = Visit.objects.filter(campaign__in=campaigns)
    found |= {("e", pk) for pk in earlier.filter(enterprise__in=enterprises).values_list("enterprise_id", flat=True)}
    found |= {("h", pk) for pk in earlier.filter(household__in=households).values_list("household_id", flat=True)}
    return found
