"""The roster upload form: what to import, and how; the file's type and size are checked before it is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms

from niangjia.core.tabular.reading import check_size
from niangjia.registry.importing import KIND_LABELS, ImportFileError

ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}


class ImportUploadForm(forms.Form):
    """What to import, and how."""

    kind = forms.ChoiceField(label="导入类型", choices=[(k, f"{v}名册") for k, v in KIND_LABELS.items()])
    file = forms.FileField(label="文件（.xlsx / .xls / .csv）")
    good_rows_only = forms.BooleanField(
        label="只导入正确的行（不勾选时，只要有一行出错，整个文件都不导入）", required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("只支持 .xlsx、.xls 和 .csv 文件。")
        try:
            check_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload
