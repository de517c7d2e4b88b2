"""Ticket forms: staff intake, workflow moves, transfer, and the public report."""

from __future__ import annotations

from django import forms

from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.tickets.choices import ACCIDENT_CHECKLIST, Channel, HazardGrade, Kind, NeedCategory, TicketClass

STAFF_CHANNELS = [(c.value, c.label) for c in (Channel.WALK_IN, Channel.WINDOW, Channel.PHONE, Channel.VISIT)]


class TicketForm(forms.Form):
    """Staff intake: a walk-in, the window, the 12351 line or a visit."""

    channel = forms.ChoiceField(label="渠道", choices=STAFF_CHANNELS)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    category = forms.ChoiceField(
        label="需求类别（职工需求填写）", choices=[("", "—"), *NeedCategory.choices], required=False
    )
    title = forms.CharField(label="事由", max_length=200)
    description = forms.CharField(
        label="详细情况", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    ticket_class = forms.ChoiceField(label="类别（决定办理期限）", choices=TicketClass.choices)
    org = forms.ModelChoiceField(label="承办组织", queryset=UnionOrg.objects.none())
    handler = forms.ModelChoiceField(label="承办人", queryset=StaffUser.objects.none(), required=False)
    anonymous = forms.BooleanField(label="匿名", required=False)

    def __init__(self, *args: object, orgs: list[UnionOrg], handlers: list[StaffUser], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        org_field = self.fields["org"]
        handler_field = self.fields["handler"]
        assert isinstance(org_field, forms.ModelChoiceField) and isinstance(handler_field, forms.ModelChoiceField)
        org_field.queryset = UnionOrg.objects.filter(pk__in=[o.pk for o in orgs])
        handler_field.queryset = StaffUser.objects.filter(pk__in=[u.pk for u in handlers])


class MoveForm(forms.Form):
    move = forms.CharField(max_length=16, widget=forms.HiddenInput)
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    org = forms.ModelChoiceField(label="转至组织", queryset=UnionOrg.objects.order_by("path"))
    note = forms.CharField(label="转办原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicReportForm(forms.Form):
    """A worker's own report, without login: a hazard or a request, optionally anonymous."""

    kind = forms.ChoiceField(
        label="反映什么",
        choices=[
            (Kind.HAZARD.value, "安全隐患"),
            (Kind.NEED.value, "困难或需求"),
            (Kind.CONSULTATION.value, "维权咨询"),
        ],
    )
    org = forms.ModelChoiceField(label="所在区县", queryset=UnionOrg.objects.filter(level="district").order_by("path"))
    title = forms.CharField(label="一句话说明", max_length=200)
    description = forms.CharField(
        label="详细情况（地点、时间、经过）", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    anonymous = forms.BooleanField(label="匿名反映（不留任何个人信息）", required=False, initial=True)


class PublicLookupForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=64)


class PublicRateForm(forms.Form):
    """The requester's rating of a resolved request, on the status page."""

    satisfaction = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(5, "5 分 非常满意"), (4, "4 分"), (3, "3 分"), (2, "2 分"), (1, "1 分 不满意")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="意见（可不填，请勿填写姓名、电话等个人信息）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TriageForm(forms.Form):
    """Grade a reported hazard and accept it."""

    prefix = "triage"

    grade = forms.ChoiceField(label="隐患等级", choices=HazardGrade.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="核实情况", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RectifyForm(forms.Form):
    """The rectification order: by when, and to which enterprise (by its name or credit code, optional)."""

    prefix = "rectify"

    rectify_by = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))
    enterprise = forms.CharField(label="涉及企业（名称或统一社会信用代码，可不填）", max_length=200, required=False)


class ReferForm(forms.Form):
    """The referral of a major or overdue hazard to 应急管理部门."""

    prefix = "refer"
    note = forms.CharField(
        label="移交情况（部门、方式、文号）", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChecklistForm(forms.Form):
    """The accident checklist 四不放过: each item ticked once it is done."""

    prefix = "checklist"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field, label in ACCIDENT_CHECKLIST:
            self.fields[field] = forms.BooleanField(label=label, required=False)
