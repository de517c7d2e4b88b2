"""The columns of an import file, and matching a file's header cells to them.

A column has a canonical header (what the template shows) and the other names union staff's
spreadsheets commonly give it. Matching forgives what people add around a name: spaces,
full-width forms, required marks (`*`, `★`), a trailing colon, case, and a hint in brackets
("入职日期（格式：2025-03-01）", "身份证号【必填】").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from niangjia.core.tabular.cells import Parser

# Names for a person's mobile phone, shared by every roster with one.
PHONE_ALIASES = (
    "手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "联系手机", "本人手机", "本人电话",
    "手机电话", "电话号码",
)  # fmt: skip

_MARKS_RE = re.compile(r"[\s*:：★☆※●]")
_HINT_RE = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|〔.*?〕|<.*?>|《.*?》")


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    key: str
    header: str
    parse: Parser
    aliases: tuple[str, ...] = ()
    required: bool = False
    options: tuple[str, ...] = ()  # drop-down list in the template
    note: str = ""  # hint shown in the template's header comment


def normalize_header(value: str) -> str:
    """Fold a header for matching: full-width, spaces, required-marks and case do not count."""
    folded = unicodedata.normalize("NFKC", value)
    return _MARKS_RE.sub("", folded).lower()


def header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Map every accepted (normalised) header of a kind to its column."""
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            index.setdefault(normalize_header(name), column)
    return index


def match_header(index: dict[str, Column], value: str) -> Column | None:
    """Return the column a header names, trying again without a bracketed hint."""
    normalized = normalize_header(value)
    if not normalized:
        return None
    found = index.get(normalized)
    if found is None:
        found = index.get(_HINT_RE.sub("", normalized))
    return found
