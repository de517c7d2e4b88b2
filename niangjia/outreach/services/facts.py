"""The household facts a hardship signal may set, how each is read, compared and sent as JSON.

A signal names a kind (illness, disability, job loss, a sudden event, a child starting school);
`SIGNALS` says which facts it sets to fixed values and which it takes from the cadre. The values
travel as JSON (money as text "1234.50"), so `parse` turns them back into the registry's types and
refuses, in Chinese, what the registry would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError

from niangjia.core.ranges import ADMISSION_YEAR_RANGE, DISABILITY_GRADES, MONEY_MAX
from niangjia.outreach.visit_choices import SignalKind
from niangjia.registry.choices import (
    AdmissionKind,
    DisabilityType,
    EventCause,
    Health,
    SchoolStage,
    Severity,
    WorkStatus,
)
from niangjia.registry.models import Household, HouseholdMember
from niangjia.registry.services.household_data import MEMBER_FACTS


@dataclass(frozen=True)
class Fact:
    """One fact: where it lives (a member's or the household's), its Chinese label, its type."""

    name: str
    label: str
    kind: str  # "choice", "text", "bool", "int", "money"
    member: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    bounds: tuple[int, int] | None = None
    max_length: int = 0
    event: bool = False  # describes the life event a signal records, not a standing fact of the registry


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact("health", "健康状况", "choice", choices=tuple(Health.choices)),
        Fact("major_illness", "患重大疾病", "bool"),
        Fact("illness_name", "疾病名称", "text", max_length=64),
        Fact("disability_type", "残疾类别", "choice", choices=tuple(DisabilityType.choices)),
        Fact("disability_grade", "残疾等级", "int", bounds=DISABILITY_GRADES),
        Fact("work_injury_disabled", "因工伤致残", "bool"),
        Fact("work_status", "工作状态", "choice", choices=tuple(WorkStatus.choices)),
        Fact("monthly_income", "月收入", "money"),
        Fact("school_stage", "学段", "choice", choices=tuple(SchoolStage.choices)),
        Fact("admission_year", "入学年份", "int", bounds=ADMISSION_YEAR_RANGE),
        Fact("admission_kind", "录取类别", "choice", choices=tuple(AdmissionKind.choices)),
        Fact("hardship_costs_12m", "近12个月致困损失(扣除赔偿)", "money", member=False),
        Fact(
            "event_severity",
            "事件严重程度",
            "choice",
            member=False,
            event=True,
            choices=tuple((str(value), label) for value, label in Severity.choices),
        ),
        Fact("event_cause", "事件原因", "choice", member=False, event=True, choices=tuple(EventCause.choices)),
    )
}
# What a sudden event signal records as the registry's life event (emergency relief reads events).
EVENT_FACTS = [name for name, f in FACTS.items() if f.event]


@dataclass(frozen=True)
class SignalSpec:
    """What a signal sets: fixed facts, facts the cadre must give, facts the cadre may give."""

    fixed: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    member: bool = True


SIGNALS: dict[str, SignalSpec] = {
    SignalKind.ILLNESS: SignalSpec(
        fixed={"health": Health.MAJOR_ILLNESS.value, "major_illness": True}, optional=("illness_name",)
    ),
    SignalKind.DISABILITY: SignalSpec(
        fixed={"health": Health.DISABLED.value},
        required=("disability_type",),
        optional=("disability_grade", "work_injury_disabled"),
    ),
    SignalKind.JOB_LOSS: SignalSpec(fixed={"work_status": WorkStatus.UNEMPLOYED.value}, optional=("monthly_income",)),
    SignalKind.SUDDEN_EVENT: SignalSpec(
        required=("hardship_costs_12m", "event_severity"), optional=("event_cause",), member=False
    ),
    SignalKind.SCHOOL_START: SignalSpec(
        fixed={"work_status": WorkStatus.STUDENT.value},
        required=("school_stage",),
        optional=("admission_year", "admission_kind"),
    ),
}
# The facts a phone needs to show (and send back as `base`) for each member and for the household.
MEMBER_FACT_NAMES = [name for name, f in FACTS.items() if f.member]
HOUSEHOLD_FACT_NAMES = [name for name, f in FACTS.items() if not f.member and not f.event]


def parse(name: str, raw: Any) -> Any:
    """The registry value of a fact sent as JSON; ValidationError naming the fact when it is not one."""
    fact = FACTS[name]
    error = ValidationError({"signals": f"{fact.label}的值有误。"})
    if fact.kind in ("choice", "text"):
        if raw is None:
            return ""
        if not isinstance(raw, str) or "\x00" in raw:
            raise error
        text = raw.strip()
        if fact.kind == "choice" and text and text not in dict(fact.choices):
            labels = "、".join(label for _, label in fact.choices)
            raise ValidationError({"signals": f"{fact.label}应为以下之一：{labels}。"})
        if fact.max_length and len(text) > fact.max_length:
            raise ValidationError({"signals": f"{fact.label}最多 {fact.max_length} 个字。"})
        return text
    if raw is None or raw == "":
        return None
    if fact.kind == "bool":
        if not isinstance(raw, bool):
            raise ValidationError({"signals": f"{fact.label}应为“是”或“否”。"})
        return raw
    if fact.kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValidationError({"signals": f"{fact.label}应为整数。"})
        low, high = fact.bounds or (0, 32767)
        if not low <= raw <= high:
            raise ValidationError({"signals": f"{fact.label}应在 {low} 到 {high} 之间。"})
        return raw
    try:
        amount = Decimal(str(raw)) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or not Decimal(0) <= amount <= MONEY_MAX:
        raise ValidationError({"signals": f"{fact.label}应为 0 到 {MONEY_MAX} 之间的金额（元）。"})
    return amount.quantize(Decimal("0.01"))


def as_json(value: Any) -> Any:
    """A fact's registry value as JSON (money as text with 2 decimals)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def shown(name: str, value: Any) -> str:
    """A fact's value as a person reads it (Chinese labels, ¥ for money, 未填 for nothing)."""
    fact = FACTS[name]
    if value is None or value == "":
        return "未填"
    if fact.kind == "choice":
        return dict(fact.choices).get(value, str(value))
    if fact.kind == "bool":
        return "是" if value else "否"
    if fact.kind == "money":
        return f"¥{Decimal(str(value)):,.2f}"
    return str(value)


