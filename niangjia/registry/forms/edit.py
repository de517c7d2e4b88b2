"""Forms that change the registry: registering a worker, a household's and a member's facts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from niangjia.core.ranges import ADMISSION_YEAR_RANGE, DATE_MAX, DATE_MIN, MONEY_MAX
from niangjia.orgs.models import Area
from niangjia.registry.choices import EmploymentForm, Health, Relation, SchoolStage, WorkStatus
from niangjia.registry.models import Enterprise, HouseholdCircumstances, HouseholdMember, MemberCircumstances
from niangjia.registry.services import WorkerData
from niangjia.registry.services.households import HOUSEHOLD_FACTS, MEMBER_FACTS

DATE = forms.DateInput(attrs={"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})
TRI = [("", "未知"), ("1", "是"), ("0", "否")]


class TriBoolean(forms.TypedChoiceField):
    """是 / 否 / 未知 — unknown stays unknown (None), which the rules engine treats as missing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=TRI, coerce=lambda v: v == "1", empty_value=None, required=False, **kwargs)


class WorkerRegisterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self.fields)

    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(label="身份证号", max_length=32, required=False)
    phone = forms.CharField(label="手机号", max_length=32, required=False)
    form = forms.ChoiceField(label="用工形式", choices=EmploymentForm.choices, initial=EmploymentForm.STANDARD)
    post = forms.CharField(label="岗位", max_length=64, required=False)
    start_date = forms.DateField(label="入职日期", required=False, widget=DATE)
    union_member = forms.BooleanField(label="工会会员", required=False, initial=True)
    member_since = forms.DateField(label="入会日期", required=False, widget=DATE)
    is_migrant = forms.BooleanField(label="农民工", required=False)

    def worker_data(self, enterprise: Enterprise) -> WorkerData:
        """The cleaned form as the worker services' typed data, for a job at `enterprise`."""
        data = self.cleaned_data
        return WorkerData(
            name=data["name"], id_number=data["id_number"], phone=data["phone"], enterprise=enterprise,
            form=data["form"], post=data["post"], start_date=data["start_date"], union_member=data["union_member"],
            member_since=data["member_since"], is_migrant=data["is_migrant"],
        )  # fmt: skip


def styled(fields: dict[str, forms.Field]) -> None:
    """Give the widgets Bootstrap's classes."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def money(label: str) -> forms.DecimalField:
    """An amount in yuan, 0..MONEY_MAX (the models' range; empty means unknown)."""
    return forms.DecimalField(label=label, required=False, min_value=0, max_value=MONEY_MAX, decimal_places=2)


def admission_year() -> forms.IntegerField:
    return forms.IntegerField(
        label="入学年份", required=False, min_value=ADMISSION_YEAR_RANGE[0], max_value=ADMISSION_YEAR_RANGE[1]
    )


def _tri_fields(model: type, names: list[str]) -> dict[str, forms.Field]:
    """Tri-state booleans and ranged money fields in place of the model's defaults."""
    out: dict[str, forms.Field] = {}
    for name in names:
        field = model._meta.get_field(name)  # type: ignore[attr-defined]
        if field.get_internal_type() == "BooleanField":
            out[name] = TriBoolean(label=field.verbose_name)
        elif field.get_internal_type() == "DecimalField":
            out[name] = money(str(field.verbose_name))
    return out


class HouseholdFactsForm(forms.Form):
    """The household's economic facts; an empty field means "unknown", not zero."""

    def __init__(self, data: Any = None, *, circumstances: HouseholdCircumstances) -> None:
        initial = {name: getattr(circumstances, name) for name in HOUSEHOLD_FACTS}
        super().__init__(data, initial=_tri_initial(initial))
        self.fields.update(forms.fields_for_model(HouseholdCircumstances, fields=HOUSEHOLD_FACTS))
        self.fields.update(_tri_fields(HouseholdCircumstances, HOUSEHOLD_FACTS))
        styled(self.fields)


def _tri_initial(initial: dict[str, Any]) -> dict[str, Any]:
    return {
        name: ("" if value is None else ("1" if value else "0")) if isinstance(value, bool) or value is None else value
        for name, value in initial.items()
    }


class MemberFactsForm(forms.Form):
    """A member's work, school, income and health."""

    work_status = forms.ChoiceField(label="工作状态", required=False)
    able_to_work = TriBoolean(label="有劳动能力")
    school_stage = forms.ChoiceField(label="学段", required=False)
    admission_year = admission_year()
    monthly_income = money("月收入（元）")
    health = forms.ChoiceField(label="健康状况", required=False)
    major_illness = TriBoolean(label="患重大疾病")
    work_injury_disabled = TriBoolean(label="因工伤致残")

    def __init__(self, data: Any = None, *, member: HouseholdMember) -> None:
        circumstances = getattr(member, "circumstances", None) or MemberCircumstances(member=member)
        initial = {
            name: getattr(member, name) for name in ("work_status", "able_to_work", "school_stage", "admission_year")
        }
        initial |= {name: getattr(circumstances, name) for name in MEMBER_FACTS if name in self.base_fields}
        super().__init__(data, initial=_tri_initial(initial))
        for name, choices in (("work_status", WorkStatus), ("school_stage", SchoolStage), ("health", Health)):
            self.fields[name].choices = [("", "未登记"), *choices.choices]  # type: ignore[attr-defined]
        styled(self.fields)


class HouseholdCreateForm(forms.Form):
    """The area a new household lives in (its 户籍/居住区划), from the user's part of the map."""

    area = forms.ModelChoiceField(label="居住区划（街道/镇）", queryset=Area.objects.none())

    def __init__(self, data: Any = None, *, prefix_code: str) -> None:
        super().__init__(data)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Area.objects.filter(code__startswith=prefix_code, level="street").order_by("code")
        styled(self.fields)


class MemberAddForm(forms.Form):
    """A new household member; an ID number is optional (children often have none on file)."""

    name = forms.CharField(label="姓名", max_length=64)
    relation = forms.ChoiceField(label="与户主关系", choices=[c for c in Relation.choices if c[0] != Relation.HEAD])
    id_number = forms.CharField(label="身份证号", max_length=32, required=False)
    work_status = forms.ChoiceField(label="工作状态", required=False, choices=[("", "未登记"), *WorkStatus.choices])
    school_stage = forms.ChoiceField(label="学段", required=False, choices=[("", "未登记"), *SchoolStage.choices])
    admission_year = admission_year()
    monthly_income = money("月收入（元）")
    health = forms.ChoiceField(label="健康状况", required=False, choices=[("", "未登记"), *Health.choices])

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        styled(self.fields)


def form_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error on the form, on the field it names when the form has it."""
    problems = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for field, messages_ in problems.items():
        for problem in messages_:
            form.add_error(field if field in form.fields else None, problem)
