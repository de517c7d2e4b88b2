"""Enterprise services: register (one or many), change, assign a cadre, replace cadres' assignments.

`enterprise_create`, `enterprise_update` and `enterprise_bulk_register` share their steps:
`_cleaned` (identifiers normalised, nulls refused), `_plan_new` / `_plan_change`, and `_write`
(the rows and one audit entry per created or changed enterprise, in bulk).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from niangjia.core.audit import audit_entry, audit_record, audit_records
from niangjia.core.identifiers import normalize_phone, validate_uscc
from niangjia.core.inserting import insert_records
from niangjia.core.roles import Role
from niangjia.core.scoping import Action, require, restrict
from niangjia.orgs.models import Area, StaffUser, UnionOrg
from niangjia.registry.models import Enterprise, EnterpriseAssignment
from niangjia.registry.services.bulk import (
    BATCH_SIZE,
    NEW,
    UNCHANGED,
    UNSET,
    UPDATED,
    BulkOutcome,
    RowOutcome,
    Unset,
    given,
)

# Checked on the rows of a bulk registration (the keys come from scoped lookups).
_FOREIGN_KEYS = ["org", "area", "union"]


@dataclass
class EnterpriseData:
    """What is given of an enterprise; UNSET fields are left alone (and take defaults when new)."""

    name: str | Unset = UNSET
    uscc: str | Unset | None = UNSET
    ownership: str | Unset = UNSET
    size_class: str | Unset = UNSET
    is_platform: bool | Unset = UNSET
    industry: str | Unset = UNSET
    area: Area | Unset = UNSET
    address: str | Unset = UNSET
    lng: Decimal | Unset | None = UNSET
    lat: Decimal | Unset | None = UNSET
    contact_name: str | Unset = UNSET
    contact_phone: str | Unset = UNSET
    employee_count: int | Unset | None = UNSET
    status: str | Unset = UNSET
    # The owning union: where a new enterprise goes; given to `enterprise_update`, it moves the enterprise.
    org: UnionOrg | Unset = UNSET
    union: UnionOrg | Unset | None = UNSET


def _cleaned(data: EnterpriseData, *, uscc: str | None = None) -> dict[str, Any]:
    """The given values, identifiers normalised; None in a NOT NULL column refused."""
    cleaned = {"uscc": uscc, **given(data)}
    # full_clean() lets None through on blank fields; the database would refuse it with a 500.
    nulls = {name: "不能为空值（null）。" for name, v in cleaned.items() if v is None and _not_null(name)}
    if nulls:
        raise ValidationError(nulls)
    cleaned["uscc"] = validate_uscc(cleaned["uscc"]) if cleaned.get("uscc") else None
    if cleaned.get("contact_phone"):
        cleaned["contact_phone"] = normalize_phone(cleaned["contact_phone"])
    return cleaned


def _not_null(name: str) -> bool:
    field = Enterprise._meta.get_field(name)
    return isinstance(field, models.Field) and not field.null and not field.is_relation


def _plan_new(org: UnionOrg, values: dict[str, Any]) -> Enterprise:
    return Enterprise(**{**values, "org": org})


def _plan_change(enterprise: Enterprise, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the values on `enterprise`; return (old, new) of what changed."""
    old = {name: getattr(enterprise, name) for name in values}
    changed = {name: value for name, value in values.items() if old[name] != value}
    for name, value in changed.items():
        setattr(enterprise, name, value)
    return {name: old[name] for name in changed}, changed


def _write(
    *,
    actor: StaffUser | None,
    created: list[Enterprise],
    changed: list[tuple[Enterprise, dict[str, Any], dict[str, Any]]],
) -> None:
    """Insert the new enterprises, save the changed ones, and audit each in bulk."""
    insert_records(created)
    now = timezone.now()
    columns: set[str] = {"updated_at"}
    for enterprise, new, _ in changed:
        enterprise.updated_at = now
        columns.update(new)
    if changed:
        Enterprise.objects.bulk_update([e for e, _, _ in changed], sorted(columns), batch_size=BATCH_SIZE)
    audit_records(
        [audit_entry(actor=actor, action="registry.enterprise.create", target=e, new={"name": e.name}) for e in created]
        + [
            audit_entry(actor=actor, action="registry.enterprise.change", target=e, old=old, new=new)
            for e, new, old in changed
        ]
    )


def enterprise_create(*, actor: StaffUser | None, org: UnionOrg, data: EnterpriseData) -> Enterprise:
    """Register an enterprise under the union organization `org`."""
    if actor is not None:
        require(actor, Action.CHANGE, org)
    values = _cleaned(data)
    values.pop("org", None)
    enterprise = _plan_new(org, values)
    enterprise.full_clean()
    with transaction.atomic():
        _write(actor=actor, created=[enterprise], changed=[])
    return enterprise


