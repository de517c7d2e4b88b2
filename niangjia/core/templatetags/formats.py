"""Template filters for numbers as people read them on a page."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | int | float | str | None) -> str:
    """`{{ amount|money }}` → "¥1,234.50": yuan with thousands separators and two decimals.

    Rounded half up to the fen, as the rules engine rounds. Unknown (None, empty or not a
    number) prints "—"; a negative amount "-¥1,234.50".
    """
    if value is None or value == "":
        return "—"
    try:
        # via str: a float 0.1 is 0.10, never 0.1000000000000000055
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "—"
    if not amount.is_finite():
        return "—"
    return f"{'-' if amount < 0 else ''}¥{abs(amount):,.2f}"
