"""Importing rosters of enterprises, workers and households from xlsx, xls and csv files.

    result = import_file(kind="workers", path=path, user=user, dry_run=True)

See docs/import.md for the columns, accepted header variants and messages.
"""

from niangjia.core.tabular.errors import ImportFileError, RowError
from niangjia.registry.importing.columns import KIND_LABELS, KINDS
from niangjia.registry.importing.report import report_write
from niangjia.registry.importing.result import ImportResult
from niangjia.registry.importing.runner import import_file
from niangjia.registry.importing.template import template_write

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "import_file",
    "report_write",
    "template_write",
]
