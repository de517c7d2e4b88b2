"""What an import reports: row errors, counts, and the file-level refusal."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from niangjia.core.tabular.errors import RowError, error_keep, errors_in_order


@dataclass
class ImportResult:
    """The outcome of reading (and perhaps committing) one file."""

    kind: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    committed: bool = False
    ignored_headers: list[str] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)
    # Workers another union holds whose ID numbers rows gave: told to the importer as a
    # disclosure (budgeted, audited once per upload: the confirming run does not count them again).
    found_elsewhere: list[str] = field(default_factory=list)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        error_keep(self.errors, error)

    def finish(self) -> None:
        """Put the kept errors in file order (rows are reported as they are decided, not as they come)."""
        errors_in_order(self.errors)

    @property
    def good_rows(self) -> int:
        return self.new + self.updated + self.unchanged

    def counts(self) -> dict[str, Any]:
        """The counts, as the `registry.import` audit entry records them."""
        return {
            "kind": self.kind, "rows": self.rows, "new": self.new, "updated": self.updated,
            "unchanged": self.unchanged, "error_rows": self.error_rows, **self.extra,
        }  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (the web preview stores it beside the upload)."""
        data = asdict(self)
        data["errors"] = [asdict(error) for error in self.errors]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        values = dict(data)
        values["errors"] = [RowError(**error) for error in values.get("errors", [])]
        return cls(**values)


# A validator's error without a field (validate_id_number, normalize_phone…) is
# placed by its code.
CODE_FIELDS = {"id": "id_number", "phone": "phone", "uscc": "uscc"}


def validation_messages(error: ValidationError) -> dict[str, str]:
    """Flatten a ValidationError to {field: first message}; a field-less one is placed by its code."""
    if hasattr(error, "error_dict"):
        return {name: ValidationError(errors).messages[0] for name, errors in error.error_dict.items()}
    code = (error.error_list[0].code or "") if error.error_list else ""
    return {CODE_FIELDS.get(code.split("_")[0], ""): error.messages[0]}
