"""Filter forms of the registry lists."""

from __future__ import annotations

from typing import Any

from django import forms

from niangjia.registry.choices import EmploymentForm, Industry, Ownership, SizeClass
from niangjia.registry.selectors import EnterpriseFilter, WorkerFilter

YES_NO = [("", "全部"), ("1", "是"), ("0", "否")]


def _tri(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class AreaChoiceField(forms.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from niangjia.orgs.models import Area

        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(code__startswith="6101", level="county").order_by("code")
        self.choices = [("", "全部区县")] + [(a.code, a.name) for a in areas]


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label="名称或信用代码", required=False, max_length=100)
    area = forms.CharField(label="区划代码", required=False, max_length=12)
    ownership = forms.ChoiceField(label="经济类型", required=False, choices=[("", "全部"), *Ownership.choices])
    size_class = forms.ChoiceField(label="规模", required=False, choices=[("", "全部"), *SizeClass.choices])
    industry = forms.ChoiceField(label="行业", required=False, choices=[("", "全部"), *Industry.choices])
    is_platform = forms.ChoiceField(label="平台企业", required=False, choices=YES_NO)
    has_union = forms.ChoiceField(label="已建工会", required=False, choices=YES_NO)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaChoiceField(label="区县", required=False)

    def to_filter(self) -> EnterpriseFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return EnterpriseFilter(
            area=data.get("area", ""),
            ownership=data.get("ownership", ""),
            size_class=data.get("size_class", ""),
            industry=data.get("industry", ""),
            is_platform=_tri(data.get("is_platform", "")),
            has_union=_tri(data.get("has_union", "")),
            q=data.get("q", "").strip(),
        )


class WorkerFilterForm(forms.Form):
    q = forms.CharField(label="姓名/拼音首字母/证件或手机后4位", required=False, max_length=40)
    area = forms.CharField(label="区县", required=False)
    form = forms.ChoiceField(
        label="用工形式", required=False, choices=[("", "全部"), ("gig", "新就业形态(全部)"), *EmploymentForm.choices]
    )
    union_member = forms.ChoiceField(label="工会会员", required=False, choices=YES_NO)
    is_migrant = forms.ChoiceField(label="农民工", required=False, choices=YES_NO)
    enterprise = forms.IntegerField(label="企业", required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaChoiceField(label="区县", required=False)

    def to_filter(self) -> WorkerFilter:
        data = self.cleaned_data if self.is_valid() else {}
        form = data.get("form", "")
        return WorkerFilter(
            area=data.get("area", ""),
            enterprise_id=data.get("enterprise"),
            form="" if form == "gig" else form,
            gig_only=form == "gig",
            union_member=_tri(data.get("union_member", "")),
            is_migrant=_tri(data.get("is_migrant", "")),
        )
