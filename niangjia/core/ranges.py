"""The ranges every input is held to, named once (docs/ranges.md).

Model fields carry them as validators, so the services' `full_clean()` refuses the
same values whether they come from a web form, the API or an Excel import; the API
schemas and the import's cell parsers read the same constants, so clients see the
ranges in the OpenAPI document and importers in the error report.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator

# A date a person's record may plausibly hold: births, contracts, events, documents.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
YEAR_MIN = DATE_MIN.year
YEAR_MAX = DATE_MAX.year

# Money in yuan: never negative, and under one hundred million (fits every DecimalField's digits).
MONEY_MAX = Decimal("99999999.99")

# Ids are BigAutoField: a signed 64-bit integer on SQLite and PostgreSQL.
ID_MAX = 2**63 - 1
# PositiveSmallIntegerField tops at 32767 on PostgreSQL; PositiveIntegerField at 2147483647.
SMALL_MAX = 32767

CONTRACT_MONTHS_MAX = 1200
EMPLOYEE_COUNT_MAX = 9_999_999
HOMES_OWNED_MAX = 99
ADMISSION_YEAR_RANGE = (1950, YEAR_MAX)
EVENT_DAYS_MAX = 3660
DISABILITY_GRADES = (1, 4)
LNG_RANGE = (Decimal(-180), Decimal(180))
LAT_RANGE = (Decimal(-90), Decimal(90))

# The longest page the list endpoints return.
PAGE_MAX = 500


def date_range() -> list[BaseValidator]:
    """Validators of a date within DATE_MIN..DATE_MAX."""
    return [
        MinValueValidator(DATE_MIN, message=f"日期不能早于 {DATE_MIN.isoformat()}。"),
        MaxValueValidator(DATE_MAX, message=f"日期不能晚于 {DATE_MAX.isoformat()}。"),
    ]


def year_range() -> list[BaseValidator]:
    """Validators of a year within YEAR_MIN..YEAR_MAX."""
    return number_range(YEAR_MIN, YEAR_MAX, "年份")


def money_range() -> list[BaseValidator]:
    """Validators of an amount of money: 0..MONEY_MAX yuan."""
    return [
        MinValueValidator(Decimal(0), message="金额不能为负数。"),
        MaxValueValidator(MONEY_MAX, message=f"金额不能超过 {MONEY_MAX} 元。"),
    ]


def number_range(minimum: int | Decimal, maximum: int | Decimal, what: str) -> list[BaseValidator]:
    """Validators of a number within minimum..maximum, with `what` in the Chinese message."""
    message = f"{what}应在 {minimum} 到 {maximum} 之间。"
    return [MinValueValidator(minimum, message=message), MaxValueValidator(maximum, message=message)]
