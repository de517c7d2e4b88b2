"""Turning one spreadsheet cell into a Python value, or a Chinese reason why not.

Cells arrive as python-calamine gives them (str, float, int, bool, date, datetime)
or as CSV text (reading.py). Every parser folds full-width characters and stray spaces first,
and raises `CellError` with a message that tells the user how to fix the cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from niangjia.core.ranges import DATE_MAX, DATE_MIN, MONEY_MAX

Parser = Callable[[Any], Any]

EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials 1..2958465 are 1900-01-01..9999-12-31; a date column rarely holds
# anything before 1900, so smaller numbers are not taken for serials.
_SERIAL_RANGE = (1, 2958465)
_TEXT_DATE_RES = [
    re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T]?\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
# What people tick or type in a yes/no column (compared lower-cased, after NFKC folding).
TRUE_WORDS = frozenset({"是", "有", "对", "是的", "已", "y", "yes", "t", "true", "1", "√", "✓", "✔", "☑"})
FALSE_WORDS = frozenset(
    {"否", "无", "没有", "不是", "不", "非", "未", "n", "no", "f", "false", "0", "×", "✗", "✘", "☒", "x"}
)


class CellError(ValueError):
    """A cell that cannot be read; `str(error)` is the Chinese reason shown to the user."""


# Invisible format characters (Unicode category Cf) that spreadsheets carry along.
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def fold(value: str) -> str:
    """Fold full-width forms (NFKC), drop invisible marks and surrounding spaces."""
    if value.isascii():
        return value.strip()
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", value)).strip()


def as_text(value: Any) -> str:
    """Return a cell as text without inventing digits.

    A whole number read as float is written back exactly only while a float holds it
    exactly (< 10^15); longer numbers (ID numbers, USCCs, bank cards) lost digits
    when Excel stored them, so they are written the way Excel shows them
    ("6.10103199001011E+17") and the identifier validators report them as damaged.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != datetime.min.time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    return fold(str(value))


def is_blank(value: Any) -> bool:
    """Return whether a cell is empty (None, "" or only spaces)."""
    return value is None or (isinstance(value, str) and not fold(value))


def text(max_length: int) -> Parser:
    """A free-text cell of at most `max_length` characters."""

    def parse(value: Any) -> str:
        result = as_text(value)
        if len(result) > max_length:
            raise CellError(f"内容过长：最多 {max_length} 个字，实际 {len(result)} 个字，请删减。")
        return result

    return parse


def raw_identifier(value: Any) -> str:
    """An identifier cell as text; validation is the identifier validators' job."""
    return as_text(value)


def parse_date(value: Any) -> date:
    """A date: an Excel date cell or serial, or text like 2025-3-1, 2025.3.1, 2025年3月1日, 20250301.

    Only dates within DATE_MIN..DATE_MAX are taken (a year 0520 or 9901 is a typing slip).
    """
    day = _read_date(value)
    if not DATE_MIN <= day <= DATE_MAX:
        raise CellError(
            f"日期“{day.isoformat()}”超出范围，应在 {DATE_MIN.isoformat()} 到 {DATE_MAX.isoformat()} 之间，请检查年份。"
        )
    return day


def _read_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    shown = as_text(value)
    cleaned = shown.replace(" ", "")
    if re.fullmatch(r"\d{5}(\.0+)?", cleaned):
        return _from_serial(float(cleaned))
    for pattern in _TEXT_DATE_RES:
        match = pattern.fullmatch(cleaned)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise CellError(f"日期“{shown}”不存在，请检查年、月、日。") from None
    raise CellError(f"无法识别的日期“{shown}”，请写成 2025-03-01 这样的格式。")


def _from_serial(serial: float) -> date:
    if not (_SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]) or not float(serial).is_integer():
        raise CellError(f"无法识别的日期“{as_text(serial)}”，请写成 2025-03-01 这样的格式。")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def boolean(value: Any) -> bool:
    """是/否 (also Y/N, 1/0, TRUE/FALSE, √/× and x, 有/无, 已/未)."""
    if isinstance(value, bool):
        return value
    word = as_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"“{as_text(value)}”无法识别，请填写“是”或“否”。")


def integer(*, minimum: int = 0, maximum: int = 2_147_483_647, unit: str = "") -> Parser:
    """A whole number between `minimum` and `maximum` (a trailing unit such as 人 or 月 is allowed)."""

    def parse(value: Any) -> int:
        shown = as_text(value)
        cleaned = shown.replace(",", "").removesuffix(unit) if unit else shown.replace(",", "")
        if not re.fullmatch(r"-?\d+(\.0+)?", cleaned):
            raise CellError(f"“{shown}”不是整数，请填写数字，如 12。")
        number = int(float(cleaned)) if "." in cleaned else int(cleaned)
        if not minimum <= number <= maximum:
            raise CellError(f"{number} 超出范围，应在 {minimum} 到 {maximum} 之间。")
        return number

    return parse


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def disability_grade(value: Any) -> int:
    """A disability grade 1-4: "2", "2级", "二级", "二级(重度)"."""
    shown = as_text(value)
    core = re.sub(r"\(.*?\)|级|重度|极重度|中度|轻度", "", shown.replace(" ", ""))
    grade = _CHINESE_DIGITS.get(core) or (int(core) if core.isdigit() else 0)
    if not 1 <= grade <= 4:
        raise CellError(f"“{shown}”不是残疾等级，请填写 1 到 4（或 一级 到 四级）。")
    return grade


def decimal(*, places: int, minimum: Decimal, maximum: Decimal, example: str) -> Parser:
    """A decimal number with at most `places` decimals (never through float for text)."""

    def parse(value: Any) -> Decimal:
        shown = as_text(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # repr of a float is its shortest round-trip form: 1234.5 stays 1234.5.
            shown = repr(value) if isinstance(value, float) else str(value)
        cleaned = re.sub(r"[,，¥￥\s]", "", shown).removesuffix("元")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise CellError(f"“{as_text(value)}”不是数字，请填写如 {example} 这样的数字。") from None
        if not number.is_finite() or -number.as_tuple().exponent > places:  # type: ignore[operator]
            raise CellError(f"“{as_text(value)}”最多保留 {places} 位小数，请填写如 {example} 这样的数字。")
        if not minimum <= number <= maximum:
            raise CellError(f"{number} 超出范围，应在 {minimum} 到 {maximum} 之间。")
        return number.quantize(Decimal(1).scaleb(-places)) if places else number

    return parse


money = decimal(places=2, minimum=Decimal(0), maximum=MONEY_MAX, example="1234.50")


def choice(choices: type[models.TextChoices], *, synonyms: Mapping[str, str] | None = None, what: str) -> Parser:
    """One of a TextChoices' Chinese labels (or its code, or a listed synonym)."""
    table = {fold(str(label)).lower(): str(value) for value, label in choices.choices}
    table.update({str(value).lower(): str(value) for value in choices.values})
    table.update({fold(word).lower(): value for word, value in (synonyms or {}).items()})
    labels = "、".join(str(label) for label in choices.labels)

    def parse(value: Any) -> str:
        shown = as_text(value)
        found = table.get(shown.lower()) or table.get(shown.replace(" ", "").lower())
        if found is None:
            raise CellError(f"“{shown}”不是可选的{what}，请从下拉列表中选择：{labels}。")
        return found

    return parse
