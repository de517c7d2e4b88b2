"""Ticket forms: staff intake, workflow moves, transfer, and the public report."""

from __future__ import annotations

from django import forms

from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.tickets.choices import Channel, Kind, NeedCategory, TicketClass

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
    satisfaction = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(5, "5 分 非常满意"), (4, "4 分"), (3, "3 分"), (2, "2 分"), (1, "1 分 不满意")],
    )
