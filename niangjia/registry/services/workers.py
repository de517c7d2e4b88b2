"""Worker services: one person, one record.

Registering an ID number that is already on file updates that person (and
records what changed) instead of creating a second record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from niangjia.core.audit import audit_record
from niangjia.core.disclosure import disclosure_check
from niangjia.core.identifiers import (
    id_number_birth_date,
    id_number_sex,
    mask_id_number,
    normalize_phone,
    validate_id_number,
)
from niangjia.core.pinyin import name_initials, name_pinyin
from niangjia.core.scoping import Action, can, require
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.registry.choices import EmploymentForm
from niangjia.registry.identity import ADDRESS, BANK_ACCOUNT, ID_NUMBER, PHONE, id_digest, read_protected, set_protected
from niangjia.registry.models import Employment, Enterprise, Household, HouseholdMember, Worker

PLAIN_FIELDS = [
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "union_member",
    "member_since",
    "is_migrant",
    "lives_in_city",
    "mutual_aid_year",
]
PROTECTED = {"id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS, "bank_account": BANK_ACCOUNT}


@dataclass
class WorkerData:
    """What is known of a worker; None means "not given" (an update leaves it alone)."""

    name: str
    id_number: str | None = None
    phone: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    address: str | None = None
    bank_account: str | None = None
    union_member: bool | None = None
    member_since: date | None = None
    is_migrant: bool | None = None
    lives_in_city: bool | None = None
    mutual_aid_year: int | None = None
    enterprise: Enterprise | None = None
    post: str | None = None
    form: str | None = None
    start_date: date | None = None
    contract_months: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def cleaned(self) -> WorkerData:
        """Return a copy with identifiers normalised and birth date and sex taken from the ID."""
        data = WorkerData(**{f.name: getattr(self, f.name) for f in fields(self)})
        data.name = (data.name or "").strip()
        if not data.name:
            raise ValidationError({"name": "姓名不能为空。"})
        if data.id_number:
            data.id_number = validate_id_number(data.id_number)
            born, sex = id_number_birth_date(data.id_number), id_number_sex(data.id_number)
            if data.birth_date and data.birth_date != born:
                raise ValidationError({"birth_date": f"出生日期 {data.birth_date} 与身份证号中的 {born} 不一致。"})
            if data.sex and data.sex != sex:
                raise ValidationError({"sex": "性别与身份证号第17位不一致。"})
            data.birth_date, data.sex = born, sex
        if data.phone:
            data.phone = normalize_phone(data.phone)
        if data.form and data.form not in EmploymentForm.values:
            raise ValidationError({"form": f"未知用工形式：{data.form}"})
        _check_ranges(data)
        return data


_RANGED = {
    "birth_date": Worker,
    "member_since": Worker,
    "mutual_aid_year": Worker,
    "start_date": Employment,
    "contract_months": Employment,
}


def _check_ranges(data: WorkerData) -> None:
    """Refuse dates and numbers outside their fields' ranges before anything is written."""
    errors: dict[str, list[str]] = {}
    for name, model in _RANGED.items():
        value = getattr(data, name)
        if value is not None:
            field = model._meta.get_field(name)
            try:
                if isinstance(field, models.Field):
                    field.clean(value, None)
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def worker_apply_data(worker: Worker, data: WorkerData) -> dict[str, tuple[Any, Any]]:
    """Set the given fields on `worker`; return {field: (old, new)} of what changed (identifiers masked)."""
    changes: dict[str, tuple[Any, Any]] = {}
    if worker.name != data.name:
        changes["name"] = (worker.name, data.name)
        worker.name = data.name
        worker.name_initials, worker.name_pinyin = name_initials(data.name), name_pinyin(data.name)
    for name in PLAIN_FIELDS[1:]:
        value = getattr(data, name)
        if value is not None and getattr(worker, name) != value:
            changes[name] = (getattr(worker, name), value)
            setattr(worker, name, value)
    for name, spec in PROTECTED.items():
        value = getattr(data, name)
        if value is None:
            continue
        current = read_protected(worker, spec) if getattr(worker, f"{name}_enc") else ""
        if current != value:
            old_masked = getattr(worker, f"{name}_masked")
            set_protected(worker, spec, value)
            changes[name] = (old_masked, getattr(worker, f"{name}_masked"))
    return changes


