"""Ticket forms: staff intake, workflow moves, transfer, uploads, cooperation, follow-up calls, the public report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from niangjia.core.ranges import DATE_MAX, DATE_MIN
from niangjia.orgs.models import StaffUser, UnionOrg
from niangjia.tickets.choices import (
    ACCIDENT_CHECKLIST,
    AttachmentPurpose,
    Channel,
    HazardGrade,
    Kind,
    NeedCategory,
    TicketClass,
)

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content later (`uploads.check_uploads`)."""

    def __init__(self, *args: Any, accept: str = PHOTO_TYPES, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class StyledForm(forms.Form):
    """A form whose fields carry Bootstrap's classes (rendered field by field in the templates)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select mb-2"
            else:
                widget.attrs["class"] = "form-control mb-2"


def errors_text(form: forms.Form) -> str:
    """A refused form's errors in one Chinese line, each naming its field: "合作内容：这个字段是必填项。"."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    parts = [f"{labels[name]}：{error}" if name in labels else str(error)
             for name, errors in form.errors.items() for error in errors]  # fmt: skip
    return "；".join(parts)


def _date_input() -> forms.DateInput:
    # A date input takes ISO dates only, whatever the locale's format.
    attrs = {"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


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
    photos = MultipleFileField(label="整改验收照片", required=False)


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
    photos = MultipleFileField(label="照片（可不传，最多 3 张，JPEG、PNG 或 WebP）", required=False)


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

    rectify_by = forms.DateField(label="整改期限", widget=_date_input())
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


class AttachmentForm(forms.Form):
    """Staff add photos or papers to a ticket."""

    prefix = "attach"

    purpose = forms.ChoiceField(label="用途", choices=AttachmentPurpose.choices)
    upload = MultipleFileField(label="文件（最多 3 个：照片或 PDF）", accept=f"{PHOTO_TYPES},application/pdf")

    def __init__(self, *args: Any, hazard: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].widget.attrs["class"] = "form-select mb-2"
        self.fields["upload"].widget.attrs["class"] = "form-control mb-2"
        if not hazard:
            purpose = self.fields["purpose"]
            assert isinstance(purpose, forms.ChoiceField)
            purpose.choices = [c for c in AttachmentPurpose.choices if c[0] != AttachmentPurpose.VERIFICATION_PHOTO]


class CooperationForm(StyledForm):
    """Match an enterprise problem with a partner: a registry enterprise or a provider by name."""

    prefix = "coop"

    partner = forms.CharField(
        label="合作方（名册中企业的名称或统一社会信用代码；名册外的服务机构填写全称）", max_length=200
    )
    work = forms.CharField(label="合作内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    started_on = forms.DateField(label="开始日期", widget=_date_input())


class CooperationFinishForm(forms.Form):
    """Record how a cooperation ended."""

    prefix = "done"

    finished_on = forms.DateField(label="完成日期", widget=_date_input())
    result = forms.CharField(label="合作成效", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(StyledForm):
    """A follow-up call: when, whether the requester was reached, their satisfaction, and whether to close."""

    prefix = "call"

    called_at = forms.DateTimeField(
        label="回访时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reached = forms.TypedChoiceField(
        label="是否联系上", choices=[("1", "已联系上"), ("0", "未联系上")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    satisfaction = forms.TypedChoiceField(
        label="满意度（联系上时填写）",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "未评价"), (5, "5 分 非常满意"), (4, "4 分"), (3, "3 分"), (2, "2 分"), (1, "1 分 不满意")],
    )
    note = forms.CharField(label="回访情况", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    close = forms.BooleanField(label="回访后结案", required=False)