def enterprise_update(*, actor: StaffUser, enterprise: Enterprise, data: EnterpriseData) -> Enterprise:
    """Change an enterprise's given fields, recording old and new values."""
    require(actor, Action.CHANGE, enterprise)
    if isinstance(data.org, UnionOrg):
        require(actor, Action.CHANGE, data.org)
    old, new = _plan_change(enterprise, _cleaned(data, uscc=enterprise.uscc))
    enterprise.full_clean()
    if new:
        with transaction.atomic():
            _write(actor=actor, created=[], changed=[(enterprise, new, old)])
    return enterprise


def enterprise_bulk_register(
    *, actor: StaffUser | None, rows: Sequence[EnterpriseData], write: bool = True
) -> BulkOutcome[Enterprise]:
    """Register each row's enterprise under its `org`, or change the one on file with its USCC.

    An enterprise on file keeps its owning union (a row's `org` is for new ones); one the actor may
    not change is refused. Scope costs two queries for all the rows; each record is validated as
    `full_clean` would (its foreign keys and uniqueness come from the lookups here).
    """
    outcomes: list[RowOutcome[Enterprise]] = [RowOutcome() for _ in rows]
    values = [_row_values(data, outcome) for data, outcome in zip(rows, outcomes, strict=True)]
    existing, allowed = _existing(actor, values, outcomes)
    orgs = _changeable_orgs(actor, [v["org"] for v in values if v and v.get("org") is not None])
    created: list[Enterprise] = []
    changed: list[tuple[Enterprise, dict[str, Any], dict[str, Any]]] = []
    for row, outcome in zip(values, outcomes, strict=True):
        if row is None or not outcome.ok:
            continue
        found = existing.get(row["uscc"]) if row["uscc"] else None
        org = row.pop("org", None)
        if found is not None:
            _plan_existing(found, row, allowed, outcome, changed)
        elif org is None:
            outcome.refuse(ValidationError({"org": ValidationError("请指定负责工会。", code="owner_missing")}))
        elif org.pk not in orgs:
            outcome.refuse(PermissionDenied(f"无权在“{org.name}”名下登记企业。"))
        else:
            enterprise = _plan_new(org, row)
            if _valid(enterprise, outcome):
                outcome.status, outcome.record = NEW, enterprise
                created.append(enterprise)
    if write:
        with transaction.atomic():
            _write(actor=actor, created=created, changed=changed)
    return BulkOutcome(outcomes)


def _row_values(data: EnterpriseData, outcome: RowOutcome[Enterprise]) -> dict[str, Any] | None:
    try:
        return _cleaned(data)
    except ValidationError as error:
        outcome.refuse(error)
        return None


def _existing(
    actor: StaffUser | None, rows: list[dict[str, Any] | None], outcomes: list[RowOutcome[Enterprise]]
) -> tuple[dict[str, Enterprise], set[int]]:
    seen: set[str] = set()
    for row, outcome in zip(rows, outcomes, strict=True):
        if row and row["uscc"]:
            if row["uscc"] in seen:
                outcome.refuse(ValidationError({"uscc": "同一统一社会信用代码在本次登记中出现了两次。"}))
            seen.add(row["uscc"])
    if not seen:
        return {}, set()
    found = Enterprise.objects.filter(uscc__in=sorted(seen))
    existing = {e.uscc or "": e for e in found}
    queryset = Enterprise.objects.filter(pk__in=[e.pk for e in existing.values()])
    if actor is not None:
        queryset = restrict(queryset, actor, Action.CHANGE)
    return existing, set(queryset.values_list("pk", flat=True))


def _changeable_orgs(actor: StaffUser | None, orgs: list[UnionOrg]) -> set[int]:
    queryset = UnionOrg.objects.filter(pk__in={org.pk for org in orgs})
    if actor is not None:
        queryset = restrict(queryset, actor, Action.CHANGE)
    return set(queryset.values_list("pk", flat=True)) if orgs else set()


def _plan_existing(
    enterprise: Enterprise,
    row: dict[str, Any],
    allowed: set[int],
    outcome: RowOutcome[Enterprise],
    changed: list[tuple[Enterprise, dict[str, Any], dict[str, Any]]],
) -> None:
    if enterprise.pk not in allowed:
        outcome.refuse(PermissionDenied("该企业已由其他工会登记，超出您的管辖范围，不能修改。请联系上级工会。"))
        return
    old, new = _plan_change(enterprise, row)
    outcome.record = enterprise
    outcome.changes = {name: (old[name], value) for name, value in new.items()}
    if not new:
        outcome.status = UNCHANGED
    elif _valid(enterprise, outcome):
        outcome.status = UPDATED
        changed.append((enterprise, new, old))