def worker_register(
    *, actor: StaffUser | None, data: WorkerData, org: UnionOrg | None = None
) -> tuple[Worker, bool, dict[str, tuple[Any, Any]]]:
    """Register a worker, or update the one already on file with the same ID number.

    Returns (worker, created, changes). The responsible union is the enterprise's,
    else `org`.
    """
    data = data.cleaned()
    owner = data.enterprise.org if data.enterprise is not None else org
    if actor is not None and owner is not None:
        # Checked before the ID number is looked up: a refusal says nothing about who is on file.
        # At an enterprise, whoever may change the enterprise may register its workers (a cadre
        # at their paired enterprise too); without one, the actor needs the union organization.
        require(actor, Action.CHANGE, data.enterprise if data.enterprise is not None else owner)
    existing = Worker.objects.filter(id_number_hash=id_digest(data.id_number)).first() if data.id_number else None
    if existing is not None and actor is not None and not can(actor, Action.CHANGE, existing):
        if owner is None:
            existing = None  # answered as for a number not on file: the owner is missing
        else:
            worker_found_elsewhere(actor=actor, data=data)
    if existing is not None:
        worker, changes = _update(actor=actor, worker=existing, data=data)
        return worker, False, changes
    if owner is None:
        raise ValidationError({"enterprise": "请指定所在企业或负责工会。"})
    with transaction.atomic():
        worker = Worker(org=owner, name="")
        changes = worker_apply_data(worker, data)
        worker.full_clean()
        worker.save()
        if data.enterprise is not None:
            _ensure_employment(worker, data, changes)
        audit_record(
            actor=actor, action="registry.worker.create", target=worker, new={k: v[1] for k, v in changes.items()}
        )
    return worker, True, changes


class WorkerRegisteredElsewhere(ValidationError):
    """The ID number belongs to a worker another union holds; the answer offers a transfer request."""


def worker_found_elsewhere(*, actor: StaffUser, data: WorkerData) -> NoReturn:
    """Tell `actor` that the ID number is registered by another union: a disclosure, budgeted and audited.

    Only roles that may register workers get here (the role and the target were checked first),
    and only as often as the hourly disclosure budget allows; everyone else gets the answer they
    would get for a number not on file.
    """
    disclosure_check(actor=actor)
    masked = mask_id_number(data.id_number or "")
    with transaction.atomic():
        audit_record(
            actor=actor, action="registry.worker.found_elsewhere", target_label=f"{data.name}（{masked}）",
            new={"id_number": masked, "enterprise": str(data.enterprise or "")},
        )  # fmt: skip
    raise WorkerRegisteredElsewhere(
        {
            "id_number": "该身份证号的职工已由其他工会登记。如其已到本单位工作，请提交调动申请，"
            "原负责工会确认后即转入本单位；如号码有误，请核对身份证。"
        },
        code="registered_elsewhere",
    )


def worker_update(
    *, actor: StaffUser | None, worker: Worker, data: WorkerData
) -> tuple[Worker, dict[str, tuple[Any, Any]]]:
    """Change a worker's data; fields left None are kept. Returns the worker and what changed."""
    data = data.cleaned()
    if data.id_number and worker.id_number_hash and worker.id_number_hash != id_digest(data.id_number):
        other = Worker.objects.filter(id_number_hash=id_digest(data.id_number)).exclude(pk=worker.pk).first()
        if other is not None and actor is not None and not can(actor, Action.CHANGE, other):
            require(actor, Action.CHANGE, worker)  # before anything is said about the number
            worker_found_elsewhere(actor=actor, data=data)
        if other is not None:
            raise ValidationError({"id_number": "该身份证号已属于另一名职工；如为同一人，请使用“合并”。"})
    return _update(actor=actor, worker=worker, data=data)


