"""Forms of the web shell."""

from typing import Any

from django import forms


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=128)


class AuditSearchForm(forms.Form):
    q = forms.CharField(label="操作人/对象", required=False, max_length=100)
    action = forms.ChoiceField(label="动作", required=False)

    def __init__(self, *args: Any, action_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部"), *action_choices]  # type: ignore[attr-defined]

    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