def current(name: str, *, household: Household, member: HouseholdMember | None) -> Any:
    """The value the registry holds now for a fact of the household or of one member."""
    empty = "" if FACTS[name].kind in ("choice", "text") else None
    if FACTS[name].member:
        if member is None:
            return empty
        if name not in MEMBER_FACTS:
            return getattr(member, name)
        holder: Any = member
    else:
        holder = household
    try:
        return getattr(holder.circumstances, name)
    except ObjectDoesNotExist:
        return empty


def signal_values(kind: str, given: dict[str, Any], *, visit_year: int) -> dict[str, Any]:
    """The facts a signal proposes: its fixed facts and those the cadre gave (parsed), required ones checked."""
    spec = SIGNALS[kind]
    label = SignalKind(kind).label
    unknown = sorted(set(given) - set(spec.required) - set(spec.optional))
    if unknown:
        raise ValidationError({"signals": f"“{label}”不填写这些情况：{'、'.join(unknown)}。"})
    values = dict(spec.fixed)
    for name in (*spec.required, *spec.optional):
        if name in given:
            values[name] = parse(name, given[name])
    missing = [FACTS[n].label for n in spec.required if values.get(n) in (None, "")]
    if missing:
        raise ValidationError({"signals": f"“{label}”须填写：{'、'.join(missing)}。"})
    if kind == SignalKind.SCHOOL_START:
        values.setdefault("admission_year", visit_year)
        values.setdefault("admission_kind", AdmissionKind.REGULAR.value)
    return values


def signal_specs() -> dict[str, Any]:
    """The signals as the phone's form needs them: label, whose, the facts set and the fields to fill."""
    specs = {}
    for kind, spec in SIGNALS.items():
        fields = [
            {
                "name": name,
                "label": FACTS[name].label,
                "kind": FACTS[name].kind,
                "required": name in spec.required,
                "choices": [list(c) for c in FACTS[name].choices],
            }
            for name in (*spec.required, *spec.optional)
        ]
        sets = [n for n in (*spec.fixed, *spec.required, *spec.optional) if not FACTS[n].event]
        if kind == SignalKind.SCHOOL_START:
            sets += [n for n in ("admission_year", "admission_kind") if n not in sets]
        specs[str(kind)] = {"label": SignalKind(kind).label, "member": spec.member, "sets": sets, "fields": fields}
    return specs
