"""Forms of the assistance pages: they parse and bound the input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from niangjia.assistance.choices import (
    SECONDARY_CAUSES_MAX,
    SETTABLE,
    Authorisation,
    Cause,
    ContactChannel,
    ContactFrequency,
    ExitRoute,
    HardshipLevel,
    ItemStatus,
    ObjectionOutcome,
    PaperHolder,
    RoundKind,
)
from niangjia.core.ranges import DATE_MAX, DATE_MIN

DATE = {"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


class DateField(forms.DateField):
    widget = forms.DateInput(attrs=DATE)


class Styled(forms.Form):
    """A form whose inputs carry Bootstrap's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"


class StatusForm(Styled):
    status = forms.ChoiceField(label="办理状态", choices=[(s.value, s.label) for s in ItemStatus if s in SETTABLE])
    reason = forms.CharField(label="不申请原因", max_length=200, required=False)


class AssignForm(Styled):
    assignee = forms.IntegerField(label="负责干部", required=False, min_value=1)


class ApplyForm(Styled):
    member = forms.IntegerField(label="受助成员", required=False, min_value=1, widget=forms.HiddenInput)
    filed_by_proxy = forms.TypedChoiceField(
        label="申请方式",
        choices=[("1", "干部代办（跑腿代办）"), ("0", "职工本人申请（由工作人员登记）")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    authorisation = forms.ChoiceField(
        label="职工委托方式", choices=[("", "（本人申请不填）"), *Authorisation.choices], required=False
    )
    authorised_on = DateField(label="委托日期", required=False)
    authorisation_note = forms.CharField(label="委托说明", max_length=200, required=False)
    note = forms.CharField(label="申请说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(Styled):
    move = forms.CharField(max_length=24)
    note = forms.CharField(label="说明", max_length=500, required=False)


class UploadForm(Styled):
    file = forms.FileField(label="扫描件或照片（PDF、JPG、PNG）")
    holder = forms.ChoiceField(label="原件现由谁保管", choices=PaperHolder.choices, initial=PaperHolder.CADRE)


class ReceiveForm(Styled):
    received_on = DateField(label="收到日期", required=False)
    holder = forms.ChoiceField(label="原件现由谁保管", choices=PaperHolder.choices, initial=PaperHolder.CADRE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ArchiveForm(Styled):
    level = forms.ChoiceField(label="困难类别", choices=HardshipLevel.choices)
    main_cause = forms.ChoiceField(label="主要致困原因", choices=Cause.choices)
    secondary_causes = forms.MultipleChoiceField(
        label=f"次要致困原因（最多 {SECONDARY_CAUSES_MAX} 项）",
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cause_note = forms.CharField(label="致困原因说明", max_length=200, required=False)
    evidence = forms.CharField(
        label="核实依据", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class NoticeForm(Styled):
    starts_on = DateField(label="公示开始")
    ends_on = DateField(label="公示结束")
    place = forms.CharField(label="公示地点", max_length=100)


class ObjectionForm(Styled):
    received_on = DateField(label="收到日期")
    content = forms.CharField(label="异议内容", max_length=500)


class ObjectionDecideForm(Styled):
    outcome = forms.ChoiceField(
        label="核查结果", choices=[(o.value, o.label) for o in ObjectionOutcome if o != ObjectionOutcome.PENDING]
    )
    finding = forms.CharField(label="核查情况", max_length=500)


class ReviewForm(Styled):
    level = forms.ChoiceField(label="复核后的困难类别", choices=HardshipLevel.choices)
    note = forms.CharField(label="复核情况", max_length=500)


class ExitForm(Styled):
    route = forms.ChoiceField(label="脱困途径", choices=ExitRoute.choices)
    reason = forms.CharField(label="脱困原因", max_length=200)


class ContactForm(Styled):
    cadre = forms.IntegerField(label="联系干部", min_value=1)
    frequency = forms.ChoiceField(label="联系频次", choices=ContactFrequency.choices, initial=ContactFrequency.MONTHLY)
    reason = forms.CharField(label="结对原因", max_length=200)


class ContactLogForm(Styled):
    at = forms.DateTimeField(label="联系时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    channel = forms.ChoiceField(
        label="方式", choices=[c for c in ContactChannel.choices if c[0] != ContactChannel.CAMPAIGN_VISIT]
    )
    note = forms.CharField(label="情况", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContactEndForm(Styled):
    reason = forms.CharField(label="结束原因", max_length=200)


class RoundForm(Styled):
    kind = forms.ChoiceField(label="办理", choices=RoundKind.choices)
    policy_id = forms.CharField(label="政策", max_length=64)
    title = forms.CharField(label="名称", max_length=100)
    limit = forms.IntegerField(label="最多户数", min_value=1, max_value=5000, initial=500)

    def __init__(
        self, *args: Any, policies: list[tuple[str, str]], kinds: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="办理", choices=kinds, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
        )
        self.fields["policy_id"] = forms.ChoiceField(
            label="政策", choices=policies, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
        )


def errors_text(form: forms.Form) -> str:
    """A form's errors as one Chinese line naming each field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)
