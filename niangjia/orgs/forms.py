"""Forms of staff management: they parse input; the services decide what is allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password

from niangjia.orgs.granting import role_label
from niangjia.orgs.models import StaffUser

ALLOWED_SUFFIXES = {".xlsx", ".xls", ".xlsm", ".csv"}
_INPUT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class StaffForm(forms.Form):
    """Create (with username) or edit (without) a staff user."""

    username = forms.RegexField(
        label="用户名（登录用）",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _。"},
        widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "off", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(label="姓名", max_length=64, widget=forms.TextInput(attrs=_INPUT))
    role = forms.ChoiceField(label="角色", widget=forms.Select(attrs=_SELECT))
    org = forms.TypedChoiceField(label="所属组织", coerce=int, widget=forms.Select(attrs=_SELECT))
    phone = forms.CharField(
        label="手机号（选填）",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={**_INPUT, "inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, roles: list[str], orgs: list[tuple[str, str]], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(role, role_label(role)) for role in roles]
        cast(forms.ChoiceField, self.fields["org"]).choices = orgs
        if editing:
            del self.fields["username"]
            self.fields["phone"].help_text = "留空则保持原号码不变；填“-”清除。"


class PasswordChangeForm(forms.Form):
    """A user's own new password, twice; the current one unless they are replacing a one-time password."""

    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={**_INPUT, "autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        help_text="；".join(password_validators_help_texts()),
        widget=forms.PasswordInput(attrs={**_INPUT, "autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="再输入一次新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={**_INPUT, "autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: StaffUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.must_change_password:
            # They have just signed in with the one-time password.
            del self.fields["old_password"]

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class StaffImportForm(forms.Form):
    """The cadre roster file, and whether the good rows may go in without the bad ones."""

    file = forms.FileField(
        label="文件（.xlsx / .xls / .csv）",
        widget=forms.ClearableFileInput(attrs={**_INPUT, "accept": ".xlsx,.xls,.xlsm,.csv"}),
    )
    good_rows_only = forms.BooleanField(
        label="只导入正确的行（不勾选时，只要有一行出错，整个文件都不导入）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("只支持 .xlsx、.xls 和 .csv 文件。")
        return upload