def _valid(enterprise: Enterprise, outcome: RowOutcome[Enterprise]) -> bool:
    try:
        enterprise.full_clean(exclude=_FOREIGN_KEYS, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        outcome.refuse(error)
        return False
    return True


def enterprise_assign(
    *, actor: StaffUser | None, enterprise: Enterprise, cadre: StaffUser, since: date | None = None
) -> None:
    """Make `cadre` responsible for `enterprise` (一人一企); idempotent."""
    if actor is not None:
        require(actor, Action.CHANGE, enterprise)
    if cadre.role != Role.CADRE:
        raise ValidationError({"cadre": "只能指定工会干部为联系干部。"})
    if (
        actor is not None
        and cadre.org is not None
        and not (actor.is_superuser or (actor.org is not None and actor.org.contains(cadre.org)))
    ):
        raise PermissionDenied("只能指定本组织及下属组织的工会干部。")
    with transaction.atomic():
        _, created = EnterpriseAssignment.objects.get_or_create(
            enterprise=enterprise, cadre=cadre, defaults={"since": since or timezone.localdate()}
        )
        if created:
            audit_record(
                actor=actor, action="registry.enterprise.assign", target=enterprise, new={"cadre": cadre.username}
            )


# A chunk of ids in one IN (…): SQLite allows 999 parameters per statement.
_IN_CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield list(ids[start : start + _IN_CHUNK])


def enterprise_assignments_replace(
    *, cadre_ids: Iterable[int], pairs: Iterable[tuple[int, int]], since: date, actor: StaffUser | None
) -> tuple[int, int]:
    """Make the enterprise assignments of `cadre_ids` exactly `pairs` ((cadre id, enterprise id)); return
    (added, removed).

    Outreach calls it when a campaign's 一人一企 pairing is published or changed, so that each cadre's scope
    is the enterprises they are paired with. Assignments that stay keep their `since`. Other cadres'
    assignments are untouched. One transaction; one audit entry per enterprise whose cadres changed (the
    cadres' usernames before and after). The actor (None for the system) must be allowed to change every
    cadre and enterprise whose assignment is added or removed.
    """
    cadres = sorted(set(cadre_ids))
    wanted = set(pairs)
    stray = {cadre for cadre, _ in wanted} - set(cadres)
    if stray:
        raise ValidationError({"pairs": f"结对中有 {len(stray)} 名干部不在本次替换的干部之列。"})
    users = {
        u.pk: u for c in _chunks(cadres) for u in StaffUser.objects.filter(pk__in=c).only("pk", "username", "role")
    }
    if len(users) != len(cadres) or any(u.role != Role.CADRE for u in users.values()):
        raise ValidationError({"cadre_ids": "只能为在册的工会干部指定联系企业。"})
    with transaction.atomic():
        existing = {
            (cadre, enterprise): pk
            for chunk in _chunks(cadres)
            for pk, cadre, enterprise in EnterpriseAssignment.objects.filter(cadre_id__in=chunk).values_list(
                "pk", "cadre_id", "enterprise_id"
            )
        }
        added = sorted(wanted - existing.keys())
        removed = sorted(existing.keys() - wanted)
        touched = sorted({enterprise for _, enterprise in [*added, *removed]})
        _check_assigner(actor, sorted({cadre for cadre, _ in [*added, *removed]}), touched)
        before = _cadres_by_enterprise(touched)
        for chunk in _chunks([existing[pair] for pair in removed]):
            EnterpriseAssignment.objects.filter(pk__in=chunk).delete()
        EnterpriseAssignment.objects.bulk_create(
            [
                EnterpriseAssignment(cadre_id=cadre, enterprise_id=enterprise, since=since)
                for cadre, enterprise in added
            ],
            batch_size=BATCH_SIZE,
        )
        after = _cadres_by_enterprise(touched)
        audit_records(_assignment_entries(actor, touched, before, after))
    return len(added), len(removed)


def _check_assigner(actor: StaffUser | None, cadres: list[int], enterprises: list[int]) -> None:
    """Refuse unless the actor may change every cadre (staff of their subtree) and every enterprise named."""
    if actor is None:
        return
    for ids, model, what in ((cadres, StaffUser, "干部"), (enterprises, Enterprise, "企业")):
        allowed = sum(
            restrict(model._default_manager.filter(pk__in=c), actor, Action.CHANGE).count() for c in _chunks(ids)
        )
        if allowed != len(ids):
            raise PermissionDenied(f"有{what}超出您的管辖范围，不能调整联系干部。")


def _cadres_by_enterprise(enterprises: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for chunk in _chunks(enterprises):
        rows = EnterpriseAssignment.objects.filter(enterprise_id__in=chunk).values_list(
            "enterprise_id", "cadre__username"
        )
        for enterprise, username in rows:
            found.setdefault(enterprise, []).append(username)
    return {enterprise: sorted(names) for enterprise, names in found.items()}


def _assignment_entries(
    actor: StaffUser | None, enterprises: list[int], before: dict[int, list[str]], after: dict[int, list[str]]
) -> list[Any]:
    entries = []
    for chunk in _chunks(enterprises):
        for pk, name, path in Enterprise.objects.filter(pk__in=chunk).values_list("pk", "name", "org__path"):
            old, new = before.get(pk, []), after.get(pk, [])
            if old != new:
                entries.append(
                    audit_entry(
                        actor=actor,
                        action="registry.enterprise.assign",
                        target=Enterprise(pk=pk, name=name),
                        old={"cadres": "、".join(old)},
                        new={"cadres": "、".join(new)},
                        org_path=path,
                    )
                )
    return entries
