"""Funds forms: a pool, an allocation, a reversal, the bank's result file."""

from __future__ import annotations

from typing import Any

from django import forms

from niangjia.core.ranges import DATE_MAX, DATE_MIN, MONEY_MAX, YEAR_MAX, YEAR_MIN
from niangjia.funds.choices import AllocationSource, Programme
from niangjia.funds.models.fields import CENT
from niangjia.orgs.models import UnionOrg


class StyledForm(forms.Form):
    """A form whose fields carry Bootstrap's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


def amount_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=CENT,
        max_value=MONEY_MAX,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "min_value": "金额至少为 0.01 元。",
            "max_value": f"金额不能超过 {MONEY_MAX} 元。",
            "max_decimal_places": "金额最多保留两位小数（到分）。",
            "max_digits": f"金额不能超过 {MONEY_MAX} 元。",
            "invalid": "金额应为数字，如 1234.50。",
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": str(MONEY_MAX), "inputmode": "decimal"}),
    )


class PoolForm(StyledForm):
    programme = forms.ChoiceField(label="项目", choices=Programme.choices)
    year = forms.IntegerField(
        label="年度",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"min_value": f"年度不能早于 {YEAR_MIN}。", "max_value": f"年度不能晚于 {YEAR_MAX}。"},
    )
    org = forms.ModelChoiceField(label="资金所属工会", queryset=UnionOrg.objects.none(), empty_label=None)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]


class AllocationForm(StyledForm):
    amount = amount_field("金额（元）")
    source = forms.ChoiceField(label="资金来源", choices=AllocationSource.choices)
    received_on = forms.DateField(
        label="到账日期",
        widget=forms.DateInput(
            attrs={"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}, format="%Y-%m-%d"
        ),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if not DATE_MIN <= day <= DATE_MAX:
            raise forms.ValidationError(f"到账日期应在 {DATE_MIN} 到 {DATE_MAX} 之间。")
        return day


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=200)


class ResultFileForm(StyledForm):
    file = forms.FileField(
        label="银行回执文件（xlsx 或 csv）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
