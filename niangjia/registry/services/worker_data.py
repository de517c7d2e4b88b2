"""What a worker service is given (`WorkerData`), how it is cleaned, and how it is applied to a record.

Shared by the single-record services (`workers.py`) and the bulk one (`workers_bulk.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from niangjia.core.identifiers import id_number_birth_date, id_number_sex, normalize_phone, validate_id_number
from niangjia.core.pinyin import name_initials, name_pinyin
from niangjia.registry.choices import EmploymentForm
from niangjia.registry.identity import ADDRESS, BANK_ACCOUNT, ID_NUMBER, PHONE, read_protected, set_protected
from niangjia.registry.models import Employment, Enterprise, Worker

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

    def cleaned(self, *, every_error: bool = False) -> WorkerData:
        """Return a copy with identifiers normalised and birth date and sex taken from the ID.

        Raises ValidationError at the first problem, or (`every_error`) with every bad field:
        each bad value is dropped and the rest cleaned again, so a row reports all its bad cells.
        """
        if not every_error:
            return self._cleaned()
        data, errors = self, dict[str, list[ValidationError]]()
        for _ in range(len(fields(self))):
            try:
                cleaned = data._cleaned()
            except ValidationError as error:
                found = _by_field(error)
                errors.update({k: v for k, v in found.items() if k not in errors})
                data = WorkerData(**{f.name: getattr(data, f.name) for f in fields(data)})
                for name in found:
                    setattr(data, name, "-" if name == "name" else None)
                continue
            if errors:
                raise ValidationError(errors)
            return cleaned
        raise ValidationError(errors)

    def _cleaned(self) -> WorkerData:
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


# A validator's error without a field (validate_id_number, normalize_phone) is placed by its code.
_CODE_FIELDS = {"id": "id_number", "phone": "phone"}


def _by_field(error: ValidationError) -> dict[str, list[ValidationError]]:
    if hasattr(error, "error_dict"):
        return dict(error.error_dict)
    code = (error.error_list[0].code or "") if error.error_list else ""
    return {_CODE_FIELDS.get(code.split("_")[0], "name"): error.error_list}


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


class WorkerRegisteredElsewhere(ValidationError):
    """The ID number belongs to a worker another union holds; the answer offers a transfer request."""


def registered_elsewhere() -> WorkerRegisteredElsewhere:
    """The answer to a number another union holds (what is disclosed, and when, is the caller's to decide)."""
    return WorkerRegisteredElsewhere(
        {
            "id_number": "该身份证号的职工已由其他工会登记。如其已到本单位工作，请提交调动申请，"
            "原负责工会确认后即转入本单位；如号码有误，请核对身份证。"
        },
        code="registered_elsewhere",
    )