def _update(*, actor: StaffUser | None, worker: Worker, data: WorkerData) -> tuple[Worker, dict[str, tuple[Any, Any]]]:
    if actor is not None:
        require(actor, Action.CHANGE, worker)
        if data.enterprise is not None:
            require(actor, Action.CHANGE, data.enterprise)
    with transaction.atomic():
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        changes = worker_apply_data(worker, data)
        if data.enterprise is not None:
            _ensure_employment(worker, data, changes)
        if not changes:
            return worker, changes
        worker.full_clean(exclude=["id_number_hash"])
        worker.save()
        _mark_household_changed(worker)
        audit_record(
            actor=actor,
            action="registry.worker.change",
            target=worker,
            old={k: v[0] for k, v in changes.items()},
            new={k: v[1] for k, v in changes.items()},
        )
    return worker, changes


def _ensure_employment(worker: Worker, data: WorkerData, changes: dict[str, tuple[Any, Any]]) -> None:
    assert data.enterprise is not None
    current = Employment.objects.filter(worker=worker, enterprise=data.enterprise, end_date__isnull=True).first()
    if current is None:
        employment = Employment(
            worker=worker,
            enterprise=data.enterprise,
            post=data.post or "",
            form=data.form or EmploymentForm.STANDARD,
            start_date=data.start_date,
            contract_months=data.contract_months,
        )
        employment.full_clean()  # ranges (contract months, dates); the caller's transaction rolls back
        employment.save()
        changes["employment"] = ("", data.enterprise.name)
        return
    for name in ("post", "form", "start_date", "contract_months"):
        value = getattr(data, name)
        if value is not None and getattr(current, name) != value:
            changes[f"employment.{name}"] = (getattr(current, name), value)
            setattr(current, name, value)
    current.full_clean()
    current.save()


def _mark_household_changed(worker: Worker) -> None:
    Household.objects.filter(members__worker=worker).update(facts_changed_at=timezone.now())


def worker_merge(*, actor: StaffUser, keep: Worker, duplicate: Worker) -> Worker:
    """Merge a duplicate record (entered without an ID number) into `keep`.

    Employments and household membership move to `keep`; identifiers missing on
    `keep` are taken from the duplicate; the duplicate stays, marked merged.
    """
    require(actor, Action.CHANGE, keep)
    require(actor, Action.CHANGE, duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError("不能把一条记录合并到它自己。")
    if duplicate.merged_into_id:
        raise ValidationError("该记录已经合并过。")
    if keep.id_number_hash and duplicate.id_number_hash and keep.id_number_hash != duplicate.id_number_hash:
        raise ValidationError("两条记录的身份证号不同，不是同一人，不能合并。")
    with transaction.atomic():
        keep = Worker.objects.select_for_update().get(pk=keep.pk)
        duplicate = Worker.objects.select_for_update().get(pk=duplicate.pk)
        moved = Employment.objects.filter(worker=duplicate).update(worker=keep)
        for name, spec in PROTECTED.items():
            if not getattr(keep, f"{name}_enc") and getattr(duplicate, f"{name}_enc"):
                value = read_protected(duplicate, spec)
                set_protected(duplicate, spec, "")
                if name == "id_number":
                    # Free the unique hash before `keep` takes it.
                    duplicate.save(
                        update_fields=["id_number_enc", "id_number_masked", "id_number_hash", "id_tail_hash"]
                    )
                set_protected(keep, spec, value)
        membership = HouseholdMember.objects.filter(worker=duplicate).first()
        if membership is not None and not HouseholdMember.objects.filter(worker=keep).exists():
            membership.worker = keep
            membership.save(update_fields=["worker"])
        duplicate.merged_into = keep
        duplicate.save()
        keep.save()
        audit_record(
            actor=actor,
            action="registry.worker.merge",
            target=keep,
            old={"duplicate": duplicate.pk},
            new={"employments_moved": moved},
        )
    return keep
