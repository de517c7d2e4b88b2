"""Money columns of the funds part: Decimal yuan to the fen, never a float."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from niangjia.core.ranges import MONEY_MAX, number_range

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# A single amount: 0.01..MONEY_MAX (10 digits). A pool's running total may grow past one amount.
AMOUNT_DIGITS = 12
BALANCE_DIGITS = 16


def amount_field(label: str, **kwargs: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount of money moved once: 0.01 to MONEY_MAX yuan."""
    return models.DecimalField(
        label,
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        validators=number_range(CENT, MONEY_MAX, label),
        **kwargs,
    )


def balance_field(label: str) -> models.DecimalField:  # type: ignore[type-arg]
    """A running balance kept by the services (never typed in)."""
    return models.DecimalField(label, max_digits=BALANCE_DIGITS, decimal_places=2, default=ZERO, editable=False)
