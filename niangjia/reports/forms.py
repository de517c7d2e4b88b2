"""The query of a report page: which organization, rows by organization or cadre, as of which day."""

from __future__ import annotations

from typing import Any

from django import forms

from niangjia.core.ranges import DATE_MAX, DATE_MIN, ID_MAX
from niangjia.reports.choices import Grouping


class ReportQuery(forms.Form):
    """Parsed from the query string; a bad value is refused with the field named and how to fix it."""

    campaign = forms.IntegerField(label="走访活动", required=False, min_value=1, max_value=ID_MAX)
    org = forms.IntegerField(label="组织", required=False, min_value=1, max_value=ID_MAX)
    by = forms.ChoiceField(label="行", required=False, choices=Grouping.choices)
    as_of = forms.DateField(
        label="统计截至日期",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "统计截至日期格式应为 2026-05-31。"},
    )
    section = forms.CharField(label="指标分组", required=False, max_length=40)
    direct = forms.BooleanField(label="仅本级", required=False)
    cadre = forms.IntegerField(label="工会干部", required=False, min_value=1, max_value=ID_MAX)
    after = forms.IntegerField(label="翻页位置", required=False, min_value=0, max_value=ID_MAX)

    def clean_as_of(self) -> Any:
        value = self.cleaned_data.get("as_of")
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(f"统计截至日期应在 {DATE_MIN} 至 {DATE_MAX} 之间。")
        return value

    def problems(self) -> str:
        """The errors as one Chinese sentence per field: "统计截至日期：格式应为 …"."""
        return "；".join(
            f"{self.fields[name].label}：{' '.join(str(e) for e in errors)}" for name, errors in self.errors.items()
        )
