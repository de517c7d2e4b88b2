"""The campaign form: name, period, organizer, scope, target groups, and the targets per district (a formset)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from niangjia.core.ranges import DATE_MAX, DATE_MIN
from niangjia.orgs.models import Area, UnionOrg
from niangjia.outreach.choices import EnterpriseGroup, WorkerGroup
from niangjia.outreach.models.campaign import TARGET_MAX
from niangjia.outreach.services.campaigns import TARGETS_MAX, CampaignData, TargetData


def styled(fields: dict[str, forms.Field]) -> None:
    """Give the widgets Bootstrap's classes."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


DATE_ATTRS = {"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


class CampaignForm(forms.Form):
    """A campaign's own fields; the organizer is chosen once, when it is created."""

    name = forms.CharField(label="活动名称", max_length=100)
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE_ATTRS))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE_ATTRS))
    org = forms.ModelChoiceField(label="主办组织", queryset=UnionOrg.objects.none(), empty_label=None)
    orgs = forms.ModelMultipleChoiceField(
        label="走访范围：组织（可多选，不选则为主办组织全部下级）",
        queryset=UnionOrg.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    areas = forms.ModelMultipleChoiceField(
        label="走访范围：区划（可多选）",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    enterprise_groups = forms.MultipleChoiceField(
        label="重点企业（不选则为全部企业）",
        choices=EnterpriseGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    worker_groups = forms.MultipleChoiceField(
        label="重点职工", choices=WorkerGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    enterprises_per_cadre = forms.IntegerField(label="每名干部结对企业数", min_value=1, max_value=50, initial=1)
    cross_district = forms.BooleanField(label="允许跨区县结对", required=False)

    def __init__(
        self,
        *args: Any,
        organizers: list[UnionOrg],
        scope_orgs: list[UnionOrg],
        areas: list[Area],
        fixed_org: UnionOrg | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = UnionOrg.objects.filter(pk__in=[o.pk for o in organizers]).order_by("path")
        if fixed_org is not None:
            org.queryset = UnionOrg.objects.filter(pk=fixed_org.pk)
            org.disabled = True
            self.initial["org"] = fixed_org.pk
        scope = self.fields["orgs"]
        assert isinstance(scope, forms.ModelMultipleChoiceField)
        scope.queryset = UnionOrg.objects.filter(pk__in=[o.pk for o in scope_orgs]).order_by("path")
        area_field = self.fields["areas"]
        assert isinstance(area_field, forms.ModelMultipleChoiceField)
        area_field.queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("code")
        styled(self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data

    def data_with(self, targets: list[TargetData]) -> CampaignData:
        """The service's input from the cleaned form and the targets."""
        d = self.cleaned_data
        return CampaignData(
            name=d["name"], starts_on=d["starts_on"], ends_on=d["ends_on"], org=d["org"], orgs=list(d["orgs"]),
            areas=list(d["areas"]), enterprise_groups=list(d["enterprise_groups"]),
            worker_groups=list(d["worker_groups"]), enterprises_per_cadre=d["enterprises_per_cadre"],
            cross_district=d["cross_district"], targets=targets,
        )  # fmt: skip


class TargetForm(forms.Form):
    """One district's targets."""

    org = forms.ModelChoiceField(
        label="区县/街道", queryset=UnionOrg.objects.none(), required=False, empty_label="（不填）"
    )
    enterprises = forms.IntegerField(label="走访企业目标", min_value=0, max_value=TARGET_MAX, required=False)
    homes = forms.IntegerField(label="入户走访目标", min_value=0, max_value=TARGET_MAX, required=False)

    def __init__(self, *args: Any, orgs: list[UnionOrg], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = UnionOrg.objects.filter(pk__in=[o.pk for o in orgs]).order_by("path")
        styled(self.fields)

    def target(self) -> TargetData | None:
        d = self.cleaned_data
        if not d.get("org"):
            return None
        return TargetData(org=d["org"], enterprises=d.get("enterprises") or 0, homes=d.get("homes") or 0)


class BaseTargetFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            target = form.target() if form.cleaned_data else None
            if target is None:
                continue
            if target.org.pk in seen:
                raise ValidationError(f"“{target.org.name}”填写了两次，每个区县只填一行。")
            seen.add(target.org.pk)

    def targets(self) -> list[TargetData]:
        return [t for form in self.forms if form.cleaned_data and (t := form.target()) is not None]


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=2, max_num=TARGETS_MAX, absolute_max=TARGETS_MAX, validate_max=True
)


class CloseForm(forms.Form):
    keep_pairing = forms.BooleanField(label="结束后保留结对（干部继续联系这些企业，直到解除结对）", required=False)
