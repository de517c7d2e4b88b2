"""Forms of the pairing page: run the solver, swap two pairings, fix a pair, record an exclusion."""

from __future__ import annotations

from typing import Any

from django import forms

from niangjia.outreach.forms.campaigns import styled
from niangjia.outreach.services.pairing import K_MAX


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self.fields)


class RunForm(_Styled):
    """Run (or try) the solver with this campaign's settings, or others."""

    enterprises_per_cadre = forms.IntegerField(label="每名干部结对企业数", min_value=1, max_value=K_MAX)
    cross_district = forms.BooleanField(label="允许跨区县结对", required=False)
    dry_run = forms.BooleanField(label="只试算，不保存", required=False)


class SwapForm(_Styled):
    """Two enterprises whose cadres are exchanged (names or credit codes)."""

    prefix = "swap"
    first = forms.CharField(label="企业甲（名称或统一社会信用代码）", max_length=200)
    second = forms.CharField(label="企业乙（名称或统一社会信用代码）", max_length=200)


class FixForm(_Styled):
    """Pair a cadre with an enterprise by hand, kept by later runs."""

    prefix = "fix"
    enterprise = forms.CharField(label="企业（名称或统一社会信用代码）", max_length=200)
    cadre = forms.CharField(label="工会干部（用户名或姓名）", max_length=150)


class ExclusionForm(_Styled):
    """A pair the solver must never make."""

    prefix = "exclude"
    enterprise = forms.CharField(label="企业（名称或统一社会信用代码）", max_length=200)
    cadre = forms.CharField(label="工会干部（用户名或姓名）", max_length=150)
    reason = forms.CharField(label="原因", max_length=200)


class FilterForm(_Styled):
    """The pairing table's filter."""

    district = forms.TypedChoiceField(label="区县", coerce=int, required=False, empty_value=None)
    q = forms.CharField(label="企业或干部", max_length=100, required=False)
