"""Forms of the visit pages (the visit itself is filled on the phone and sent to the API as JSON)."""

from __future__ import annotations

from typing import Any

from django import forms

from niangjia.outreach.visit_choices import ConflictChoice


class ConflictForm(forms.Form):
    """The choice between the value recorded on the visit and the one the registry holds."""

    choice = forms.ChoiceField(
        label="确认采用哪个值",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择采用哪个值。", "invalid_choice": "请选择列出的两项之一。"},
    )

    def __init__(self, *args: Any, row: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            (ConflictChoice.PROPOSED.value, f"{ConflictChoice.PROPOSED.label}：{row['proposed']}"),
            (ConflictChoice.CURRENT.value, f"{ConflictChoice.CURRENT.label}：{row['current']}"),
        ]
